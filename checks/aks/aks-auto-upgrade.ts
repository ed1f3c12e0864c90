import { sameEnum, shown } from '../lib/azure.ts';
import { displayName, nonEmptyString } from '../lib/values.ts';
import { ev, get, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const PATH = 'properties.autoUpgradeProfile.upgradeChannel';

export default defineCheck({
  meta: {
    id: 'aks-auto-upgrade',
    title: 'AKS cluster has an automatic upgrade channel',
    severity: 'medium',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['6.3.3'],
    rationale:
      'An auto-upgrade channel keeps the cluster on supported, patched Kubernetes and node ' +
      'images without waiting for someone to remember; PCI DSS 6.3.3 requires security patches ' +
      'to be installed promptly.',
    remediation:
      '`az aks update --resource-group <rg> --name <cluster> --auto-upgrade-channel stable` (or ' +
      '`patch`, `rapid`, `node-image`), with a maintenance window (`az aks maintenanceconfiguration ' +
      'add --name aksManagedAutoUpgradeSchedule ...`). Portal: Kubernetes service > cluster > ' +
      'Settings > Cluster configuration > Automatic upgrade.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const channel = get(r.data, PATH);
      const ok = nonEmptyString(channel) && !sameEnum(channel, 'none');
      return verdict(
        ok,
        r,
        `${name}: automatic upgrades follow the ${String(channel)} channel`,
        `${name}: no automatic upgrade channel (autoUpgradeProfile.upgradeChannel is ${shown(channel)})`,
        [ev(r.data, PATH)],
      );
    }),
});
