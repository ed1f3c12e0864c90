import { defaultDenyVerdicts } from '../lib/kubernetes.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-namespace-default-deny-ingress',
    title: 'Every application namespace denies ingress by default',
    severity: 'high',
    resourceTypes: ['kubernetes.Namespace'],
    lookups: ['kubernetes.NetworkPolicy'],
    requirements: ['1.3.1'],
    rationale:
      'Without a default-deny policy every pod accepts connections from every other pod of the ' +
      'cluster. PCI DSS 1.3.1 asks that inbound traffic to the cardholder data environment is ' +
      'restricted to what is needed; a namespace-wide deny, with narrower allow policies on top, ' +
      'makes that the default.',
    remediation:
      'Apply a default-deny ingress policy to the namespace, then allow the needed flows with ' +
      'narrower policies: `kubectl -n <ns> apply -f -` with `apiVersion: networking.k8s.io/v1`, ' +
      '`kind: NetworkPolicy`, `metadata: {name: default-deny-ingress}`, ' +
      '`spec: {podSelector: {}, policyTypes: [Ingress]}`. It needs a CNI that enforces NetworkPolicy.',
  },
  evaluate: (ctx) => defaultDenyVerdicts(ctx, 'Ingress'),
});
