import { evidence, fieldPath, metaOf, namespacesToEvaluate } from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export default defineCheck({
  meta: {
    id: 'k8s-namespace-pod-security-enforced',
    title: 'Every application namespace enforces the baseline or restricted Pod Security Standard',
    severity: 'medium',
    resourceTypes: ['kubernetes.Namespace'],
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      'Pod Security Admission in enforce mode rejects pods that break the standard (privileged ' +
      'containers, host namespaces, hostPath, added capabilities) before they run. PCI DSS 2.2.1 ' +
      'asks for configuration standards that are applied to every system component; the enforce ' +
      'label makes the cluster apply one.',
    remediation:
      'Label the namespace: `kubectl label --overwrite ns <ns> ' +
      'pod-security.kubernetes.io/enforce=restricted` (or `=baseline`); run with ' +
      '`pod-security.kubernetes.io/warn=restricted` first to see which pods would be rejected.',
  },
  evaluate: (ctx) =>
    namespacesToEvaluate(ctx).map((ns) => {
      const name = metaOf(ns).name ?? '';
      const labels = metaOf(ns).labels;
      const value = labels !== null && typeof labels === 'object' ? labels[ENFORCE] : undefined;
      return verdict(
        value === 'baseline' || value === 'restricted',
        ns,
        `Namespace/${name}: Pod Security ${value} is enforced`,
        value === undefined
          ? `Namespace/${name}: label ${ENFORCE} is not set, no Pod Security Standard is enforced`
          : `Namespace/${name}: label ${ENFORCE} is ${JSON.stringify(value)}, not baseline or restricted`,
        [evidence(fieldPath('metadata', 'labels', ENFORCE), value)],
      );
    }),
});
