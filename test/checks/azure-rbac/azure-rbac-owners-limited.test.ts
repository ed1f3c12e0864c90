import { describe, expect, it } from 'vitest';
import check from '../../../checks/azure-rbac/azure-rbac-owners-limited.ts';
import type { Resource } from '../../../checks/types.ts';
import { buildIndex } from '../../../functions/engine/inventory-index.ts';
import { COLLECTED_AT, runCheck } from '../harness.ts';
import { OWNER, READER, roleAssignment, SUB, SUB_SCOPE } from './rbac.ts';

const OTHER_SUB = '11111111-2222-3333-4444-555555555555';
const RG_SCOPE = `${SUB_SCOPE}/resourceGroups/payments`;
const MG_SCOPE = '/providers/Microsoft.Management/managementGroups/corp';

/** `n` Owner assignments at the subscription scope, named `owner-<i>`. */
function owners(n: number, scope = SUB_SCOPE): Resource[] {
  return Array.from({ length: n }, (_, i) =>
    roleAssignment({ name: `owner-${i + 1}`, role: OWNER, scope }),
  );
}

const reader = roleAssignment({ name: 'reader-1', role: READER, scope: SUB_SCOPE });

const cases: Array<[string, Resource[], 'PASS' | 'FAIL', number]> = [
  ['passes-with-three-owners-at-subscription-scope', [...owners(3), reader], 'PASS', 3],
  ['fails-with-four-owners-at-subscription-scope', [reader, ...owners(4)], 'FAIL', 4],
  ['passes-with-no-owner', [reader], 'PASS', 0],
  [
    'passes-when-the-fourth-owner-is-at-resource-group-scope',
    [...owners(3), roleAssignment({ name: 'owner-rg', role: OWNER, scope: RG_SCOPE })],
    'PASS',
    3,
  ],
  [
    'passes-when-the-fourth-owner-is-on-a-resource',
    [
      ...owners(3),
      roleAssignment({
        name: 'owner-res',
        role: OWNER,
        scope: `${RG_SCOPE}/providers/Microsoft.Storage/storageAccounts/cardvault`,
      }),
    ],
    'PASS',
    3,
  ],
  [
    'passes-when-the-fourth-owner-is-inherited-from-a-management-group',
    [
      ...owners(3),
      roleAssignment({ name: 'owner-mg', role: OWNER, scope: MG_SCOPE, collectedIn: SUB }),
    ],
    'PASS',
    3,
  ],
  [
    'fails-when-scopes-differ-only-in-case',
    [
      ...owners(2),
      roleAssignment({ name: 'owner-up', role: OWNER, scope: SUB_SCOPE.toUpperCase() }),
      roleAssignment({
        name: 'owner-mixed',
        role: OWNER,
        scope: `/Subscriptions/${SUB.toUpperCase()}`,
        idScope: SUB_SCOPE,
      }),
    ],
    'FAIL',
    4,
  ],
  [
    'fails-when-a-scope-has-a-trailing-slash',
    [...owners(3), roleAssignment({ name: 'owner-slash', role: OWNER, scope: `${SUB_SCOPE}/` })],
    'FAIL',
    4,
  ],
  [
    'fails-when-role-definition-id-differs-in-case-or-form',
    [
      ...owners(2),
      roleAssignment({ name: 'owner-upper', role: OWNER.toUpperCase(), scope: SUB_SCOPE }),
      roleAssignment({
        name: 'owner-tenant-form',
        role: `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
        scope: SUB_SCOPE,
      }),
    ],
    'FAIL',
    4,
  ],
  [
    'fails-when-scope-missing-and-the-id-is-at-subscription-scope',
    [
      ...owners(3),
      roleAssignment({ name: 'owner-noscope', role: OWNER, scope: undefined, idScope: SUB_SCOPE }),
    ],
    'FAIL',
    4,
  ],
  [
    'passes-when-only-resource-group-assignments-exist',
    [
      roleAssignment({ name: 'owner-rg', role: OWNER, scope: RG_SCOPE }),
      ...owners(5, RG_SCOPE).slice(1),
    ],
    'PASS',
    0,
  ],
];

describe('azure-rbac-owners-limited', () => {
  it.each(cases)('%s', (_name, resources, expected, count) => {
    const findings = runCheck(check, resources);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.resourceId).toBe(SUB_SCOPE);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(`subscription ${SUB}`);
    expect(finding?.message).toContain(`${count} Owner`);
    const listed = finding?.evidence.find((e) => e.path === 'ownerAssignmentsAtSubscriptionScope');
    expect(listed?.value).toHaveLength(count);
  });

  it('names-the-owner-principals', () => {
    const [finding] = runCheck(check, owners(4));
    expect(finding?.message).toContain('User principal-owner-1');
    expect(finding?.message).toContain('User principal-owner-4');
  });

  it('emits-one-finding-per-subscription', () => {
    const other = Array.from({ length: 4 }, (_, i) =>
      roleAssignment({ name: `o-${i}`, role: OWNER, scope: `/subscriptions/${OTHER_SUB}` }),
    );
    const findings = runCheck(check, [...owners(2), ...other]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([
      [SUB_SCOPE, 'PASS'],
      [`/subscriptions/${OTHER_SUB}`, 'FAIL'],
    ]);
  });

  it('groups-subscriptions-case-insensitively', () => {
    const upper = roleAssignment({
      name: 'owner-x',
      role: OWNER,
      scope: `/subscriptions/${SUB.toUpperCase()}`,
    });
    const findings = runCheck(check, [...owners(3), upper]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ resourceId: SUB_SCOPE, status: 'FAIL' });
  });

  it('emits-nothing-without-role-assignments', () => {
    expect(runCheck(check, [])).toEqual([]);
  });

  it('emits-nothing-for-assignments-outside-any-subscription', () => {
    const mg = roleAssignment({ name: 'mg-owner', role: OWNER, scope: MG_SCOPE });
    expect(runCheck(check, [mg])).toEqual([]);
  });

  it.each([
    ['fails-with-one-owner-when-max-owners-is-0', 0, 1, 'FAIL'],
    ['passes-with-four-owners-when-max-owners-is-4', 4, 4, 'PASS'],
    ['fails-with-five-owners-when-max-owners-is-4', 4, 5, 'FAIL'],
  ])('%s', (_name, maxOwners, n, expected) => {
    const [finding] = runCheck(check, owners(n), { options: { maxOwners } });
    expect(finding?.status).toBe(expected);
    expect(finding?.evidence).toContainEqual({ path: 'maxOwners', value: maxOwners });
  });

  it('has-options-that-default-to-three-and-reject-unknown-keys', () => {
    expect(check.options?.parse({})).toEqual({ maxOwners: 3 });
    expect(() => check.options?.parse({ maxOwners: -1 })).toThrow();
    expect(() => check.options?.parse({ maxOwnerz: 2 })).toThrow();
  });

  it('stands-the-finding-on-a-subscription-level-assignment', () => {
    const rgFirst = roleAssignment({ name: 'rg-first', role: READER, scope: RG_SCOPE });
    const verdicts = check.evaluate({
      index: buildIndex({ resources: [rgFirst, ...owners(1)], errors: [] }),
      now: Date.parse(COLLECTED_AT),
      options: { maxOwners: 3 },
      isSystemNamespace: () => false,
    });
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.resourceId).toBe(SUB_SCOPE);
    expect(verdicts[0]?.resource.scope).toEqual({ subscription: SUB });
  });
});
