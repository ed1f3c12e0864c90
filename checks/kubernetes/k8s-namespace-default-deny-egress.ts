import { defaultDenyVerdicts } from '../lib/kubernetes.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-namespace-default-deny-egress',
    title: 'Every application namespace denies egress by default',
    severity: 'medium',
    resourceTypes: ['kubernetes.Namespace'],
    lookups: ['kubernetes.NetworkPolicy'],
    requirements: ['1.3.2'],
    rationale:
      'Without a default-deny egress policy a compromised pod can reach any address, inside the ' +
      'cluster or on the internet, to move laterally or send data out. PCI DSS 1.3.2 asks that ' +
      'outbound traffic from the cardholder data environment is restricted to what is needed.',
    remediation:
      'Apply a default-deny egress policy to the namespace, then allow DNS and the needed ' +
      'destinations with narrower policies: `kubectl -n <ns> apply -f -` with ' +
      '`apiVersion: networking.k8s.io/v1`, `kind: NetworkPolicy`, ' +
      '`metadata: {name: default-deny-egress}`, `spec: {podSelector: {}, policyTypes: [Egress]}`.',
  },
  evaluate: (ctx) => defaultDenyVerdicts(ctx, 'Egress'),
});
