import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-password-policy.ts';
import { fixture } from '../../fixtures/load.ts';
import { runCheck } from '../harness.ts';
import { ACCOUNT, passwordPolicy } from './helpers.ts';

const STRONG = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
  HardExpiry: false,
};
const weakRecorded = fixture(
  'aws/iam/c7n_placebo/test_account_password_policy_update.iam.GetAccountPasswordPolicy_1.json',
).data.PasswordPolicy;
const botocoreExample =
  fixture('aws/iam/examples-1.json').examples.GetAccountPasswordPolicy[0].output.PasswordPolicy;

/** [name, policy, options, status, fields the evidence must name (FAIL only)] */
const cases: Array<[string, unknown, Record<string, unknown>, 'PASS' | 'FAIL', string[]]> = [
  ['passes-when-every-field-meets-the-defaults', STRONG, {}, 'PASS', []],
  [
    'passes-at-the-exact-thresholds',
    { ...STRONG, MinimumPasswordLength: 12, PasswordReusePrevention: 4, MaxPasswordAge: 90 },
    {},
    'PASS',
    [],
  ],
  ['passes-with-uppercase-only', { ...STRONG, RequireLowercaseCharacters: false }, {}, 'PASS', []],
  ['passes-with-lowercase-only', { ...STRONG, RequireUppercaseCharacters: false }, {}, 'PASS', []],
  ['passes-with-max-age-1', { ...STRONG, MaxPasswordAge: 1 }, {}, 'PASS', []],
  [
    'fails-when-minimum-length-11',
    { ...STRONG, MinimumPasswordLength: 11 },
    {},
    'FAIL',
    ['MinimumPasswordLength'],
  ],
  [
    'fails-when-numbers-not-required',
    { ...STRONG, RequireNumbers: false },
    {},
    'FAIL',
    ['RequireNumbers'],
  ],
  [
    'fails-when-neither-case-required',
    { ...STRONG, RequireUppercaseCharacters: false, RequireLowercaseCharacters: false },
    {},
    'FAIL',
    ['RequireUppercaseCharacters', 'RequireLowercaseCharacters'],
  ],
  [
    'fails-when-reuse-prevention-3',
    { ...STRONG, PasswordReusePrevention: 3 },
    {},
    'FAIL',
    ['PasswordReusePrevention'],
  ],
  [
    'fails-when-reuse-prevention-missing',
    { ...STRONG, PasswordReusePrevention: undefined },
    {},
    'FAIL',
    ['PasswordReusePrevention'],
  ],
  ['fails-when-max-age-91', { ...STRONG, MaxPasswordAge: 91 }, {}, 'FAIL', ['MaxPasswordAge']],
  ['fails-when-max-age-0', { ...STRONG, MaxPasswordAge: 0 }, {}, 'FAIL', ['MaxPasswordAge']],
  [
    'fails-when-max-age-missing-passwords-never-expire',
    { ...STRONG, MaxPasswordAge: undefined, ExpirePasswords: false },
    {},
    'FAIL',
    ['MaxPasswordAge'],
  ],
  [
    'fails-on-every-field-of-the-recorded-weak-policy',
    weakRecorded,
    {},
    'FAIL',
    [
      'MinimumPasswordLength',
      'RequireNumbers',
      'RequireUppercaseCharacters',
      'RequireLowercaseCharacters',
      'PasswordReusePrevention',
      'MaxPasswordAge',
    ],
  ],
  [
    'fails-on-length-and-case-of-the-botocore-example',
    botocoreExample,
    {},
    'FAIL',
    ['MinimumPasswordLength', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters'],
  ],
  [
    'fails-when-below-a-raised-minimum-length',
    STRONG,
    { minimumLength: 16 },
    'FAIL',
    ['MinimumPasswordLength'],
  ],
  [
    'fails-when-below-a-raised-reuse-prevention',
    STRONG,
    { minimumReusePrevention: 25 },
    'FAIL',
    ['PasswordReusePrevention'],
  ],
  [
    'fails-when-above-a-lowered-max-age',
    STRONG,
    { maxPasswordAgeDays: 60 },
    'FAIL',
    ['MaxPasswordAge'],
  ],
  [
    'passes-the-botocore-example-with-lowered-length',
    { ...botocoreExample, RequireLowercaseCharacters: true },
    { minimumLength: 8 },
    'PASS',
    [],
  ],
];

describe('aws-iam-password-policy', () => {
  it.each(cases)('%s', (_name, policy, options, expected, fields) => {
    const [finding] = runCheck(check, [passwordPolicy(policy)], { options });
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(`account ${ACCOUNT}`);
    if (expected === 'FAIL') {
      expect(finding?.evidence.map((e) => e.path)).toEqual(fields);
      for (const f of fields) expect(finding?.message).toContain(f);
    }
  });

  it('fails-when-the-account-has-no-password-policy', () => {
    // GetAccountPasswordPolicy answers 404 NoSuchEntity; the inventory holds `data: null`.
    const answer = fixture(
      'aws/iam/c7n_placebo/test_account_missing_password_policy.iam.GetAccountPasswordPolicy_1.json',
    );
    expect(answer.data.Error.Code).toBe('NoSuchEntity');
    const [finding] = runCheck(check, [passwordPolicy(null)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('no password policy');
  });

  it('defaults-the-thresholds', () => {
    expect(check.options?.parse({})).toEqual({
      minimumLength: 12,
      minimumReusePrevention: 4,
      maxPasswordAgeDays: 90,
    });
    expect(() => check.options?.parse({ minLength: 14 })).toThrow();
  });
});
