import { describe, expect, it } from 'vitest';
import check from '../../../checks/gcp-iam/gcp-iam-service-accounts-not-admin.ts';
import { runCheck } from '../harness.ts';
import { binding, forseti, PROJECT, projectPolicy, protoExample } from './helpers.ts';

const SA = 'serviceAccount:ci@shop-prod.iam.gserviceaccount.com';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['fails-when-a-service-account-is-owner', binding('roles/owner', [SA]), 'FAIL'],
  ['fails-when-a-service-account-is-editor', binding('roles/editor', [SA]), 'FAIL'],
  ['fails-when-a-service-account-has-compute-admin', binding('roles/compute.admin', [SA]), 'FAIL'],
  [
    'fails-when-a-service-account-has-iam-security-admin',
    binding('roles/iam.securityAdmin', [SA]),
    'FAIL',
  ],
  [
    'fails-when-a-service-account-has-service-account-admin',
    binding('roles/iam.serviceAccountAdmin', [SA]),
    'FAIL',
  ],
  [
    'fails-when-a-service-account-has-a-custom-admin-role',
    binding(`projects/${PROJECT}/roles/deployAdmin`, [SA]),
    'FAIL',
  ],
  [
    'passes-when-a-service-account-has-a-viewer-role',
    binding('roles/compute.viewer', [SA]),
    'PASS',
  ],
  [
    'passes-when-admin-is-not-at-the-end-of-the-role',
    binding('roles/compute.adminViewer', [SA]),
    'PASS',
  ],
  [
    'passes-when-a-service-account-has-storage-object-user',
    binding('roles/storage.objectUser', [SA]),
    'PASS',
  ],
  [
    'passes-when-a-user-has-an-admin-role',
    binding('roles/compute.admin', ['user:ana@example.com']),
    'PASS',
  ],
  ['fails-on-the-forseti-policy-editor-service-accounts', forseti(), 'FAIL'],
  ['fails-on-the-proto-example-organization-admin-service-account', protoExample(), 'FAIL'],
];

describe('gcp-iam-service-accounts-not-admin', () => {
  it.each(cases)('%s', (_name, policy, expected) => {
    const [finding] = runCheck(check, [projectPolicy(policy)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(PROJECT);
  });

  it('names-each-service-account-and-its-role', () => {
    const [finding] = runCheck(check, [projectPolicy(protoExample())]);
    expect(finding?.message).toContain(
      'serviceAccount:my-project-id@appspot.gserviceaccount.com has roles/resourcemanager.organizationAdmin',
    );
    expect(finding?.message).not.toContain('user:mike@example.com');
    expect(finding?.evidence).toEqual([
      { path: 'bindings.0.role', value: 'roles/resourcemanager.organizationAdmin' },
      {
        path: 'bindings.0.members.3',
        value: 'serviceAccount:my-project-id@appspot.gserviceaccount.com',
      },
    ]);
  });
});
