import {
  errorVerdict,
  evidence,
  fieldPath,
  serviceAccountEvidence,
  serviceAccountOf,
  specField,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { fail, pass } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-token-not-automounted',
    title: 'Pods do not get a Kubernetes API token mounted unless they ask for one',
    severity: 'low',
    resourceTypes: WORKLOAD_TYPES,
    lookups: ['kubernetes.ServiceAccount'],
    requirements: ['7.2.5'],
    rationale:
      "By default every pod gets its ServiceAccount's API token mounted, so anyone who takes " +
      "over the container can call the Kubernetes API with the account's rights. PCI DSS 7.2.5 " +
      'asks that application accounts get only the access they need; most applications never ' +
      'call the API and need no token.',
    remediation:
      'Set `automountServiceAccountToken: false` on the ServiceAccount ' +
      '(`kubectl -n <ns> patch serviceaccount <sa> -p \'{"automountServiceAccountToken": false}\'`) ' +
      'or in the pod spec; pods that call the API set it to true explicitly, or mount a projected ' +
      'token with a short expiry and an audience.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const podPath = fieldPath(...specField(w, 'automountServiceAccountToken'));
      const podValue: unknown = w.spec.automountServiceAccountToken;
      const account = serviceAccountOf(w.spec);
      const podEvidence = evidence(podPath, podValue);
      if (podValue === true) {
        return fail(w.resource, `${w.label}: pod spec sets automountServiceAccountToken: true`, [
          podEvidence,
        ]);
      }
      if (podValue === false) {
        return pass(w.resource, `${w.label}: pod spec sets automountServiceAccountToken: false`, [
          podEvidence,
        ]);
      }
      const cluster = w.resource.scope.cluster;
      const sa =
        cluster === undefined
          ? undefined
          : ctx.index.k8sObject(cluster, 'ServiceAccount', w.namespace, account);
      const saValue = (sa?.data as { automountServiceAccountToken?: unknown } | undefined)
        ?.automountServiceAccountToken;
      if (saValue === false) {
        return pass(
          w.resource,
          `${w.label}: ServiceAccount ${account} sets automountServiceAccountToken: false`,
          [podEvidence, ...serviceAccountEvidence(w)],
        );
      }
      if (!sa && ctx.index.hasError('kubernetes.ServiceAccount', w.resource.scope)) {
        return errorVerdict(
          w.resource,
          `${w.label}: ServiceAccount ${account} could not be collected, so whether its token is mounted is unknown`,
          [podEvidence, ...serviceAccountEvidence(w)],
        );
      }
      return fail(
        w.resource,
        sa
          ? `${w.label}: the API token of ServiceAccount ${account} is mounted (neither the pod spec nor the ServiceAccount sets automountServiceAccountToken: false)`
          : `${w.label}: the API token of ServiceAccount ${account} is mounted (the pod spec does not set automountServiceAccountToken and the ServiceAccount is not in the inventory)`,
        [podEvidence, ...serviceAccountEvidence(w)],
      );
    }),
});
