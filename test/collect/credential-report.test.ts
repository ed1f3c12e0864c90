/**
 * The IAM credential report: its CSV parsed into rows of strings (the real report's shape, quoted
 * cells, a byte order mark, a CSV without the documented columns) and the GenerateCredentialReport
 * polling (its pauses, its bound, an empty answer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CredentialReportNotReady,
  CredentialReportUnreadable,
  parseCredentialReport,
  readCredentialReport,
} from '../../functions/collect/aws/credential-report.ts';
import { CollectRuntime } from '../../functions/collect/runtime.ts';
import { PROVIDER_FIXTURES } from '../fixtures/load.ts';
import { FAKE_CREDENTIALS } from '../helpers/moto.ts';

const REPORT_CSV = readFileSync(join(PROVIDER_FIXTURES, 'aws/iam/credential-report.csv'), 'utf8');

/** The 22 columns IAM documents for the credential report, in its order. */
const COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];

describe('parseCredentialReport', () => {
  it('reads the real report: one row per line, every documented column, every value a string', () => {
    const rows = parseCredentialReport(REPORT_CSV);
    expect(rows).toHaveLength(REPORT_CSV.trim().split('\n').length - 1);
    expect(rows).toHaveLength(21);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(COLUMNS);
      for (const value of Object.values(row)) expect(typeof value).toBe('string');
    }
    expect(rows[0]).toMatchObject({
      user: '<root_account>',
      arn: 'arn:aws:iam::644160558196:root',
      password_enabled: 'not_supported',
      mfa_active: 'true',
      access_key_1_active: 'false',
      access_key_1_last_rotated: 'N/A',
    });
    expect(rows.find((r) => r.user === 'kit')).toMatchObject({
      arn: 'arn:aws:iam::644160558196:user/kit',
      access_key_2_active: 'true',
      access_key_2_last_rotated: '2016-09-30T12:43:53+00:00',
      access_key_2_last_used_service: 'ec2',
    });
    // Booleans, dates and N/A stay the CSV's text (CONTRACTS §1: `<CSV value as string>`).
    expect(rows.find((r) => r.user === 'jeff')?.password_last_used).toBe('no_information');
  });

  it('keeps quoted cells whole: commas, doubled quotes and line breaks inside them', () => {
    const csv =
      'user,arn,password_enabled\n' +
      '"o\'brien, pat","arn:aws:iam::400000000001:user/o\'brien",true\n' +
      '"say ""hi""","arn:aws:iam::400000000001:user/hi","multi\nline"\n';
    expect(parseCredentialReport(csv)).toEqual([
      {
        user: "o'brien, pat",
        arn: "arn:aws:iam::400000000001:user/o'brien",
        password_enabled: 'true',
      },
      {
        user: 'say "hi"',
        arn: 'arn:aws:iam::400000000001:user/hi',
        password_enabled: 'multi\nline',
      },
    ]);
  });

  it('drops a byte order mark, so the first column is still `user`', () => {
    const rows = parseCredentialReport(`\uFEFF${REPORT_CSV}`);
    expect(Object.keys(rows[0]!)[0]).toBe('user');
    expect(rows[0]!.user).toBe('<root_account>');
    expect(rows).toHaveLength(21);
  });

  it('reads CRLF line ends and skips blank lines', () => {
    const csv = 'user,arn\r\n\r\nbob,arn:aws:iam::400000000001:user/bob\r\n\r\n';
    expect(parseCredentialReport(csv)).toEqual([
      { user: 'bob', arn: 'arn:aws:iam::400000000001:user/bob' },
    ]);
  });

  it('answers no rows for a report with the header only (an account without users)', () => {
    expect(parseCredentialReport(`${COLUMNS.join(',')}\n`)).toEqual([]);
  });

  it.each([
    {
      name: 'no user and arn columns',
      csv: 'name,id\nbob,1\n',
      message: /no user and arn columns/,
    },
    {
      name: 'a header without user and arn, and no rows (not an account without users)',
      csv: 'name,id\n',
      message: /no user and arn columns/,
    },
    {
      name: 'a user but no arn column',
      csv: 'user,password_enabled\nbob,true\n',
      message: /no user and arn columns/,
    },
    {
      name: 'rows longer than the header',
      csv: 'user,arn\nbob,arn:x,extra\n',
      message: /not valid CSV/,
    },
    { name: 'an unclosed quote', csv: 'user,arn\n"bob,arn:x\n', message: /not valid CSV/ },
  ])('refuses $name with CredentialReportUnreadable', ({ csv, message }) => {
    let thrown: unknown;
    try {
      parseCredentialReport(csv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CredentialReportUnreadable);
    expect((thrown as Error).name).toBe('CredentialReportUnreadable');
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('readCredentialReport', () => {
  const iamMock = mockClient(IAMClient);
  const iam = new IAMClient({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
  const settings = { concurrency: 4, callTimeoutMs: 1000, maxAttempts: 1, budgetMs: 600_000 };
  let rt: CollectRuntime | undefined;

  afterEach(() => {
    rt?.close();
    iamMock.reset();
    vi.useRealTimers();
  });

  const generated = new Date(Date.UTC(2026, 10, 26, 1, 59, 0));
  const content = new TextEncoder().encode('user,arn\nbob,arn:aws:iam::400000000001:user/bob\n');

  it('polls STARTED, STARTED, COMPLETE with pauses of 0.5 s then 1 s, then reads the report', async () => {
    vi.useFakeTimers();
    rt = new CollectRuntime(settings);
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'STARTED' })
      .resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: content,
      GeneratedTime: generated,
      ReportFormat: 'text/csv',
    });
    let result: unknown;
    const done = readCredentialReport(rt, iam, 10_000).then((r) => {
      result = r;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(result).toEqual({
      GeneratedTime: '2026-11-26T01:59:00.000Z',
      rows: [{ user: 'bob', arn: 'arn:aws:iam::400000000001:user/bob' }],
    });
    expect(Object.fromEntries(rt.calls)).toEqual({
      'iam:GenerateCredentialReport': 3,
      'iam:GetCredentialReport': 1,
    });
  });

  it('gives up with CredentialReportNotReady once the next pause would pass the wait, pauses doubling to 4 s', async () => {
    vi.useFakeTimers();
    rt = new CollectRuntime(settings);
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    let outcome: unknown = 'pending';
    readCredentialReport(rt, iam, 20_000).catch((error: unknown) => {
      outcome = error;
    });
    // Polls at 0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5 s; the next pause (4 s) would end at 19.5 s,
    // still inside 20 s, so one more poll at 19.5 s, and then it gives up.
    await vi.advanceTimersByTimeAsync(19_499);
    expect(outcome).toBe('pending');
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(1);
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(8);
    expect(outcome).toBeInstanceOf(CredentialReportNotReady);
    expect((outcome as Error).message).toBe(
      'the credential report was still INPROGRESS after 20 s',
    );
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
  });

  it('refuses an empty report with CredentialReportUnreadable', async () => {
    rt = new CollectRuntime(settings);
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iamMock.on(GetCredentialReportCommand).resolves({ GeneratedTime: generated });
    await expect(readCredentialReport(rt, iam, 1000)).rejects.toThrow(
      new CredentialReportUnreadable('the credential report is empty'),
    );
  });

  it('stops waiting when the collection budget runs out', async () => {
    rt = new CollectRuntime({ ...settings, budgetMs: 100 });
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    const started = Date.now();
    await expect(readCredentialReport(rt, iam, 60_000)).rejects.toMatchObject({
      name: 'BudgetExceeded',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
