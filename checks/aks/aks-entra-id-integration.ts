import { armProperties, shown } from '../lib/azure.ts';
import { displayName, isPresent, isTrue } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-entra-id-integration',
    title: 'AKS cluster authenticates users with managed Microsoft Entra ID integration',
    severity: 'high',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['8.2.1', '8.3.1'],
    rationale:
      'Managed Entra ID integration gives every person a unique identity with the tenant’s ' +
      'authentication factors (MFA, conditional access) when using kubectl; PCI DSS 8.2.1 and ' +
      '8.3.1 require unique IDs and strong authentication for all users.',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --enable-aad ' +
      '--aad-admin-group-object-ids <entra-group-object-id>`. Portal: Kubernetes service > ' +
      'cluster > Settings > Security configuration > Authentication and Authorization.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const aad = armProperties(r).aadProfile;
      const ok = isPresent(aad) && isTrue(aad.managed);
      const found = !isPresent(aad)
        ? 'no aadProfile'
        : `aadProfile.managed is ${shown(aad.managed)}`;
      return verdict(
        ok,
        r,
        `${name}: managed Microsoft Entra ID integration is enabled`,
        `${name}: managed Microsoft Entra ID integration is not enabled (${found})`,
        [ev(r.data, 'properties.aadProfile'), ev(r.data, 'properties.aadProfile.managed')],
      );
    }),
});
