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
    id: 'k8s-workload-no-privilege-escalation',
    title: 'Every container sets allowPrivilegeEscalation: false',
    severity: 'medium',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      'Unless allowPrivilegeEscalation is false, a process in the container can gain more ' +
      'privileges than its parent through setuid binaries or file capabilities (the ' +
      'no_new_privs flag is not set). The Kubernetes default is to allow it; PCI DSS 2.2.1 asks ' +
      'for secure configuration standards, which set it explicitly.',
    remediation:
      'Set it on every container, init and ephemeral containers included: ' +
      '`securityContext: {allowPrivilegeEscalation: false}` (e.g. `kubectl -n <ns> edit deployment <name>`); ' +
      'the restricted Pod Security Standard enforces it.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const bad = w.containers.filter(
        (ref) => ref.container.securityContext?.allowPrivilegeEscalation !== false,
      );
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: every container sets allowPrivilegeEscalation: false`,
        `${w.label}: ${bad.map(containerLabel).join(', ')} ${bad.length === 1 ? 'does' : 'do'} not set allowPrivilegeEscalation: false`,
        (bad.length > 0 ? bad : w.containers).map((ref) =>
          evidence(
            fieldPath(...containerField(w, ref, 'securityContext', 'allowPrivilegeEscalation')),
            ref.container.securityContext?.allowPrivilegeEscalation,
          ),
        ),
      );
    }),
});
