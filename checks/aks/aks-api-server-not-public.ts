import { armProperties } from '../lib/azure.ts';
import {
  asArray,
  displayName,
  holdsOpenCidr,
  isPresent,
  isTrue,
  OPEN_CIDRS,
} from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-api-server-not-public',
    title: 'AKS API server is private or limited to authorized IP ranges',
    severity: 'high',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['1.3.1', '1.4.1', '1.4.4'],
    rationale:
      'A Kubernetes API server reachable from the whole internet is a direct path into the ' +
      'cardholder data environment; PCI DSS 1.3.1 and 1.4 ask that only needed traffic from ' +
      'untrusted networks reaches it.',
    remediation:
      'Limit the public endpoint to your office/VPN ranges: `az aks update --resource-group <rg> ' +
      '--name <cluster> --api-server-authorized-ip-ranges 203.0.113.0/24`, or make the cluster ' +
      'private (`az aks create ... --enable-private-cluster`; for a cluster with API Server VNet ' +
      'Integration, `az aks update --resource-group <rg> --name <cluster> --enable-private-cluster`). ' +
      'Portal: Kubernetes service > cluster > Settings > Networking > Public access.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const profile = armProperties(r).apiServerAccessProfile;
      const access = isPresent(profile) ? profile : {};
      const evidence = [
        ev(r.data, 'properties.apiServerAccessProfile.enablePrivateCluster'),
        ev(r.data, 'properties.apiServerAccessProfile.authorizedIPRanges'),
      ];
      if (isTrue(access.enablePrivateCluster)) {
        return pass(r, `${name}: API server is private`, evidence);
      }
      const ranges = asArray<unknown>(access.authorizedIPRanges);
      if (ranges.length > 0 && !holdsOpenCidr(ranges)) {
        return pass(r, `${name}: public API server is limited to ${ranges.join(', ')}`, evidence);
      }
      const open =
        ranges.length === 0
          ? 'all addresses (no authorized IP ranges)'
          : ranges.filter((c) => typeof c === 'string' && OPEN_CIDRS.includes(c.trim())).join(', ');
      return fail(r, `${name}: API server is public and open to ${open}`, evidence);
    }),
});
