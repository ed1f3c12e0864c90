import { describe, expect, it } from 'vitest';
import check from '../../../checks/gcp-iam/gcp-iam-no-public-members.ts';
import { runCheck } from '../harness.ts';
import { binding, forseti, PROJECT, projectPolicy, protoExample } from './helpers.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['fails-when-all-users-has-a-role', binding('roles/storage.objectViewer', ['allUsers']), 'FAIL'],
  [
    'fails-when-all-authenticated-users-has-a-role',
    binding('roles/viewer', ['user:ana@example.com', 'allAuthenticatedUsers']),
    'FAIL',
  ],
  [
    'passes-when-only-named-members',
    binding('roles/viewer', ['user:ana@example.com', 'group:g@example.com']),
    'PASS',
  ],
  [
    'passes-when-a-member-merely-contains-allusers',
    binding('roles/viewer', ['user:allUsers@example.com']),
    'PASS',
  ],
  [
    'fails-when-members-is-a-single-string-not-a-list',
    { bindings: [{ role: 'roles/viewer', members: 'allUsers' }] },
    'FAIL',
  ],
  ['passes-on-the-forseti-policy', forseti(), 'PASS'],
  ['passes-on-the-policy-proto-example', protoExample(), 'PASS'],
];

describe('gcp-iam-no-public-members', () => {
  it.each(cases)('%s', (_name, policy, expected) => {
    const [finding] = runCheck(check, [projectPolicy(policy)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(PROJECT);
  });

  it('names-the-public-member-and-role', () => {
    const [finding] = runCheck(check, [projectPolicy(binding('roles/viewer', ['allUsers']))]);
    expect(finding?.message).toContain('allUsers has roles/viewer');
    expect(finding?.evidence).toEqual([
      { path: 'bindings.0.role', value: 'roles/viewer' },
      { path: 'bindings.0.members.0', value: 'allUsers' },
    ]);
  });

  it('cites-a-single-string-member-at-its-own-path', () => {
    const policy = { bindings: [{ role: 'roles/viewer', members: 'allUsers' }] };
    const [finding] = runCheck(check, [projectPolicy(policy)]);
    expect(finding?.evidence).toEqual([
      { path: 'bindings.0.role', value: 'roles/viewer' },
      { path: 'bindings.0.members', value: 'allUsers' },
    ]);
  });
});
