import { gkeClusters } from '../lib/gke.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-private-nodes',
    title: 'GKE nodes have internal IP addresses only',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['1.4.4'],
    rationale:
      'Nodes with external IP addresses can be reached from, and reach, the internet directly; ' +
      'PCI DSS 1.4.4 asks that system components storing cardholder data are not directly ' +
      'accessible from untrusted networks.',
    remediation:
      'Make the nodes private: `gcloud container clusters update <cluster> --location <location> ' +
      '--enable-private-nodes` (or per pool: `gcloud container node-pools update <pool> ' +
      '--cluster <cluster> --location <location> --enable-private-nodes`); add Cloud NAT for ' +
      'egress. Console: Kubernetes Engine > Clusters > <cluster> > Details > Networking > ' +
      'Private nodes.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) =>
      verdict(
        data.privateClusterConfig?.enablePrivateNodes === true ||
          data.networkConfig?.defaultEnablePrivateNodes === true,
        r,
        `${name}: nodes are private (internal IP addresses only)`,
        `${name}: private nodes are not enabled, so nodes get external IP addresses`,
        [
          ev(data, 'privateClusterConfig.enablePrivateNodes'),
          ev(data, 'networkConfig.defaultEnablePrivateNodes'),
        ],
      ),
    ),
});
