import { evidence, fieldPath, specField, workloadsToEvaluate } from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export default defineCheck({
  meta: {
    id: 'k8s-workload-no-host-namespaces',
    title: "No pod shares the node's network, process or IPC namespace",
    severity: 'high',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['1.3.1', '2.2.1'],
    rationale:
      "hostNetwork puts the pod on the node's interfaces, beyond NetworkPolicy, where it can " +
      "reach the node's services and sniff its traffic; hostPID and hostIPC expose every process " +
      'and shared memory of the node. PCI DSS 1.3.1 restricts network access to what is needed ' +
      'and 2.2.1 asks for secure configuration standards.',
    remediation:
      'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false): ' +
      '`kubectl -n <ns> patch deployment <name> --type merge -p ' +
      '\'{"spec":{"template":{"spec":{"hostNetwork":false,"hostPID":false,"hostIPC":false}}}}\'`; ' +
      'expose ports through a Service instead.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const on = FIELDS.filter((f) => w.spec[f] === true);
      return verdict(
        on.length === 0,
        w.resource,
        `${w.label}: uses none of hostNetwork, hostPID, hostIPC`,
        `${w.label}: pod spec sets ${on.map((f) => `${f}: true`).join(', ')}`,
        FIELDS.map((f) => evidence(fieldPath(...specField(w, f)), w.spec[f])),
      );
    }),
});
