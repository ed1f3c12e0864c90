import { describe, expect, it } from 'vitest';
import check from '../../../checks/gcp-iam/gcp-iam-no-project-level-impersonation.ts';
import { runCheck } from '../harness.ts';
import { binding, forseti, PROJECT, projectPolicy } from './helpers.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  [
    'fails-when-a-user-has-service-account-user',
    binding('roles/iam.serviceAccountUser', ['user:ana@example.com']),
    'FAIL',
  ],
  [
    'fails-when-a-group-has-token-creator',
    binding('roles/iam.serviceAccountTokenCreator', ['group:devs@example.com']),
    'FAIL',
  ],
  [
    'fails-when-a-domain-has-service-account-user',
    binding('roles/iam.serviceAccountUser', ['domain:example.com']),
    'FAIL',
  ],
  [
    'passes-when-a-service-account-has-token-creator',
    binding('roles/iam.serviceAccountTokenCreator', [
      'serviceAccount:ci@shop-prod.iam.gserviceaccount.com',
    ]),
    'PASS',
  ],
  [
    'passes-when-a-user-has-service-account-viewer',
    binding('roles/iam.serviceAccountViewer', ['user:ana@example.com']),
    'PASS',
  ],
  [
    'passes-when-a-user-has-workload-identity-user',
    binding('roles/iam.workloadIdentityUser', ['user:ana@example.com']),
    'PASS',
  ],
  ['passes-on-the-forseti-policy', forseti(), 'PASS'],
];

describe('gcp-iam-no-project-level-impersonation', () => {
  it.each(cases)('%s', (_name, policy, expected) => {
    const [finding] = runCheck(check, [projectPolicy(policy)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(PROJECT);
  });

  it('names-the-member-and-role', () => {
    const [finding] = runCheck(check, [
      projectPolicy(binding('roles/iam.serviceAccountTokenCreator', ['group:devs@example.com'])),
    ]);
    expect(finding?.message).toContain(
      'group:devs@example.com has roles/iam.serviceAccountTokenCreator',
    );
  });
});
