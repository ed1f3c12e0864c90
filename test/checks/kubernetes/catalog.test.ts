import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubernetesChecks } from '../../../checks/kubernetes/index.ts';
import { WORKLOAD_TYPES } from '../../../checks/lib/workloads.ts';

const BINDINGS = ['kubernetes.ClusterRoleBinding', 'kubernetes.RoleBinding'];
const NAMESPACE = ['kubernetes.Namespace'];

/** CHECKS.md, "Kubernetes objects": id, severity, PCI requirements, resource types, lookups. */
const CATALOG: Array<[string, string, string[], readonly string[], string[]]> = [
  // Its lookups are ours (not in CHECKS.md): with the cluster's roles unread, no binding PASSes.
  [
    'k8s-cluster-admin-restricted',
    'critical',
    ['7.2.1', '7.2.2', '7.2.5'],
    BINDINGS,
    ['kubernetes.Role', 'kubernetes.ClusterRole'],
  ],
  [
    'k8s-namespace-default-deny-egress',
    'medium',
    ['1.3.2'],
    NAMESPACE,
    ['kubernetes.NetworkPolicy'],
  ],
  [
    'k8s-namespace-default-deny-ingress',
    'high',
    ['1.3.1'],
    NAMESPACE,
    ['kubernetes.NetworkPolicy'],
  ],
  ['k8s-namespace-pod-security-enforced', 'medium', ['2.2.1'], NAMESPACE, []],
  ['k8s-no-anonymous-bindings', 'critical', ['7.2.1', '8.2.1'], BINDINGS, []],
  [
    'k8s-rbac-no-wildcards',
    'high',
    ['7.2.1', '7.2.2'],
    ['kubernetes.Role', 'kubernetes.ClusterRole'],
    [],
  ],
  [
    'k8s-secrets-access-restricted',
    'high',
    ['3.6.1', '7.2.1', '7.2.2'],
    BINDINGS,
    ['kubernetes.Role', 'kubernetes.ClusterRole'],
  ],
  ['k8s-workload-images-pinned', 'low', ['6.3.2'], WORKLOAD_TYPES, []],
  ['k8s-workload-no-added-capabilities', 'high', ['2.2.1'], WORKLOAD_TYPES, []],
  ['k8s-workload-no-host-namespaces', 'high', ['1.3.1', '2.2.1'], WORKLOAD_TYPES, []],
  ['k8s-workload-no-host-ports', 'low', ['1.2.5', '1.3.1'], WORKLOAD_TYPES, []],
  ['k8s-workload-no-hostpath', 'high', ['2.2.1'], WORKLOAD_TYPES, []],
  ['k8s-workload-no-privilege-escalation', 'medium', ['2.2.1'], WORKLOAD_TYPES, []],
  ['k8s-workload-no-secret-literals', 'high', ['8.6.2'], WORKLOAD_TYPES, []],
  ['k8s-workload-not-default-service-account', 'low', ['7.2.5', '8.2.2'], WORKLOAD_TYPES, []],
  ['k8s-workload-not-privileged', 'critical', ['2.2.1', '2.2.5'], WORKLOAD_TYPES, []],
  ['k8s-workload-runs-as-non-root', 'medium', ['2.2.1'], WORKLOAD_TYPES, []],
  [
    'k8s-workload-token-not-automounted',
    'low',
    ['7.2.5'],
    WORKLOAD_TYPES,
    ['kubernetes.ServiceAccount'],
  ],
  ['k8s-workload-trusted-registries', 'medium', ['2.2.1', '6.3.2'], WORKLOAD_TYPES, []],
];

const CHECK_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../checks/kubernetes');

describe('kubernetes catalog', () => {
  it('registers-the-19-checks-sorted-by-id', () => {
    const ids = kubernetesChecks.map((c) => c.meta.id);
    expect(ids).toEqual(CATALOG.map(([id]) => id));
    expect(ids).toEqual([...ids].sort());
  });

  it('has-one-file-per-check-named-by-its-id', () => {
    const files = readdirSync(CHECK_DIR)
      .filter((f) => f !== 'index.ts')
      .sort();
    expect(files).toEqual(CATALOG.map(([id]) => `${id}.ts`));
  });

  it.each(CATALOG)('%s-matches-the-catalog', (id, severity, requirements, types, lookups) => {
    const check = kubernetesChecks.find((c) => c.meta.id === id);
    expect(check?.meta).toMatchObject({
      id,
      severity,
      requirements,
      resourceTypes: types,
      lookups,
    });
    expect(check?.meta.title).toBeTruthy();
    expect(check?.meta.rationale.length).toBeGreaterThan(80);
    expect(check?.meta.remediation).toMatch(/kubectl/);
  });

  it.each(kubernetesChecks.map((c) => [c.meta.id, c] as const))(
    '%s-options-parse-empty-to-defaults',
    (_id, check) => {
      expect(() => (check.options ?? { parse: () => ({}) }).parse({})).not.toThrow();
    },
  );
});
