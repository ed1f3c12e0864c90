import {
  containerField,
  containerLabel,
  evidence,
  fieldPath,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-not-privileged',
    title: 'No container runs privileged',
    severity: 'critical',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['2.2.1', '2.2.5'],
    rationale:
      "A privileged container has every capability and the host's devices: it is root on the " +
      'node, and from there on every pod of that node. PCI DSS 2.2.1 asks for secure ' +
      'configuration standards and 2.2.5 that insecure functions are justified and secured.',
    remediation:
      "Remove `privileged: true` from the container's `securityContext` (or set it to false) " +
      'and grant only the capability it needs, e.g. `kubectl -n <ns> edit deployment <name>` → ' +
      '`securityContext: {privileged: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}`.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const bad = w.containers.filter((ref) => ref.container.securityContext?.privileged === true);
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: no container is privileged`,
        `${w.label}: ${bad.map(containerLabel).join(', ')} ${bad.length === 1 ? 'runs' : 'run'} privileged`,
        (bad.length > 0 ? bad : w.containers).map((ref) =>
          evidence(
            fieldPath(...containerField(w, ref, 'securityContext', 'privileged')),
            ref.container.securityContext?.privileged,
          ),
        ),
      );
    }),
});
