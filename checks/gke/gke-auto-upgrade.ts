import { gkeClusters, nodePools, poolEvidence, poolNames } from '../lib/gke.ts';
import { nonEmptyString } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const AUTO_UPGRADE = 'management.autoUpgrade';

export default defineCheck({
  meta: {
    id: 'gke-auto-upgrade',
    title: 'GKE cluster is kept patched by a release channel or node auto-upgrade',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['6.3.3'],
    rationale:
      'A release channel (or node auto-upgrade) applies GKE security patches without waiting ' +
      'for someone to remember; PCI DSS 6.3.3 asks that security patches are installed ' +
      'within a month of release for critical ones.',
    remediation:
      'Enroll the cluster in a release channel: `gcloud container clusters update <cluster> ' +
      '--location <location> --release-channel=regular`, or turn on auto-upgrade for each ' +
      'listed pool: `gcloud container node-pools update <pool> --cluster <cluster> --location ' +
      '<location> --enable-autoupgrade`. Console: Kubernetes Engine > Clusters > <cluster> > ' +
      'Details > Release channel.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const channel = data.releaseChannel?.channel;
      const channelEvidence = ev(data, 'releaseChannel.channel');
      if (nonEmptyString(channel) && channel !== 'UNSPECIFIED') {
        return pass(r, `${name}: the cluster is on the ${channel} release channel`, [
          channelEvidence,
        ]);
      }
      const pools = nodePools(data);
      const failing = pools.filter(({ pool }) => pool.management?.autoUpgrade !== true);
      if (pools.length === 0) {
        return pass(r, `${name}: no release channel, but the cluster has no node pools`, [
          channelEvidence,
          ev(data, 'nodePools'),
        ]);
      }
      if (failing.length === 0) {
        return pass(r, `${name}: every node pool has auto-upgrade enabled`, [
          channelEvidence,
          ...poolEvidence(data, pools, AUTO_UPGRADE),
        ]);
      }
      return fail(
        r,
        `${name}: no release channel, and node pool${failing.length > 1 ? 's' : ''} ` +
          `${poolNames(failing)} ${failing.length > 1 ? 'have' : 'has'} auto-upgrade off`,
        [channelEvidence, ...poolEvidence(data, failing, AUTO_UPGRADE)],
      );
    }),
});
