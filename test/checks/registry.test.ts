import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PCI_DSS_4_0_1 } from '../../checks/framework/pci-dss-4.0.1.ts';
import { ALL_CHECKS } from '../../checks/registry.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SURFACES = ['eks', 'gke', 'aks', 'kubernetes', 'aws-iam', 'gcp-iam', 'azure-rbac'];

/** The check ids of CHECKS.md v1, the catalog every release must implement. */
const CATALOG_V1 = [
  'eks-endpoint-not-public',
  'eks-private-endpoint-enabled',
  'eks-secrets-encrypted-kms',
  'eks-audit-logging-enabled',
  'eks-supported-version',
  'eks-access-entries-auth',
  'eks-nodegroup-no-open-ssh',
  'eks-network-policy-enforced',
  'gke-control-plane-not-public',
  'gke-private-nodes',
  'gke-network-policy-enforced',
  'gke-secrets-encrypted-kms',
  'gke-logging-enabled',
  'gke-legacy-abac-disabled',
  'gke-static-credentials-disabled',
  'gke-workload-identity-enabled',
  'gke-node-metadata-protected',
  'gke-nodes-not-default-service-account',
  'gke-shielded-nodes',
  'gke-auto-upgrade',
  'gke-vulnerability-scanning',
  'gke-binary-authorization',
  'aks-rbac-enabled',
  'aks-entra-id-integration',
  'aks-azure-rbac',
  'aks-local-accounts-disabled',
  'aks-api-server-not-public',
  'aks-network-policy-enforced',
  'aks-nodes-no-public-ip',
  'aks-secrets-encrypted-kms',
  'aks-encryption-at-host',
  'aks-defender-enabled',
  'aks-azure-policy-addon',
  'aks-auto-upgrade',
  'aks-workload-identity',
  'k8s-cluster-admin-restricted',
  'k8s-rbac-no-wildcards',
  'k8s-secrets-access-restricted',
  'k8s-no-anonymous-bindings',
  'k8s-namespace-default-deny-ingress',
  'k8s-namespace-default-deny-egress',
  'k8s-namespace-pod-security-enforced',
  'k8s-workload-not-privileged',
  'k8s-workload-no-host-namespaces',
  'k8s-workload-no-hostpath',
  'k8s-workload-no-host-ports',
  'k8s-workload-no-privilege-escalation',
  'k8s-workload-runs-as-non-root',
  'k8s-workload-no-added-capabilities',
  'k8s-workload-trusted-registries',
  'k8s-workload-images-pinned',
  'k8s-workload-no-secret-literals',
  'k8s-workload-not-default-service-account',
  'k8s-workload-token-not-automounted',
  'aws-iam-root-no-access-keys',
  'aws-iam-root-mfa',
  'aws-iam-console-users-mfa',
  'aws-iam-access-keys-rotated',
  'aws-iam-inactive-credentials-disabled',
  'aws-iam-password-policy',
  'aws-iam-no-full-admin-policies',
  'gcp-iam-no-basic-roles-for-people',
  'gcp-iam-service-accounts-not-admin',
  'gcp-iam-no-public-members',
  'gcp-iam-no-project-level-impersonation',
  'gcp-iam-audit-logging',
  'azure-rbac-owners-limited',
  'azure-rbac-no-user-access-admin',
  'azure-rbac-no-custom-wildcard-roles',
];

const requirementIds = new Set(PCI_DSS_4_0_1.requirements.map((r) => r.id));

describe('the check registry', () => {
  it('holds every check of the CHECKS.md v1 catalog', () => {
    expect(CATALOG_V1).toHaveLength(69);
    const ids = ALL_CHECKS.map((c) => c.meta.id);
    expect(CATALOG_V1.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('has unique ids', () => {
    const ids = ALL_CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has one file per check under checks/<surface>/, named by its id, with a test beside it', () => {
    const files = SURFACES.flatMap((s) =>
      readdirSync(join(ROOT, 'checks', s))
        .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
        .map((f) => ({ surface: s, id: f.slice(0, -3) })),
    );
    expect(files.map((f) => f.id).sort()).toEqual(ALL_CHECKS.map((c) => c.meta.id).sort());
    for (const { surface, id } of files) {
      const tests = readdirSync(join(ROOT, 'test', 'checks', surface));
      expect(tests, `test for ${id}`).toContain(`${id}.test.ts`);
    }
  });

  it.each(ALL_CHECKS.map((c) => [c.meta.id, c] as const))(
    '%s is documented and mapped',
    (_id, check) => {
      const m = check.meta;
      expect(m.title.length).toBeGreaterThan(10);
      expect(m.rationale.length).toBeGreaterThan(40);
      expect(m.remediation.length).toBeGreaterThan(20);
      expect(['critical', 'high', 'medium', 'low']).toContain(m.severity);
      expect(m.resourceTypes.length).toBeGreaterThan(0);
      expect(m.requirements.length).toBeGreaterThan(0);
      for (const req of m.requirements) expect(requirementIds, req).toContain(req);
      // Requirement-first mapping and the check's own metadata agree exactly.
      const mappedTo = PCI_DSS_4_0_1.requirements
        .filter((r) => r.checks.includes(m.id))
        .map((r) => r.id);
      expect([...m.requirements].sort()).toEqual(mappedTo.sort());
      // Its options parse from nothing: every option has a default.
      if (check.options) expect(() => check.options!.parse({})).not.toThrow();
    },
  );

  it('maps only registered checks in the framework, and lists the manual requirements', () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.meta.id));
    for (const r of PCI_DSS_4_0_1.requirements)
      for (const c of r.checks) expect(ids, `${r.id}`).toContain(c);
    expect(PCI_DSS_4_0_1.requirements).toHaveLength(280);
    expect(
      PCI_DSS_4_0_1.requirements.filter((r) => r.evidence === 'manual' && r.checks.length === 0),
    ).toHaveLength(244);
  });

  it('keeps the severities and requirement ids of CHECKS.md', () => {
    const doc = readFileSync(join(ROOT, 'test', 'checks', 'catalog-v1.md'), 'utf8');
    for (const line of doc.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const id = CATALOG_V1.find((i) => cells.includes(i));
      if (!id) continue;
      const check = ALL_CHECKS.find((c) => c.meta.id === id)!;
      const [sev, pci] = cells.slice(-3, -1);
      expect(check.meta.severity, id).toBe(sev);
      expect([...check.meta.requirements].sort(), id).toEqual(
        pci!
          .split(',')
          .map((s) => s.trim())
          .sort(),
      );
    }
  });
});

describe('the README', () => {
  it('documents every check', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const c of ALL_CHECKS) expect(readme, c.meta.id).toContain(`[\`${c.meta.id}\`](checks/`);
  });
});
