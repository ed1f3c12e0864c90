import {
  containerLabel,
  effectiveSecurityContext,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-runs-as-non-root',
    title: 'Every container is required to run as a non-root user',
    severity: 'medium',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      'A container that runs as UID 0 is root on the node as soon as it escapes its isolation ' +
      '(a kernel or runtime flaw, a mounted socket). Unless runAsNonRoot is true or a non-zero ' +
      'runAsUser is set, the image decides, and most images run as root. PCI DSS 2.2.1 asks for ' +
      'secure configuration standards that address such known weaknesses.',
    remediation:
      'Set, on the pod or on each container, `securityContext: {runAsNonRoot: true, runAsUser: 10001}` ' +
      '(e.g. `kubectl -n <ns> edit deployment <name>`), and build the image with a non-root `USER`; ' +
      'never set `runAsUser: 0`.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const judged = w.containers.map((ref) => {
        const user = effectiveSecurityContext(w, ref, 'runAsUser');
        const nonRoot = effectiveSecurityContext(w, ref, 'runAsNonRoot');
        const uid = typeof user.value === 'number' ? user.value : undefined;
        const problem =
          uid === 0
            ? 'runs as UID 0'
            : nonRoot.value === true || (uid !== undefined && uid > 0)
              ? undefined
              : 'sets neither runAsNonRoot: true nor a runAsUser above 0';
        return { ref, user, nonRoot, problem };
      });
      const bad = judged.filter((j) => j.problem !== undefined);
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: every container runs as non-root`,
        `${w.label}: ${bad.map((j) => `${containerLabel(j.ref)} ${j.problem}`).join('; ')}`,
        (bad.length > 0 ? bad : judged).flatMap((j) => [j.user, j.nonRoot]),
      );
    }),
});
