import { describe, expect, it } from 'vitest';
import check from '../../../checks/azure-rbac/azure-rbac-no-custom-wildcard-roles.ts';
import { runCheck } from '../harness.ts';
import { exampleDefinition, resourceFor, roleDefinition } from './rbac.ts';

const perm = (actions: string[], extra: Record<string, unknown> = {}) => ({
  actions,
  notActions: [],
  dataActions: [],
  notDataActions: [],
  ...extra,
});

const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL' | 'SKIP']> = [
  [
    'fails-when-custom-role-allows-every-action',
    { type: 'CustomRole', permissions: [perm(['*'])] },
    'FAIL',
  ],
  [
    'fails-when-a-later-permission-allows-every-action',
    {
      type: 'CustomRole',
      permissions: [perm(['Microsoft.Compute/*/read']), perm(['Microsoft.Storage/*', '*'])],
    },
    'FAIL',
  ],
  [
    'fails-when-wildcard-is-narrowed-by-not-actions',
    {
      type: 'CustomRole',
      permissions: [perm(['*'], { notActions: ['Microsoft.Authorization/*'] })],
    },
    'FAIL',
  ],
  [
    'passes-when-custom-role-uses-provider-wildcards-only',
    { type: 'CustomRole', permissions: [perm(['Microsoft.Compute/*', '*/read'])] },
    'PASS',
  ],
  [
    'passes-when-wildcard-is-only-in-data-actions',
    {
      type: 'CustomRole',
      permissions: [perm(['Microsoft.Storage/storageAccounts/read'], { dataActions: ['*'] })],
    },
    'PASS',
  ],
  [
    'passes-when-wildcard-is-only-in-not-actions',
    {
      type: 'CustomRole',
      permissions: [perm(['Microsoft.Compute/virtualMachines/read'], { notActions: ['*'] })],
    },
    'PASS',
  ],
  ['passes-when-custom-role-has-no-permissions', { type: 'CustomRole', permissions: [] }, 'PASS'],
  ['passes-when-permissions-missing', { type: 'CustomRole', permissions: undefined }, 'PASS'],
  [
    'fails-when-role-type-differs-in-case',
    { type: 'customrole', permissions: [perm(['*'])] },
    'FAIL',
  ],
  [
    'skips-built-in-role-with-wildcard',
    { type: 'BuiltInRole', permissions: [perm(['*'])] },
    'SKIP',
  ],
  ['skips-role-without-type', { type: undefined, permissions: [perm(['*'])] }, 'SKIP'],
];

describe('azure-rbac-no-custom-wildcard-roles', () => {
  it.each(cases)('%s', (_name, properties, expected) => {
    const role = roleDefinition('custom-1', { roleName: 'Platform Ops', ...properties });
    const findings = runCheck(check, [role]);
    if (expected === 'SKIP') {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resourceId).toBe(role.id);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.message).toContain('Platform Ops');
  });

  it('points-the-evidence-at-the-wildcard-permission', () => {
    const role = roleDefinition('custom-2', {
      type: 'CustomRole',
      roleName: 'Break glass',
      permissions: [perm(['Microsoft.Compute/*']), perm(['*'])],
    });
    const [finding] = runCheck(check, [role]);
    expect(finding?.evidence).toEqual([{ path: 'properties.permissions.1.actions', value: ['*'] }]);
    expect(finding?.message).toContain('properties.permissions.1.actions');
  });

  it('skips-the-published-example (type roletype)', () => {
    expect(runCheck(check, [resourceFor(exampleDefinition())])).toEqual([]);
  });

  it('passes-on-the-published-example-made-custom', () => {
    const body = exampleDefinition();
    body.properties.type = 'CustomRole';
    const [finding] = runCheck(check, [resourceFor(body)]);
    expect(finding).toMatchObject({ status: 'PASS' });
    expect(finding?.message).toContain('Role name');
  });
});
