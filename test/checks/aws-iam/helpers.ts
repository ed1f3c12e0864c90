/** AWS IAM account-level resources for the aws-iam check tables, built from the provider fixtures. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { awsAccountRootArn } from '../../../checks/lib/ids.ts';
import type { Resource } from '../../../checks/types.ts';
import { PROVIDER_FIXTURES } from '../../fixtures/load.ts';
import { resource } from '../harness.ts';

export const ACCOUNT = '111122223333';
/** The account of the recorded credential report fixture. */
export const FIXTURE_ACCOUNT = '644160558196';

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of strings keyed by
 * the header row, as the collector stores the credential report.
 *
 * @example parseCsv('user,arn\nbob,arn:aws:iam::1:user/bob') // [{ user: 'bob', arn: '...' }]
 */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/**
 * The recorded credential report (22 columns, `<root_account>` first, one user twice).
 *
 * @example credentialReport(fixtureReportRows(), FIXTURE_ACCOUNT)
 */
export function fixtureReportRows(): Record<string, string>[] {
  return parseCsv(readFileSync(join(PROVIDER_FIXTURES, 'aws/iam/credential-report.csv'), 'utf8'));
}

/**
 * An `aws.iam.credential-report` resource holding `rows`.
 *
 * @example credentialReport([userRow('alice', { password_enabled: 'true' })])
 */
export function credentialReport(
  rows: Record<string, string>[],
  account = ACCOUNT,
  generatedTime = '2026-11-26T01:00:00Z',
): Resource {
  return resource(
    'aws',
    'aws.iam.credential-report',
    awsAccountRootArn(account),
    { account },
    { GeneratedTime: generatedTime, rows },
  );
}

const COLUMNS = Object.keys(fixtureReportRows()[0] ?? {});

/**
 * A credential report row for IAM user `user` with every one of the 22 columns: no password, no
 * MFA, no active key, created 2026-11-01, unless `patch` says otherwise.
 *
 * @example userRow('alice', { password_enabled: 'true', mfa_active: 'false' })
 */
export function userRow(user: string, patch: Record<string, string> = {}): Record<string, string> {
  const row: Record<string, string> = Object.fromEntries(COLUMNS.map((c) => [c, 'N/A']));
  for (const c of COLUMNS) if (/_active$|password_enabled/.test(c)) row[c] = 'false';
  return {
    ...row,
    user,
    arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
    user_creation_time: '2026-11-01T00:00:00+00:00',
    ...patch,
  };
}

/**
 * The root row of a synthetic report, with `patch` applied (the checks must skip it): no MFA
 * and an active key last rotated in 2016, so a check that forgot to skip it would fail it.
 *
 * @example credentialReport([rootRow(), userRow('alice')])
 */
export function rootRow(patch: Record<string, string> = {}): Record<string, string> {
  return userRow('<root_account>', {
    arn: `arn:aws:iam::${ACCOUNT}:root`,
    password_enabled: 'not_supported',
    password_last_used: '2016-01-01T00:00:00+00:00',
    mfa_active: 'false',
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2016-01-01T00:00:00+00:00',
    ...patch,
  });
}

/**
 * An `aws.iam.account-summary` resource holding a GetAccountSummary `SummaryMap`.
 *
 * @example accountSummary({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 })
 */
export function accountSummary(summaryMap: unknown, account = ACCOUNT): Resource {
  return resource(
    'aws',
    'aws.iam.account-summary',
    awsAccountRootArn(account),
    { account },
    summaryMap,
  );
}

/**
 * An `aws.iam.password-policy` resource; `null` when the account has none.
 *
 * @example passwordPolicy({ MinimumPasswordLength: 14, RequireNumbers: true })
 */
export function passwordPolicy(policy: unknown, account = ACCOUNT): Resource {
  return resource(
    'aws',
    'aws.iam.password-policy',
    awsAccountRootArn(account),
    { account },
    policy,
  );
}

/**
 * Decodes a policy document as IAM returns it (percent-encoded JSON).
 *
 * @example decodePolicyDocument('%7B%22Statement%22%3A%5B%5D%7D') // { Statement: [] }
 */
export function decodePolicyDocument(encoded: string): unknown {
  return JSON.parse(decodeURIComponent(encoded));
}

interface PolicyItem {
  Arn: string;
  DefaultVersionId?: string;
  PolicyVersionList?: Array<{ VersionId: string; Document: unknown }>;
  [k: string]: unknown;
}

/**
 * An `aws.iam.policy` resource: a GetAccountAuthorizationDetails `Policies[]` item plus
 * `Document`, its default version's document (decoded when still a string), unless given.
 *
 * @example iamPolicy(details.Policies[0], { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } })
 */
export function iamPolicy(item: PolicyItem, document?: unknown): Resource {
  const version = item.PolicyVersionList?.find((v) => v.VersionId === item.DefaultVersionId);
  const raw = document ?? version?.Document;
  const Document = typeof raw === 'string' ? decodePolicyDocument(raw) : raw;
  const account = item.Arn.split(':')[4] ?? ACCOUNT;
  return resource('aws', 'aws.iam.policy', item.Arn, { account }, { ...item, Document });
}
