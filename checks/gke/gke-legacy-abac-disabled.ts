import { gkeClusters } from '../lib/gke.ts';
import { ev, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'gke-legacy-abac-disabled',
    title: 'GKE legacy ABAC authorization is disabled',
    severity: 'high',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['7.2.1'],
    rationale:
      'Legacy ABAC grants broad static permissions that bypass RBAC, so access cannot be ' +
      'limited to what each role needs; PCI DSS 7.2.1 asks for an access control model based ' +
      'on least privilege.',
    remediation:
      'Disable legacy authorization: `gcloud container clusters update <cluster> --location ' +
      '<location> --no-enable-legacy-authorization`. Console: Kubernetes Engine > Clusters > ' +
      '<cluster> > Details > Security > Legacy authorization.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) =>
      verdict(
        data.legacyAbac?.enabled !== true,
        r,
        `${name}: legacy ABAC is disabled`,
        `${name}: legacy ABAC is enabled`,
        [ev(data, 'legacyAbac.enabled')],
      ),
    ),
});
