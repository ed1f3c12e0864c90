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

/** The capabilities the Pod Security baseline standard allows a container to add. */
const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export default defineCheck({
  meta: {
    id: 'k8s-workload-no-added-capabilities',
    title: 'No container adds a Linux capability beyond the Pod Security baseline set',
    severity: 'high',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or ALL give a container parts of ' +
      "root's power over the node: mounting filesystems, changing the network, reading other " +
      'processes. PCI DSS 2.2.1 asks for secure configuration standards; the Pod Security ' +
      'baseline lists the only capabilities a workload may add.',
    remediation:
      'Drop the extra capabilities from `securityContext.capabilities.add` and start from ' +
      '`capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}` (e.g. `kubectl -n <ns> edit deployment <name>`); ' +
      'baseline allows AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, ' +
      'NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const bad = w.containers.flatMap((ref) => {
        const add: unknown = ref.container.securityContext?.capabilities?.add;
        const list: unknown[] = Array.isArray(add) ? add : [];
        const extra = list.filter((c) => typeof c !== 'string' || !BASELINE_CAPABILITIES.has(c));
        return extra.length > 0 ? [{ ref, add: list, extra }] : [];
      });
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: no container adds a capability beyond the baseline set`,
        `${w.label}: ${bad.map((b) => `${containerLabel(b.ref)} adds ${b.extra.map(String).join(', ')}`).join('; ')}`,
        bad.map((b) =>
          evidence(
            fieldPath(...containerField(w, b.ref, 'securityContext', 'capabilities', 'add')),
            b.add,
          ),
        ),
      );
    }),
});
