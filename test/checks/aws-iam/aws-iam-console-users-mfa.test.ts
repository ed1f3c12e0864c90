import { describe, expect, it } from 'vitest';
import check from '../../../checks/aws-iam/aws-iam-console-users-mfa.ts';
import { runCheck } from '../harness.ts';
import {
  ACCOUNT,
  credentialReport,
  FIXTURE_ACCOUNT,
  fixtureReportRows,
  rootRow,
  userRow,
} from './helpers.ts';

const cases: Array<[string, Record<string, string>, 'PASS' | 'FAIL']> = [
  ['passes-when-password-and-mfa', { password_enabled: 'true', mfa_active: 'true' }, 'PASS'],
  ['fails-when-password-without-mfa', { password_enabled: 'true', mfa_active: 'false' }, 'FAIL'],
  [
    'passes-when-no-password-and-no-mfa',
    { password_enabled: 'false', mfa_active: 'false' },
    'PASS',
  ],
  [
    'passes-when-password-not-supported',
    { password_enabled: 'not_supported', mfa_active: 'false' },
    'PASS',
  ],
];

describe('aws-iam-console-users-mfa', () => {
  it.each(cases)('%s', (_name, patch, expected) => {
    const findings = runCheck(check, [credentialReport([rootRow(), userRow('alice', patch)])]);
    expect(findings).toHaveLength(1); // the root row is skipped
    expect(findings[0]).toMatchObject({
      resourceId: `arn:aws:iam::${ACCOUNT}:user/alice`,
      status: expected,
    });
    expect(findings[0]?.message).toContain('alice');
    expect(findings[0]?.evidence).toEqual([
      { path: 'rows.1.password_enabled', value: patch.password_enabled },
      { path: 'rows.1.mfa_active', value: patch.mfa_active },
    ]);
  });

  it('skips-the-root-row-even-without-mfa', () => {
    const report = credentialReport([rootRow({ password_enabled: 'true', mfa_active: 'false' })]);
    expect(runCheck(check, [report])).toEqual([]);
  });

  it('judges-every-user-of-the-recorded-report-once', () => {
    const findings = runCheck(check, [credentialReport(fixtureReportRows(), FIXTURE_ACCOUNT)]);
    const failing = findings
      .filter((f) => f.status === 'FAIL')
      .map((f) => f.resourceId.split('/')[1]);
    expect(findings).toHaveLength(19); // 20 user rows, christopher twice
    expect(new Set(findings.map((f) => f.resourceId)).size).toBe(19);
    expect(findings.some((f) => f.resourceId.endsWith(':root'))).toBe(false);
    expect(failing).toEqual([
      'andrew',
      'christopher',
      'jeff',
      'Jennifer',
      'kapil',
      'kit',
      'scot',
      'steven',
    ]);
  });

  const noMfa = { password_enabled: 'true', mfa_active: 'false' };
  const odd: Array<[string, unknown, Array<[string, string]>]> = [
    ['rows-is-a-string', 'alice', []],
    ['rows-is-an-object', { user: 'alice' }, []],
    ['rows-is-null', null, []],
    [
      'rows-hold-entries-that-are-not-objects',
      [null, 'alice', 7, userRow('alice', noMfa)],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
    [
      'cells-are-json-booleans',
      [{ ...userRow('alice'), password_enabled: true, mfa_active: false }],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
    [
      'cells-are-null',
      [{ ...userRow('alice'), password_enabled: null, mfa_active: null }],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'PASS']],
    ],
    [
      'arn-is-not-a-string',
      [{ ...userRow('alice', noMfa), arn: 5 }],
      [[`arn:aws:iam::${ACCOUNT}:user/alice`, 'FAIL']],
    ],
  ];

  it.each(odd)('judges-odd-report-data-without-throwing: %s', (_name, rows, expected) => {
    const report = credentialReport(rows as Record<string, string>[]);
    const findings = runCheck(check, [report]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual(expected);
  });
});
