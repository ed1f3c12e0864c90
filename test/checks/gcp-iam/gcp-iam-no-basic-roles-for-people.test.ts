import { describe, expect, it } from 'vitest';
import check from '../../../checks/gcp-iam/gcp-iam-no-basic-roles-for-people.ts';
import { runCheck } from '../harness.ts';
import { binding, forseti, PROJECT, projectPolicy, protoExample } from './helpers.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL', string[]]> = [
  [
    'fails-when-owner-granted-to-a-user',
    binding('roles/owner', ['user:ana@example.com']),
    'FAIL',
    ['user:ana@example.com has roles/owner'],
  ],
  [
    'fails-when-editor-granted-to-a-group',
    binding('roles/editor', ['group:devs@example.com']),
    'FAIL',
    ['group:devs@example.com has roles/editor'],
  ],
  [
    'fails-when-owner-granted-to-a-domain',
    binding('roles/owner', ['domain:example.com']),
    'FAIL',
    ['domain:example.com has roles/owner'],
  ],
  [
    'fails-when-the-basic-role-binding-is-conditional',
    binding('roles/editor', ['user:ana@example.com'], {
      condition: { title: 'temp', expression: 'true' },
    }),
    'FAIL',
    ['user:ana@example.com has roles/editor'],
  ],
  [
    'fails-when-members-is-a-single-string-not-a-list',
    { bindings: [{ role: 'roles/owner', members: 'user:ana@example.com' }] },
    'FAIL',
    ['user:ana@example.com has roles/owner'],
  ],
  [
    'fails-when-bindings-is-a-single-object-not-a-list',
    { bindings: { role: 'roles/owner', members: ['user:ana@example.com'] } },
    'FAIL',
    ['user:ana@example.com has roles/owner'],
  ],
  [
    'passes-when-bindings-and-members-hold-nulls',
    { bindings: [null, { role: 'roles/owner', members: [null, 7] }, { role: null }] },
    'PASS',
    [],
  ],
  [
    'passes-when-editor-granted-to-a-service-account',
    binding('roles/editor', ['serviceAccount:ci@shop-prod.iam.gserviceaccount.com']),
    'PASS',
    [],
  ],
  [
    'passes-when-viewer-granted-to-a-user',
    binding('roles/viewer', ['user:ana@example.com']),
    'PASS',
    [],
  ],
  [
    'passes-when-a-predefined-admin-role-is-granted-to-a-group',
    binding('roles/container.admin', ['group:sre@example.com']),
    'PASS',
    [],
  ],
  ['passes-when-the-policy-has-no-bindings', { etag: 'ACAB' }, 'PASS', []],
  [
    'fails-on-the-forseti-policy-naming-both-people',
    forseti(),
    'FAIL',
    ['group:c_grp@forseti.test has roles/owner', 'user:a_user@forseti.test has roles/owner'],
  ],
  ['passes-on-the-policy-proto-example-without-basic-roles', protoExample(), 'PASS', []],
];

describe('gcp-iam-no-basic-roles-for-people', () => {
  it.each(cases)('%s', (_name, policy, expected, named) => {
    const findings = runCheck(check, [projectPolicy(policy)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.message).toContain(PROJECT);
    for (const n of named) expect(findings[0]?.message).toContain(n);
  });

  it('cites-the-role-and-each-offending-member', () => {
    const [finding] = runCheck(check, [projectPolicy(forseti())]);
    expect(finding?.evidence).toEqual([
      { path: 'bindings.1.role', value: 'roles/owner' },
      { path: 'bindings.1.members.0', value: 'group:c_grp@forseti.test' },
      { path: 'bindings.1.members.1', value: 'user:a_user@forseti.test' },
    ]);
  });
});
