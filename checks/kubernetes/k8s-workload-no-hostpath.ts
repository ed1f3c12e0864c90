import { evidence, fieldPath, specField, workloadsToEvaluate } from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-no-hostpath',
    title: 'No pod mounts a directory of the node (hostPath)',
    severity: 'high',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['2.2.1'],
    rationale:
      "A hostPath volume gives the pod the node's files: the container runtime socket, kubelet " +
      "credentials, other pods' data and logs. Writing there is a known path to node takeover. " +
      'PCI DSS 2.2.1 asks for secure configuration standards that address such known weaknesses.',
    remediation:
      'Replace the `hostPath` volume with an `emptyDir`, a `configMap`/`secret` volume or a ' +
      'PersistentVolumeClaim: `kubectl -n <ns> edit deployment <name>` and change ' +
      '`volumes: [{name: data, hostPath: {path: /data}}]` to `volumes: [{name: data, emptyDir: {}}]`. ' +
      'Node agents (log shippers) belong in a system namespace.',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const volumes: unknown[] = Array.isArray(w.spec.volumes) ? w.spec.volumes : [];
      const bad = volumes.flatMap((v, index) => {
        const vol = v as { name?: unknown; hostPath?: { path?: unknown } | null } | null;
        return vol?.hostPath !== undefined && vol?.hostPath !== null
          ? [{ index, name: String(vol.name ?? `#${index}`), hostPath: vol.hostPath }]
          : [];
      });
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: no hostPath volume`,
        `${w.label}: ${bad.map((b) => `volume ${b.name} mounts host path ${String(b.hostPath.path ?? '?')}`).join(', ')}`,
        bad.map((b) =>
          evidence(fieldPath(...specField(w, 'volumes', b.index, 'hostPath')), b.hostPath),
        ),
      );
    }),
});
