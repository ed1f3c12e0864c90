import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-access-keys-rotated.ts';
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

const cases: Array<[string, Record<string, string>, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  ['passes-when-no-keys', {}, {}, 'PASS'],
  [
    'passes-when-active-key-rotated-recently',
    { access_key_1_active: 'true', access_key_1_last_rotated: RECENT },
    {},
    'PASS',
  ],
  [
    'passes-when-active-key-rotated-exactly-90-days-ago',
    { access_key_1_active: 'true', access_key_1_last_rotated: EXACTLY_90_DAYS },
    {},
    'PASS',
  ],
  [
    'fails-when-active-key-rotated-90-days-and-one-second-ago',
    { access_key_1_active: 'true', access_key_1_last_rotated: ONE_SECOND_MORE },
    {},
    'FAIL',
  ],
  [
    'fails-when-only-the-second-key-is-old',
    {
      access_key_1_active: 'true',
      access_key_1_last_rotated: RECENT,
      access_key_2_active: 'true',
      access_key_2_last_rotated: '2025-01-01T00:00:00+00:00',
    },
    {},
    'FAIL',
  ],
  [
    'passes-when-old-key-is-inactive',
    { access_key_1_active: 'false', access_key_1_last_rotated: '2020-01-01T00:00:00+00:00' },
    {},
    'PASS',
  ],
  [
    'passes-when-last-rotated-is-n-a',
    { access_key_1_active: 'true', access_key_1_last_rotated: 'N/A' },
    {},
    'PASS',
  ],
  [
    'passes-when-last-rotated-is-no-information',
    { access_key_1_active: 'true', access_key_1_last_rotated: 'no_information' },
    {},
    'PASS',
  ],
  [
    'passes-when-last-rotated-is-not-supported',
    { access_key_1_active: 'true', access_key_1_last_rotated: 'not_supported' },
    {},
    'PASS',
  ],
  [
    'fails-when-older-than-a-lowered-max-age',
    { access_key_1_active: 'true', access_key_1_last_rotated: RECENT },
    { maxAgeDays: 7 },
    'FAIL',
  ],
  [
    'passes-when-within-a-raised-max-age',
    { access_key_1_active: 'true', access_key_1_last_rotated: ONE_SECOND_MORE },
    { maxAgeDays: 180 },
    'PASS',
  ],
];

describe('aws-iam-access-keys-rotated', () => {
  it.each(cases)('%s', (_name, patch, options, expected) => {
    const findings = runCheck(check, [credentialReport([rootRow(), userRow('alice', patch)])], {
      options,
    });
    expect(findings).toHaveLength(1); // the root row, with an old active key, is skipped
    expect(findings[0]).toMatchObject({
      resourceId: `arn:aws:iam::${ACCOUNT}:user/alice`,
      status: expected,
    });
    expect(findings[0]?.message).toContain('alice');
  });

  it('names-the-old-key-and-cites-its-cells', () => {
    const patch = { access_key_2_active: 'true', access_key_2_last_rotated: ONE_SECOND_MORE };
    const [finding] = runCheck(check, [credentialReport([userRow('alice', patch)])]);
    expect(finding?.message).toContain('access key 2');
    expect(finding?.evidence).toEqual([
      { path: 'rows.0.access_key_2_active', value: 'true' },
      { path: 'rows.0.access_key_2_last_rotated', value: ONE_SECOND_MORE },
    ]);
  });

  it('defaults-max-age-to-90-days', () => {
    expect(check.options?.parse({})).toEqual({ maxAgeDays: 90 });
    expect(() => check.options?.parse({ maxAgeDays: 0 })).toThrow();
    expect(() => check.options?.parse({ maxDays: 30 })).toThrow();
  });

  it('judges-the-recorded-report-against-its-own-time', () => {
    const findings = runCheck(check, [credentialReport(fixtureReportRows(), FIXTURE_ACCOUNT)], {
      collectedAt: '2017-01-01T00:00:00Z',
    });
    const failing = findings
      .filter((f) => f.status === 'FAIL')
      .map((f) => f.resourceId.split('/')[1]);
    expect(findings).toHaveLength(19);
    expect(failing).toEqual([
      'andrew',
      'christopher',
      'joshua',
      'kapil',
      'kit',
      'ryanwolfe',
      'steven',
    ]);
  });

  const odd: Array<[string, unknown, Array<[string, string]>]> = [
    ['rows-is-a-string', 'alice', []],
    [
      'rows-hold-entries-that-are-not-objects',
      [
        null,
        'alice',
        userRow('alice', {
          access_key_1_active: 'true',
          access_key_1_last_rotated: ONE_SECOND_MORE,
        }),
      ],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
    [
      'active-is-a-json-boolean',
      [
        {
          ...userRow('alice', { access_key_1_last_rotated: ONE_SECOND_MORE }),
          access_key_1_active: true,
        },
      ],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
    [
      'last-rotated-is-null-which-means-never',
      [{ ...userRow('alice', { access_key_1_active: 'true' }), access_key_1_last_rotated: null }],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'PASS']],
    ],
  ];

  it.each(odd)('judges-odd-report-data-without-throwing: %s', (_name, rows, expected) => {
    const report = credentialReport(rows as Record<string, string>[]);
    const findings = runCheck(check, [report]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual(expected);
  });
});
