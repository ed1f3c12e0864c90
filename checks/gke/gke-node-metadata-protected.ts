import { gkeClusters, isAutopilot, nodePools, poolEvidence, poolNames } from '../lib/gke.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const MODE = 'config.workloadMetadataConfig.mode';

export default defineCheck({
  meta: {
    id: 'gke-node-metadata-protected',
    title: 'GKE node pools hide the node metadata server from pods (GKE_METADATA)',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['7.2.5'],
    rationale:
      'Pods that reach the node metadata server can take the node service account token and ' +
      'kubelet credentials; the GKE metadata server limits them to their own Workload ' +
      'Identity, which PCI DSS 7.2.5 asks for system and application accounts.',
    remediation:
      'For each listed pool: `gcloud container node-pools update <pool> --cluster <cluster> ' +
      '--location <location> --workload-metadata=GKE_METADATA` (Workload Identity must be ' +
      'enabled on the cluster). Console: Kubernetes Engine > Clusters > <cluster> > Nodes > ' +
      '<pool> > Edit > Security > Enable GKE Metadata Server.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      if (isAutopilot(data)) {
        return pass(r, `${name}: Autopilot always uses the GKE metadata server`, [
          ev(data, 'autopilot.enabled'),
        ]);
      }
      const pools = nodePools(data);
      const failing = pools.filter(
        ({ pool }) => pool.config?.workloadMetadataConfig?.mode !== 'GKE_METADATA',
      );
      if (pools.length === 0) {
        return pass(r, `${name}: the cluster has no node pools`, [
          ev(data, 'autopilot.enabled'),
          ev(data, 'nodePools'),
        ]);
      }
      if (failing.length === 0) {
        return pass(r, `${name}: every node pool uses the GKE metadata server`, [
          ev(data, 'autopilot.enabled'),
          ...poolEvidence(data, pools, MODE),
        ]);
      }
      return fail(
        r,
        `${name}: node pool${failing.length > 1 ? 's' : ''} ${poolNames(failing)} ` +
          `${failing.length > 1 ? 'expose' : 'exposes'} the node metadata server to pods ` +
          '(workload metadata mode is not GKE_METADATA)',
        [ev(data, 'autopilot.enabled'), ...poolEvidence(data, failing, MODE)],
      );
    }),
});
