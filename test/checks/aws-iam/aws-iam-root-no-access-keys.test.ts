import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-root-no-access-keys.ts';
import { fixture } from '../../fixtures/load.ts';
import { runCheck } from '../harness.ts';
import { ACCOUNT, accountSummary } from './helpers.ts';

const recorded = fixture(
  'aws/iam/c7n_placebo/test_account_root_api_keys.iam.GetAccountSummary_1.json',
).data.SummaryMap;
const oldSummary = fixture(
  'aws/iam/botocore-response-parsing/iam-get-account-summary.json',
).SummaryMap;
const botocoreExample =
  fixture('aws/iam/examples-1.json').examples.GetAccountSummary[0].output.SummaryMap;

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-recorded-summary-has-no-root-keys', recorded, 'PASS'],
  ['fails-when-root-has-a-key-as-in-the-botocore-example', botocoreExample, 'FAIL'],
  ['fails-when-root-has-two-keys', { ...recorded, AccountAccessKeysPresent: 2 }, 'FAIL'],
  ['fails-when-old-summary-lacks-account-access-keys-present', oldSummary, 'FAIL'],
];

describe('aws-iam-root-no-access-keys', () => {
  it.each(cases)('%s', (_name, summary, expected) => {
    const [finding] = runCheck(check, [accountSummary(summary)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.resourceId).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(finding?.message).toContain(`account ${ACCOUNT}`);
    expect(finding?.evidence).toEqual([
      {
        path: 'AccountAccessKeysPresent',
        value: (summary as { AccountAccessKeysPresent?: number }).AccountAccessKeysPresent ?? null,
      },
    ]);
  });
});
