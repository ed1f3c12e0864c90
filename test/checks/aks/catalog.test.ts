import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aksChecks } from '../../../checks/aks/index.ts';
import type { Severity } from '../../../checks/types.ts';

/** CHECKS.md v1, AKS section: id, severity, PCI DSS requirements. */
const CATALOG: Array<[string, Severity, string[]]> = [
  ['aks-api-server-not-public', 'high', ['1.3.1', '1.4.1', '1.4.4']],
  ['aks-auto-upgrade', 'medium', ['6.3.3']],
  ['aks-azure-policy-addon', 'low', ['2.2.1']],
  ['aks-azure-rbac', 'medium', ['7.2.1', '7.2.2']],
  ['aks-defender-enabled', 'medium', ['5.2.1', '10.4.1', '11.5.1']],
  ['aks-encryption-at-host', 'medium', ['3.5.1']],
  ['aks-entra-id-integration', 'high', ['8.2.1', '8.3.1']],
  ['aks-local-accounts-disabled', 'high', ['8.2.2']],
  ['aks-network-policy-enforced', 'high', ['1.3.1', '1.3.2']],
  ['aks-nodes-no-public-ip', 'high', ['1.4.4']],
  ['aks-rbac-enabled', 'high', ['7.2.1']],
  ['aks-secrets-encrypted-kms', 'medium', ['3.5.1', '3.6.1']],
  ['aks-workload-identity', 'low', ['8.6.3']],
];

const CHECKS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../checks/aks');

describe('aks catalog', () => {
  it('registers-every-catalog-check-sorted-by-id', () => {
    expect(aksChecks.map((c) => c.meta.id)).toEqual(CATALOG.map(([id]) => id));
  });

  it('has-one-file-per-check-named-by-its-id', () => {
    const files = readdirSync(CHECKS_DIR)
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(CATALOG.map(([id]) => id));
  });

  it.each(CATALOG)('%s-matches-the-catalog', (id, severity, requirements) => {
    const check = aksChecks.find((c) => c.meta.id === id);
    expect(check?.meta).toMatchObject({
      severity,
      requirements,
      resourceTypes: ['azure.aks.managed-cluster'],
      lookups: [],
    });
    expect(check?.meta.title.length).toBeGreaterThan(10);
    expect(check?.meta.rationale.length).toBeGreaterThan(40);
    expect(check?.meta.remediation).toMatch(/`az (aks|feature) /);
    expect(check?.options).toBeUndefined();
  });
});
