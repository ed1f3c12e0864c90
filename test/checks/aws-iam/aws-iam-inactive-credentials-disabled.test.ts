import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-inactive-credentials-disabled.ts';
import { runCheck } from '../harness.ts';
import {
  ACCOUNT,
  credentialReport,
  FIXTURE_ACCOUNT,
  fixtureReportRows,
  rootRow,
  userRow,
} from './helpers.ts';

// The harness collects at 2026-11-26T02:00:00Z: 90 x 24 h before is 2026-08-28T02:00:00Z.
const EXACTLY_90_DAYS = '2026-08-28T02:00:00+00:00';
const ONE_SECOND_MORE = '2026-08-28T01:59:59+00:00';
const RECENT = '2026-11-01T00:00:00+00:00';
const OLD = '2025-01-01T00:00:00+00:00';

const cases: Array<[string, Record<string, string>, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  [
    'passes-when-no-password-and-no-keys-even-if-created-long-ago',
    { user_creation_time: OLD },
    {},
    'PASS',
  ],
  [
    'passes-when-password-used-recently',
    { password_enabled: 'true', password_last_used: RECENT },
    {},
    'PASS',
  ],
  [
    'passes-when-password-used-exactly-90-days-ago',
    { password_enabled: 'true', password_last_used: EXACTLY_90_DAYS },
    {},
    'PASS',
  ],
  [
    'fails-when-password-used-90-days-and-one-second-ago',
    { password_enabled: 'true', password_last_used: ONE_SECOND_MORE },
    {},
    'FAIL',
  ],
  [
    'fails-when-password-never-used-n-a-and-user-created-long-ago',
    { password_enabled: 'true', password_last_used: 'N/A', user_creation_time: OLD },
    {},
    'FAIL',
  ],
  [
    'fails-when-password-no-information-and-user-created-long-ago',
    { password_enabled: 'true', password_last_used: 'no_information', user_creation_time: OLD },
    {},
    'FAIL',
  ],
  [
    'passes-when-password-never-used-by-a-user-created-recently',
    { password_enabled: 'true', password_last_used: 'N/A', user_creation_time: RECENT },
    {},
    'PASS',
  ],
  [
    'passes-when-disabled-password-was-last-used-long-ago',
    { password_enabled: 'false', password_last_used: OLD },
    {},
    'PASS',
  ],
  [
    'passes-when-active-key-used-recently',
    {
      access_key_1_active: 'true',
      access_key_1_last_rotated: OLD,
      access_key_1_last_used_date: RECENT,
    },
    {},
    'PASS',
  ],
  [
    'fails-when-active-key-last-used-long-ago',
    {
      access_key_1_active: 'true',
      access_key_1_last_rotated: OLD,
      access_key_1_last_used_date: OLD,
    },
    {},
    'FAIL',
  ],
  [
    'fails-when-active-key-never-used-and-rotated-long-ago',
    {
      access_key_2_active: 'true',
      access_key_2_last_rotated: ONE_SECOND_MORE,
      access_key_2_last_used_date: 'N/A',
    },
    {},
    'FAIL',
  ],
  [
    'passes-when-active-key-never-used-and-rotated-exactly-90-days-ago',
    {
      access_key_2_active: 'true',
      access_key_2_last_rotated: EXACTLY_90_DAYS,
      access_key_2_last_used_date: 'N/A',
    },
    {},
    'PASS',
  ],
  [
    'passes-when-unused-key-is-inactive',
    {
      access_key_1_active: 'false',
      access_key_1_last_rotated: OLD,
      access_key_1_last_used_date: 'N/A',
    },
    {},
    'PASS',
  ],
  [
    'passes-when-key-dates-are-all-never',
    {
      access_key_1_active: 'true',
      access_key_1_last_rotated: 'not_supported',
      access_key_1_last_used_date: 'N/A',
    },
    {},
    'PASS',
  ],
  [
    'fails-when-older-than-a-lowered-inactivity-period',
    { password_enabled: 'true', password_last_used: RECENT },
    { maxInactiveDays: 7 },
    'FAIL',
  ],
  [
    'passes-when-within-a-raised-inactivity-period',
    { password_enabled: 'true', password_last_used: ONE_SECOND_MORE },
    { maxInactiveDays: 120 },
    'PASS',
  ],
];

describe('aws-iam-inactive-credentials-disabled', () => {
  it.each(cases)('%s', (_name, patch, options, expected) => {
    const findings = runCheck(check, [credentialReport([rootRow(), userRow('alice', patch)])], {
      options,
    });
    expect(findings).toHaveLength(1); // the root row, inactive since 2016, is skipped
    expect(findings[0]).toMatchObject({
      resourceId: `arn:aws:iam::${ACCOUNT}:user/alice`,
      status: expected,
    });
    expect(findings[0]?.message).toContain('alice');
  });

  it('cites-the-creation-time-when-the-password-was-never-used', () => {
    const patch = {
      password_enabled: 'true',
      password_last_used: 'no_information',
      user_creation_time: OLD,
    };
    const [finding] = runCheck(check, [credentialReport([userRow('alice', patch)])]);
    expect(finding?.evidence).toEqual([
      { path: 'rows.0.password_enabled', value: 'true' },
      { path: 'rows.0.password_last_used', value: 'no_information' },
      { path: 'rows.0.user_creation_time', value: OLD },
    ]);
    expect(finding?.message).toContain(OLD);
  });

  it('defaults-the-inactivity-period-to-90-days', () => {
    expect(check.options?.parse({})).toEqual({ maxInactiveDays: 90 });
    expect(() => check.options?.parse({ maxInactiveDays: -1 })).toThrow();
  });

  it('judges-the-recorded-report-against-its-own-time', () => {
    const findings = runCheck(check, [credentialReport(fixtureReportRows(), FIXTURE_ACCOUNT)], {
      collectedAt: '2017-01-01T00:00:00Z',
    });
    const failing = findings
      .filter((f) => f.status === 'FAIL')
      .map((f) => f.resourceId.split('/')[1]);
    expect(findings).toHaveLength(19);
    // christopher: one of his two rows has a password never used since 2016-08-30
    expect(failing).toEqual(['christopher', 'jeff', 'ryanwolfe', 'steven']);
  });

  const odd: Array<[string, unknown, Array<[string, string]>]> = [
    ['rows-is-a-string', 'alice', []],
    [
      'rows-hold-entries-that-are-not-objects',
      [null, userRow('alice', { password_enabled: 'true', password_last_used: OLD })],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
    [
      'password-last-used-is-null-which-means-never',
      [
        {
          ...userRow('alice', { password_enabled: 'true', user_creation_time: OLD }),
          password_last_used: null,
        },
      ],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
    [
      'key-last-used-is-null-and-rotated-recently',
      [
        {
          ...userRow('alice', { access_key_1_active: 'true', access_key_1_last_rotated: RECENT }),
          access_key_1_last_used_date: null,
        },
      ],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'PASS']],
    ],
  ];

  it.each(odd)('judges-odd-report-data-without-throwing: %s', (_name, rows, expected) => {
    const report = credentialReport(rows as Record<string, string>[]);
    const findings = runCheck(check, [report]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual(expected);
  });
});
