/**
 * The IAM credential report: generated on request (GenerateCredentialReport, polled until
 * COMPLETE within a bound), read (GetCredentialReport), and its CSV parsed into rows of strings
 * (CONTRACTS §1, `aws.iam.credential-report`).
 */
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { type CollectRuntime, pause } from '../runtime.ts';

/** The credential report was not ready within the configured wait. */
export class CredentialReportNotReady extends Error {
  override readonly name = 'CredentialReportNotReady';
}

/** The credential report is not the CSV IAM documents. */
export class CredentialReportUnreadable extends Error {
  override readonly name = 'CredentialReportUnreadable';
}

/**
 * The report's CSV as rows: column name to the cell's text, every value a string.
 *
 * @example parseCredentialReport('user,arn\nbob,arn:aws:iam::1:user/bob\n') // [{ user: 'bob', arn: 'arn:aws:iam::1:user/bob' }]
 */
export function parseCredentialReport(csv: string): Record<string, string>[] {
  let header: string[] | undefined;
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, {
      columns: (names: string[]) => {
        header = names;
        return names;
      },
      skip_empty_lines: true,
      bom: true,
    });
  } catch (cause) {
    throw new CredentialReportUnreadable(
      `the credential report is not valid CSV: ${(cause as Error).message}`,
      { cause },
    );
  }
  // Checked on the header itself: a report with the wrong columns and no rows is not "no users".
  if (!header?.includes('user') || !header.includes('arn')) {
    throw new CredentialReportUnreadable('the credential report has no user and arn columns');
  }
  return rows;
}

/**
 * Generates and reads the account's credential report. Waits between polls outside the call
 * pool (0.5 s, doubling to 4 s) and gives up after `waitMs`.
 *
 * @example const { GeneratedTime, rows } = await readCredentialReport(rt, iam, 60_000);
 */
export async function readCredentialReport(
  rt: CollectRuntime,
  iam: IAMClient,
  waitMs: number,
): Promise<{ GeneratedTime: string | undefined; rows: Record<string, string>[] }> {
  const deadline = Date.now() + waitMs;
  let nextWaitMs = 500;
  for (;;) {
    const gen = await rt.call('iam:GenerateCredentialReport', (s) =>
      iam.send(new GenerateCredentialReportCommand({}), { abortSignal: s }),
    );
    if (gen.State === 'COMPLETE') break;
    if (Date.now() + nextWaitMs > deadline) {
      throw new CredentialReportNotReady(
        `the credential report was still ${gen.State ?? 'not ready'} after ${waitMs / 1000} s`,
      );
    }
    await pause(nextWaitMs, rt.budget);
    nextWaitMs = Math.min(nextWaitMs * 2, 4000);
  }
  const report = await rt.call('iam:GetCredentialReport', (s) =>
    iam.send(new GetCredentialReportCommand({}), { abortSignal: s }),
  );
  if (!report.Content) throw new CredentialReportUnreadable('the credential report is empty');
  return {
    GeneratedTime: report.GeneratedTime?.toISOString(),
    rows: parseCredentialReport(Buffer.from(report.Content).toString('utf8')),
  };
}
