import { gkeClusters } from '../lib/gke.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-shielded-nodes',
    title: 'GKE Shielded Nodes are enabled',
    severity: 'medium',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      'Shielded Nodes give nodes a verifiable identity and integrity (Secure Boot, vTPM), so ' +
      'an attacker cannot impersonate a node to steal its credentials; PCI DSS 2.2.1 asks for ' +
      'configuration standards that address known security weaknesses.',
    remediation:
      '`gcloud container clusters update <cluster> --location <location> ' +
      '--enable-shielded-nodes`. Console: Kubernetes Engine > Clusters > <cluster> > Details > ' +
      'Security > Shielded GKE nodes.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) =>
      verdict(
        data.shieldedNodes?.enabled === true,
        r,
        `${name}: Shielded Nodes are enabled`,
        `${name}: Shielded Nodes are not enabled`,
        [ev(data, 'shieldedNodes.enabled')],
      ),
    ),
});
