import { asArray, displayName, holdsOpenCidr } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

interface EksVpcConfig {
  endpointPublicAccess?: boolean;
  publicAccessCidrs?: string[];
}

export default defineCheck({
  meta: {
    id: 'eks-endpoint-not-public',
    title: 'EKS API server endpoint is private or limited to known CIDRs',
    severity: 'high',
    resourceTypes: ['aws.eks.cluster'],
    lookups: [],
    requirements: ['1.3.1', '1.4.1', '1.4.4'],
    rationale:
      'A Kubernetes API server reachable from the whole internet is a direct path into the ' +
      'cardholder data environment; PCI DSS 1.3.1 and 1.4 ask that only needed traffic from ' +
      'untrusted networks reaches it.',
    remediation:
      'Disable public access, or restrict it to your office/VPN CIDRs: `aws eks ' +
      'update-cluster-config --name <cluster> --resources-vpc-config ' +
      'endpointPublicAccess=false,endpointPrivateAccess=true` (or ' +
      '`publicAccessCidrs=203.0.113.0/24`). Console: EKS > cluster > Networking > Manage endpoint access.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((r) => {
      const vpc = ((r.data as { resourcesVpcConfig?: EksVpcConfig } | null)?.resourcesVpcConfig ??
        {}) as EksVpcConfig;
      const name = displayName(r);
      const evidence = [
        ev(r.data, 'resourcesVpcConfig.endpointPublicAccess'),
        ev(r.data, 'resourcesVpcConfig.publicAccessCidrs'),
      ];
      if (vpc.endpointPublicAccess === false) {
        return pass(r, `${name}: API server endpoint is private only`, evidence);
      }
      const cidrs = asArray<string>(vpc.publicAccessCidrs);
      if (vpc.endpointPublicAccess === true && cidrs.length > 0 && !holdsOpenCidr(cidrs)) {
        return pass(r, `${name}: public API endpoint is limited to ${cidrs.join(', ')}`, evidence);
      }
      if (vpc.endpointPublicAccess !== true) {
        return fail(
          r,
          `${name}: endpointPublicAccess is not set, so the API server endpoint counts as public`,
          evidence,
        );
      }
      const open =
        cidrs.length === 0 ? 'all addresses' : cidrs.filter((c) => holdsOpenCidr([c])).join(', ');
      return fail(r, `${name}: API server endpoint is public and open to ${open}`, evidence);
    }),
});
