import { gkeClusters, isAutopilot } from '../lib/gke.ts';
import { nonEmptyString } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-workload-identity-enabled',
    title: 'GKE Workload Identity Federation is enabled',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['7.2.5', '8.6.3'],
    rationale:
      'Without Workload Identity every pod acts as the node service account, so workloads ' +
      'cannot get least-privilege identities of their own and often fall back to exported ' +
      'keys; PCI DSS 7.2.5 and 8.6.3 ask that system accounts get only the access they need ' +
      'and that their credentials are protected.',
    remediation:
      'Enable Workload Identity: `gcloud container clusters update <cluster> --location ' +
      '<location> --workload-pool=<project>.svc.id.goog`, then for each pool `gcloud container ' +
      'node-pools update <pool> --cluster <cluster> --location <location> ' +
      '--workload-metadata=GKE_METADATA`. Console: Kubernetes Engine > Clusters > <cluster> > ' +
      'Details > Security > Workload Identity.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const evidence = [
        ev(data, 'workloadIdentityConfig.workloadPool'),
        ev(data, 'autopilot.enabled'),
      ];
      const pool = data.workloadIdentityConfig?.workloadPool;
      if (nonEmptyString(pool)) {
        return pass(r, `${name}: Workload Identity is enabled (pool ${pool})`, evidence);
      }
      if (isAutopilot(data)) {
        return pass(r, `${name}: Autopilot always uses Workload Identity`, evidence);
      }
      return fail(r, `${name}: Workload Identity is not enabled (no workload pool)`, evidence);
    }),
});
