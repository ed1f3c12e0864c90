import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-root-mfa.ts';
import { fixture } from '../../fixtures/load.ts';
import { runCheck } from '../harness.ts';
import { ACCOUNT, accountSummary } from './helpers.ts';

const recorded = fixture(
  'aws/iam/c7n_placebo/test_account_root_api_keys.iam.GetAccountSummary_1.json',
).data.SummaryMap;
const oldSummary = fixture(
  'aws/iam/botocore-response-parsing/iam-get-account-summary.json',
).SummaryMap;

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-recorded-summary-has-root-mfa', recorded, 'PASS'],
  ['fails-when-old-summary-has-mfa-0', oldSummary, 'FAIL'],
  ['fails-when-account-mfa-enabled-missing', { ...recorded, AccountMFAEnabled: undefined }, 'FAIL'],
  [
    'fails-when-account-mfa-enabled-is-true-not-1',
    { ...recorded, AccountMFAEnabled: true },
    'FAIL',
  ],
];

describe('aws-iam-root-mfa', () => {
  it.each(cases)('%s', (_name, summary, expected) => {
    const [finding] = runCheck(check, [accountSummary(summary)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(`account ${ACCOUNT}`);
  });
});
