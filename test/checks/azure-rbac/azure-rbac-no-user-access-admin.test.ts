import { describe, expect, it } from 'vitest';
import check from '../../../checks/azure-rbac/azure-rbac-no-user-access-admin.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import {
  type AssignmentSpec,
  exampleAssignment,
  OWNER,
  resourceFor,
  roleAssignment,
  SUB,
  SUB_SCOPE,
  USER_ACCESS_ADMIN,
} from './rbac.ts';

const RG_SCOPE = `${SUB_SCOPE}/resourceGroups/payments`;
const MG_SCOPE = '/providers/Microsoft.Management/managementGroups/corp';

const uaa = (scope: string | undefined, extra: Partial<AssignmentSpec> = {}): Resource =>
  roleAssignment({ name: 'uaa-1', role: USER_ACCESS_ADMIN, scope, collectedIn: SUB, ...extra });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['fails-when-uaa-at-subscription-scope', uaa(SUB_SCOPE), 'FAIL'],
  ['fails-when-uaa-at-management-group-scope', uaa(MG_SCOPE), 'FAIL'],
  ['fails-when-uaa-at-root-scope', uaa('/'), 'FAIL'],
  [
    'fails-when-uaa-at-subscription-scope-in-other-case',
    uaa(`/SUBSCRIPTIONS/${SUB.toUpperCase()}`),
    'FAIL',
  ],
  [
    'fails-when-uaa-at-management-group-scope-in-other-case',
    uaa('/providers/microsoft.management/managementgroups/Corp'),
    'FAIL',
  ],
  ['fails-when-uaa-scope-has-a-trailing-slash', uaa(`${SUB_SCOPE}/`), 'FAIL'],
  [
    'fails-when-role-definition-id-in-upper-case',
    uaa(SUB_SCOPE, { role: USER_ACCESS_ADMIN.toUpperCase() }),
    'FAIL',
  ],
  [
    'fails-when-role-definition-id-in-tenant-form',
    uaa(SUB_SCOPE, {
      role: `/providers/Microsoft.Authorization/roleDefinitions/${USER_ACCESS_ADMIN}`,
    }),
    'FAIL',
  ],
  [
    'fails-when-scope-missing-and-the-id-is-at-subscription-scope',
    uaa(undefined, { idScope: SUB_SCOPE }),
    'FAIL',
  ],
  ['passes-when-uaa-at-resource-group-scope', uaa(RG_SCOPE), 'PASS'],
  [
    'passes-when-uaa-at-resource-group-scope-in-other-case',
    uaa(`${SUB_SCOPE}/RESOURCEGROUPS/Payments`),
    'PASS',
  ],
  [
    'passes-when-uaa-on-a-resource',
    uaa(`${RG_SCOPE}/providers/Microsoft.KeyVault/vaults/cards`),
    'PASS',
  ],
  [
    'passes-when-scope-missing-and-the-id-is-at-resource-group-scope',
    uaa(undefined, { idScope: RG_SCOPE }),
    'PASS',
  ],
  ['passes-when-owner-at-subscription-scope', uaa(SUB_SCOPE, { role: OWNER }), 'PASS'],
  ['passes-when-owner-at-root-scope', uaa('/', { role: OWNER }), 'PASS'],
];

describe('azure-rbac-no-user-access-admin', () => {
  it.each(cases)('%s', (_name, assignment, expected) => {
    const findings = runCheck(check, [assignment]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resourceId).toBe(assignment.id);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.message).toContain('uaa-1');
    expect(findings[0]?.evidence.map((e) => e.path)).toEqual([
      'properties.roleDefinitionId',
      'properties.scope',
    ]);
  });

  it('names-the-principal-and-scope-in-the-failure', () => {
    const [finding] = runCheck(check, [
      uaa(MG_SCOPE, { principalId: 'p-42', principalType: 'Group' }),
    ]);
    expect(finding?.message).toContain('Group p-42');
    expect(finding?.message).toContain('management group');
    expect(finding?.message).toContain(MG_SCOPE);
  });

  it('passes-on-the-published-example', () => {
    const [finding] = runCheck(check, [resourceFor(exampleAssignment())]);
    expect(finding).toMatchObject({ status: 'PASS' });
  });

  it('gives-one-finding-per-assignment', () => {
    const findings = runCheck(check, [
      uaa(SUB_SCOPE),
      roleAssignment({ name: 'uaa-2', role: USER_ACCESS_ADMIN, scope: RG_SCOPE }),
    ]);
    expect(findings.map((f) => f.status)).toEqual(['FAIL', 'PASS']);
  });
});
