/**
 * AWS shapes that the EKS and IAM checks share: the credential report's rows and dates, IAM
 * policy statements, and how account-level resources are named in messages.
 */
import type { Evidence, Resource, Verdict } from '../types.ts';
import { fail, pass } from './verdict.ts';

/**
 * One credential report row: CSV column name to CSV value, every value a string. The helpers
 * below still read a hand-made row whose cells are JSON booleans, numbers or null without throwing.
 */
export type CredentialReportRow = Readonly<Record<string, string>>;

/** `aws.iam.credential-report` data (CONTRACTS §1). */
export interface CredentialReportData {
  readonly GeneratedTime?: string;
  readonly rows?: readonly CredentialReportRow[];
}

/** The `user` of the credential report's root row; user checks skip it. */
export const ROOT_ACCOUNT_USER = '<root_account>';

/** Date column values that mean "never" (CHECKS.md, AWS IAM). */
export const NEVER_VALUES: ReadonlySet<string> = new Set([
  'N/A',
  'no_information',
  'not_supported',
]);

/**
 * How an account-level IAM resource is named in messages: `account <id>`.
 *
 * @example accountLabel({ id: 'arn:aws:iam::111122223333:root', scope: { account: '111122223333' } }) // 'account 111122223333'
 */
export function accountLabel(resource: Pick<Resource, 'id' | 'scope'>): string {
  const account = resource.scope.account ?? resource.id.split(':')[4] ?? resource.id;
  return `account ${account}`;
}

/**
 * A credential report date, or `undefined` when it means "never" (`N/A`, `no_information`,
 * `not_supported`), is empty, or is not a date.
 *
 * @example reportDate('2016-10-11T15:27:35+00:00') // '2016-10-11T15:27:35+00:00'
 * @example reportDate('no_information') // undefined
 */
export function reportDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (v === '' || NEVER_VALUES.has(v) || Number.isNaN(Date.parse(v))) return undefined;
  return v;
}

/** A cell as a lower-case word: strings trimmed, JSON booleans as `true`/`false`, else `''`. */
function reportWord(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * True for the credential report's `true` (case and surrounding blanks ignored).
 *
 * @example reportTrue(row.password_enabled) // true for 'true', false for 'false' or 'not_supported'
 */
export function reportTrue(value: unknown): boolean {
  return reportWord(value) === 'true';
}

/**
 * True for the credential report's `false` (case and surrounding blanks ignored).
 *
 * @example reportFalse(row.mfa_active) // true for 'false', false for 'true' or 'not_supported'
 */
export function reportFalse(value: unknown): boolean {
  return reportWord(value) === 'false';
}

/**
 * The access key numbers a row has columns for (`access_key_1_active`, `access_key_2_active`, ...).
 *
 * @example accessKeyNumbers({ access_key_1_active: 'true', access_key_2_active: 'false' }) // [1, 2]
 */
export function accessKeyNumbers(row: CredentialReportRow): number[] {
  const numbers: number[] = [];
  for (const key of Object.keys(row)) {
    const m = /^access_key_(\d+)_active$/.exec(key);
    if (m?.[1]) numbers.push(Number(m[1]));
  }
  return numbers.sort((a, b) => a - b);
}

/** One IAM user of a credential report: the rows with its `arn` (a report can repeat a user). */
export interface ReportUser {
  readonly arn: string;
  readonly user: string;
  /** The user's rows with their index in `data.rows`, for evidence paths. */
  readonly rows: ReadonlyArray<{ readonly index: number; readonly row: CredentialReportRow }>;
}

/**
 * The IAM users of a credential report, root row skipped, rows grouped by `arn` in report order,
 * so that each user gets exactly one finding even when the report repeats it.
 *
 * @example credentialReportUsers(report).map((u) => u.arn) // ['arn:aws:iam::1:user/andrew', ...]
 */
export function credentialReportUsers(report: Resource): ReportUser[] {
  const rows: unknown = (report.data as CredentialReportData | null)?.rows;
  const byArn = new Map<
    string,
    { arn: string; user: string; rows: ReportUser['rows'][number][] }
  >();
  // Rows that are not objects (a hand-made report) name no user: they get no finding.
  (Array.isArray(rows) ? rows : []).forEach((row: unknown, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return;
    const cells = row as Record<string, unknown>;
    const user = typeof cells.user === 'string' ? cells.user : '';
    if (user === ROOT_ACCOUNT_USER) return;
    const given = typeof cells.arn === 'string' ? cells.arn.trim() : '';
    const arn = given || `arn:aws:iam::${report.scope.account ?? ''}:user/${user}`;
    const entry = byArn.get(arn);
    const cellsRow = cells as CredentialReportRow;
    if (entry) entry.rows.push({ index, row: cellsRow });
    else byArn.set(arn, { arn, user, rows: [{ index, row: cellsRow }] });
  });
  return [...byArn.values()];
}

/** What a credential report check found wrong with one row, and the cells it looked at. */
export interface RowJudgement {
  readonly problems: readonly string[];
  readonly evidence: readonly Evidence[];
}

/**
 * One verdict per IAM user of a credential report (resourceId = the user's `arn`): FAIL when
 * `judge` finds a problem in any of the user's rows, else PASS.
 *
 * @example
 * userVerdicts(report, (row, path) => ({ problems: [], evidence: [ev(report.data, `${path}.mfa_active`)] }),
 *   (user) => `IAM user ${user}: ...`)
 */
export function userVerdicts(
  report: Resource,
  judge: (row: CredentialReportRow, path: string) => RowJudgement,
  passMessage: (user: string) => string,
): Verdict[] {
  return credentialReportUsers(report).map((u) => {
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    for (const { index, row } of u.rows) {
      const j = judge(row, `rows.${index}`);
      problems.push(...j.problems.filter((p) => !problems.includes(p)));
      evidence.push(...j.evidence);
    }
    const label = u.user || u.arn;
    return problems.length > 0
      ? fail(report, `IAM user ${label}: ${problems.join('; ')}`, evidence, u.arn)
      : pass(report, passMessage(label), evidence, u.arn);
  });
}

/** An IAM policy statement, as the policy document holds it. */
export type PolicyStatement = Readonly<Record<string, unknown>>;

/**
 * The statements of an IAM policy document (`Statement` an object or an array), each with its
 * evidence path. A document still URL-encoded or serialised as a string is decoded and parsed;
 * one that cannot be read has no statements.
 *
 * @example policyStatements({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } })[0].path // 'Document.Statement'
 */
export function policyStatements(
  document: unknown,
  base = 'Document',
): Array<{ path: string; statement: PolicyStatement }> {
  const doc = typeof document === 'string' ? parsePolicyDocument(document) : document;
  if (typeof doc !== 'object' || doc === null) return [];
  const statement = (doc as { Statement?: unknown }).Statement;
  const isStatement = (s: unknown): s is PolicyStatement =>
    typeof s === 'object' && s !== null && !Array.isArray(s);
  if (Array.isArray(statement)) {
    return statement
      .map((s, i) => ({ path: `${base}.Statement.${i}`, statement: s as unknown }))
      .filter((e): e is { path: string; statement: PolicyStatement } => isStatement(e.statement));
  }
  return isStatement(statement) ? [{ path: `${base}.Statement`, statement }] : [];
}

function parsePolicyDocument(text: string): unknown {
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
