import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { azureRbacChecks } from '../../../checks/azure-rbac/index.ts';
import type { Severity } from '../../../checks/types.ts';

/** CHECKS.md v1, Azure RBAC section: id, severity, resource type, PCI DSS requirements. */
const CATALOG: Array<[string, Severity, string, string[]]> = [
  ['azure-rbac-no-custom-wildcard-roles', 'high', 'azure.authorization.role-definition', ['7.2.2']],
  ['azure-rbac-no-user-access-admin', 'medium', 'azure.authorization.role-assignment', ['7.2.2']],
  [
    'azure-rbac-owners-limited',
    'medium',
    'azure.authorization.role-assignment',
    ['7.2.1', '7.2.2'],
  ],
];

const CHECKS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../checks/azure-rbac');

describe('azure-rbac catalog', () => {
  it('registers-every-catalog-check-sorted-by-id', () => {
    expect(azureRbacChecks.map((c) => c.meta.id)).toEqual(CATALOG.map(([id]) => id));
  });

  it('has-one-file-per-check-named-by-its-id', () => {
    const files = readdirSync(CHECKS_DIR)
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(CATALOG.map(([id]) => id));
  });

  it.each(CATALOG)('%s-matches-the-catalog', (id, severity, type, requirements) => {
    const check = azureRbacChecks.find((c) => c.meta.id === id);
    expect(check?.meta).toMatchObject({
      severity,
      requirements,
      resourceTypes: [type],
      lookups: [],
    });
    expect(check?.meta.title.length).toBeGreaterThan(10);
    expect(check?.meta.rationale.length).toBeGreaterThan(40);
    expect(check?.meta.remediation).toMatch(/`az role /);
  });
});
