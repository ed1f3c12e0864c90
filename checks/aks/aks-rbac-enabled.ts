import { armProperties, shown } from '../lib/azure.ts';
import { displayName, isTrue } from '../lib/values.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'aks-rbac-enabled',
    title: 'AKS cluster has Kubernetes RBAC enabled',
    severity: 'high',
    resourceTypes: ['azure.aks.managed-cluster'],
    lookups: [],
    requirements: ['7.2.1'],
    rationale:
      'Without Kubernetes RBAC every authenticated identity can do anything in the cluster; ' +
      'PCI DSS 7.2.1 requires access to be granted by job function and least privilege.',
    remediation:
      'Kubernetes RBAC cannot be switched on for an existing AKS cluster: create a replacement ' +
      'cluster without `--disable-rbac` (`az aks create --resource-group <rg> --name <cluster> ' +
      '--enable-aad --enable-azure-rbac ...`), move the workloads, then delete the old cluster.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.aks.managed-cluster').map((r) => {
      const name = displayName(r);
      const value = armProperties(r).enableRBAC;
      return verdict(
        isTrue(value),
        r,
        `${name}: Kubernetes RBAC is enabled`,
        `${name}: Kubernetes RBAC is ${value === false ? 'disabled' : 'not set'} (enableRBAC is ${shown(value)})`,
        [ev(r.data, 'properties.enableRBAC')],
      );
    }),
});
