import { type GkeNodePool, gkeClusters, nodePools, poolEvidence, poolNames } from '../lib/gke.ts';
import { nonEmptyString } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const SA = 'config.serviceAccount';

/** True when the pool runs as the Compute Engine default service account (or names none). */
function usesDefaultAccount(pool: GkeNodePool): boolean {
  const sa = pool.config?.serviceAccount;
  return (
    !nonEmptyString(sa) || sa === 'default' || sa.endsWith('-compute@developer.gserviceaccount.com')
  );
}

export default defineCheck({
  meta: {
    id: 'gke-nodes-not-default-service-account',
    title: 'GKE node pools run as a dedicated service account, not the Compute Engine default',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['2.2.2', '7.2.5'],
    rationale:
      'The Compute Engine default service account has the Editor role on the project by ' +
      'default, so any pod that reaches node credentials gets it too; PCI DSS 2.2.2 asks that ' +
      'vendor default accounts are managed and 7.2.5 that system accounts get least privilege.',
    remediation:
      'Create a least-privilege service account (roles/container.defaultNodeServiceAccount), ' +
      'then a new pool that uses it: `gcloud container node-pools create <pool> --cluster ' +
      '<cluster> --location <location> --service-account=<name>@<project>.iam.gserviceaccount.com`; ' +
      'move the workloads and delete each listed pool (`gcloud container node-pools delete ' +
      '<pool> --cluster <cluster> --location <location>`).',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const pools = nodePools(data);
      const failing = pools.filter(({ pool }) => usesDefaultAccount(pool));
      if (pools.length === 0) {
        return pass(r, `${name}: the cluster has no node pools`, [ev(data, 'nodePools')]);
      }
      if (failing.length === 0) {
        return pass(
          r,
          `${name}: every node pool runs as a dedicated service account`,
          poolEvidence(data, pools, SA),
        );
      }
      return fail(
        r,
        `${name}: node pool${failing.length > 1 ? 's' : ''} ${poolNames(failing)} ` +
          `${failing.length > 1 ? 'run' : 'runs'} as the Compute Engine default service account`,
        poolEvidence(data, failing, SA),
      );
    }),
});
