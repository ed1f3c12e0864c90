import {
  serviceAccountEvidence,
  serviceAccountOf,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-not-default-service-account',
    title: 'Every workload runs under its own ServiceAccount, not default',
    severity: 'low',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['7.2.5', '8.2.2'],
    rationale:
      "Pods that use the namespace's default ServiceAccount share one identity: whatever is " +
      'granted to one is granted to all, and API audit logs cannot tell them apart. PCI DSS 7.2.5 ' +
      'asks that system and application accounts get only the access they need, and 8.2.2 that ' +
      'shared accounts are not used.',
    remediation:
      'Create a ServiceAccount per application and use it: `kubectl -n <ns> create serviceaccount <app>` ' +
      'then `kubectl -n <ns> set serviceaccount deployment/<name> <app>` (sets ' +
      '`spec.template.spec.serviceAccountName`).',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const account = serviceAccountOf(w.spec);
      const given =
        typeof w.spec.serviceAccountName === 'string' && w.spec.serviceAccountName
          ? 'serviceAccountName'
          : typeof w.spec.serviceAccount === 'string' && w.spec.serviceAccount
            ? 'serviceAccount'
            : undefined;
      return verdict(
        account !== 'default',
        w.resource,
        `${w.label}: runs as ServiceAccount ${account}`,
        given
          ? `${w.label}: runs as the default ServiceAccount (${given}: default)`
          : `${w.label}: sets no serviceAccountName, so it runs as the default ServiceAccount`,
        serviceAccountEvidence(w),
      );
    }),
});
