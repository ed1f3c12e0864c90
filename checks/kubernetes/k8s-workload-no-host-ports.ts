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
    id: 'k8s-workload-no-host-ports',
    title: 'No container binds a port of the node (hostPort)',
    severity: 'low',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['1.2.5', '1.3.1'],
    rationale:
      "A hostPort opens a port on the node's own address, outside Services and often outside " +
      'NetworkPolicy, so the set of open ports no longer matches the approved list. PCI DSS 1.2.5 ' +
      'asks that all allowed ports are identified and approved, and 1.3.1 that inbound traffic is restricted.',
    remediation:
      "Remove `hostPort` from the container's `ports[]` and expose it with a Service " +
      '(`kubectl -n <ns> expose deployment <name> --port 443 --target-port 8443`), or an Ingress / ' +
      'LoadBalancer for traffic from outside the cluster.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const bad = w.containers.flatMap((ref) => {
        const ports: unknown[] = Array.isArray(ref.container.ports) ? ref.container.ports : [];
        return ports.flatMap((p, index) => {
          const hostPort = (p as { hostPort?: unknown } | null)?.hostPort;
          return hostPort !== undefined && hostPort !== null && Number(hostPort) !== 0
            ? [{ ref, index, hostPort }]
            : [];
        });
      });
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: no container uses a hostPort`,
        `${w.label}: ${bad.map((b) => `${containerLabel(b.ref)} binds hostPort ${String(b.hostPort)}`).join(', ')}`,
        bad.map((b) =>
          evidence(
            fieldPath(...containerField(w, b.ref, 'ports', b.index, 'hostPort')),
            b.hostPort,
          ),
        ),
      );
    }),
});
