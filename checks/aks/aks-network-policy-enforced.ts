import { armProperties, sameEnum, shown } from '../lib/azure.ts';
import { displayName, isPresent } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

/** The `networkProfile.networkPolicy` values that enforce Kubernetes NetworkPolicies. */
const ENFORCING = ['azure', 'calico', 'cilium'];

export default defineCheck({
  meta: {
    id: 'aks-network-policy-enforced',
    title: 'AKS cluster enforces Kubernetes network policies',
    severity: 'high',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['1.3.1', '1.3.2'],
    rationale:
      'Without a network policy engine, NetworkPolicy objects are ignored and every pod can ' +
      'reach every other pod; PCI DSS 1.3.1 and 1.3.2 require inbound and outbound traffic of ' +
      'the cardholder data environment to be restricted to what is necessary.',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --network-policy azure` (or ' +
      '`calico`; `cilium` needs `--network-dataplane cilium`). Portal: Kubernetes service > ' +
      'cluster > Settings > Networking > Network policy.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const profile = armProperties(r).networkProfile;
      const policy = isPresent(profile) ? profile.networkPolicy : undefined;
      const ok = ENFORCING.some((p) => sameEnum(policy, p));
      return verdict(
        ok,
        r,
        `${name}: network policies are enforced by ${String(policy)}`,
        `${name}: no network policy engine (networkProfile.networkPolicy is ${shown(policy)})`,
        [ev(r.data, 'properties.networkProfile.networkPolicy')],
      );
    }),
});
