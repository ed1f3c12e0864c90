import { armProperties, shown } from '../lib/azure.ts';
import { displayName, isPresent, isTrue } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-azure-rbac',
    title: 'AKS cluster authorizes Kubernetes access with Azure RBAC',
    severity: 'medium',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['7.2.1', '7.2.2'],
    rationale:
      'Azure RBAC for Kubernetes authorization puts cluster permissions in the same reviewed, ' +
      'audited role assignments as the rest of the estate, so access follows job function ' +
      '(PCI DSS 7.2.1, 7.2.2).',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --enable-azure-rbac` (needs managed ' +
      'Entra ID integration). Portal: Kubernetes service > cluster > Settings > Security ' +
      'configuration > Authentication and Authorization > Microsoft Entra ID authentication with Azure RBAC.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const aad = armProperties(r).aadProfile;
      const value = isPresent(aad) ? aad.enableAzureRBAC : undefined;
      return verdict(
        isTrue(value),
        r,
        `${name}: Azure RBAC for Kubernetes authorization is enabled`,
        `${name}: Azure RBAC for Kubernetes authorization is not enabled (aadProfile.enableAzureRBAC is ${shown(value)})`,
        [ev(r.data, 'properties.aadProfile.enableAzureRBAC')],
      );
    }),
});
