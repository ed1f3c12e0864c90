import { armProperties, shown } from '../lib/azure.ts';
import { displayName, isTrue } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-local-accounts-disabled',
    title: 'AKS cluster has local (shared admin) accounts disabled',
    severity: 'high',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['8.2.2'],
    rationale:
      'Local accounts hand out a static cluster-admin certificate (`az aks get-credentials ' +
      '--admin`) that is shared, not tied to a person and not revocable per user; PCI DSS 8.2.2 ' +
      'forbids shared and generic accounts.',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --disable-local-accounts` (needs ' +
      'managed Entra ID integration). Portal: Kubernetes service > cluster > Settings > Security ' +
      'configuration > Authentication and Authorization > Kubernetes local accounts.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const value = armProperties(r).disableLocalAccounts;
      return verdict(
        isTrue(value),
        r,
        `${name}: local accounts are disabled`,
        `${name}: local accounts are enabled (disableLocalAccounts is ${shown(value)})`,
        [ev(r.data, 'properties.disableLocalAccounts')],
      );
    }),
});
