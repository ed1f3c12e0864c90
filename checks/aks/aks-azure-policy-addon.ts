import { armProperties } from '../lib/azure.ts';
import { displayName, isPresent, isTrue } from '../lib/values.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-azure-policy-addon',
    title: 'AKS cluster runs the Azure Policy add-on',
    severity: 'low',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      'The Azure Policy add-on (Gatekeeper) enforces configuration standards, such as the Pod ' +
      'Security baseline, on everything deployed to the cluster (PCI DSS 2.2.1).',
    remediation:
      '`az aks enable-addons --addons azure-policy --resource-group <rg> --name <cluster>`. ' +
      'Portal: Kubernetes service > cluster > Settings > Policies > Enable add-on.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const addons = armProperties(r).addonProfiles;
      // ARM keys are case-insensitive: the add-on appears as `azurepolicy` or `azurePolicy`.
      const entries = isPresent(addons)
        ? Object.entries(addons).filter(([key]) => key.toLowerCase() === 'azurepolicy')
        : [];
      const evidence = entries.map(([key, profile]) => ({
        path: `properties.addonProfiles.${key}.enabled`,
        value: (isPresent(profile) ? profile.enabled : undefined) ?? null,
      }));
      const ok = evidence.length > 0 && evidence.every((e) => isTrue(e.value));
      const found =
        evidence.length === 0
          ? 'no azurepolicy entry in addonProfiles'
          : `${evidence.map((e) => `${e.path} is ${JSON.stringify(e.value)}`).join(', ')}`;
      return verdict(
        ok,
        r,
        `${name}: the Azure Policy add-on is enabled`,
        `${name}: the Azure Policy add-on is not enabled (${found})`,
        evidence.length > 0
          ? evidence
          : [{ path: 'properties.addonProfiles.azurepolicy', value: null }],
      );
    }),
});
