import { shown } from '../lib/azure.ts';
import { displayName, isTrue } from '../lib/values.ts';
import { ev, get, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const PATH = 'properties.securityProfile.workloadIdentity.enabled';

export default defineCheck({
  meta: {
    id: 'aks-workload-identity',
    title: 'AKS cluster has Microsoft Entra Workload ID enabled',
    severity: 'low',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['8.6.3'],
    rationale:
      'Workload ID lets pods get short-lived Entra tokens through federation instead of ' +
      'long-lived client secrets in Secrets or environment variables (PCI DSS 8.6.3).',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --enable-oidc-issuer ' +
      '--enable-workload-identity`. Portal: Kubernetes service > cluster > Settings > Security ' +
      'configuration > Workload Identity.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const value = get(r.data, PATH);
      return verdict(
        isTrue(value),
        r,
        `${name}: Microsoft Entra Workload ID is enabled`,
        `${name}: Microsoft Entra Workload ID is not enabled (workloadIdentity.enabled is ${shown(value)})`,
        [ev(r.data, PATH)],
      );
    }),
});
