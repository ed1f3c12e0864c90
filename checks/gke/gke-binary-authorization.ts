import { gkeClusters } from '../lib/gke.ts';
import { nonEmptyString } from '../lib/values.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const ENFORCING_MODES: readonly string[] = [
  'PROJECT_SINGLETON_POLICY_ENFORCE',
  'POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE',
];

export default defineCheck({
  meta: {
    id: 'gke-binary-authorization',
    title: 'GKE Binary Authorization enforces a deploy-time image policy',
    severity: 'low',
    resourceTypes: ['gcp.gke.cluster'],
    lookups: [],
    requirements: ['2.2.1', '6.3.2'],
    rationale:
      'Binary Authorization admits only images that meet a policy (trusted registries, signed ' +
      'builds), so unreviewed software cannot run in the cluster; it supports PCI DSS 2.2.1 ' +
      'configuration standards and 6.3.2 inventory of bespoke and third-party software.',
    remediation:
      '`gcloud container clusters update <cluster> --location <location> ' +
      '--binauthz-evaluation-mode=PROJECT_SINGLETON_POLICY_ENFORCE`, and set the project ' +
      'policy (`gcloud container binauthz policy import policy.yaml`). Console: Kubernetes ' +
      'Engine > Clusters > <cluster> > Details > Security > Binary authorization.',
  },
  evaluate: (ctx) =>
    gkeClusters(ctx.index).map(({ resource: r, data, name }) => {
      const binauthz = data.binaryAuthorization;
      const mode = binauthz?.evaluationMode;
      const evidence = [
        ev(data, 'binaryAuthorization.evaluationMode'),
        ev(data, 'binaryAuthorization.enabled'),
      ];
      if (typeof mode === 'string' && ENFORCING_MODES.includes(mode)) {
        return pass(r, `${name}: Binary Authorization enforces policy (${mode})`, evidence);
      }
      if (binauthz?.enabled === true) {
        return pass(r, `${name}: Binary Authorization is enabled`, evidence);
      }
      return fail(
        r,
        `${name}: Binary Authorization is not enforced (evaluation mode ` +
          `${nonEmptyString(mode) ? mode : 'missing'})`,
        evidence,
      );
    }),
});
