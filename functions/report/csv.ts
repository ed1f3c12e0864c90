/** `findings.csv`: RFC 4180, safe to open in a spreadsheet (CONTRACTS §2). */
import type { Finding } from '../engine/evaluate.ts';

export const CSV_COLUMNS = [
  'checkId',
  'status',
  'severity',
  'provider',
  'resourceType',
  'resourceId',
  'requirements',
  'message',
] as const;

/**
 * One CSV cell: a leading `=`, `+`, `-` or `@` gets a `'` (no formula injection), and a cell
 * with a comma, quote or line break is quoted with its quotes doubled.
 *
 * @example csvCell('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The findings as CSV, sorted by checkId then resourceId, CRLF line ends.
 *
 * @example writeFileSync('findings.csv', findingsCsv(report.findings));
 */
export function findingsCsv(findings: readonly Finding[]): string {
  const rows = [...findings].sort(
    (a, b) =>
      (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) ||
      (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0),
  );
  const lines = [CSV_COLUMNS.join(',')];
  for (const f of rows) {
    lines.push(
      [
        f.checkId,
        f.status,
        f.severity,
        f.provider,
        f.resourceType,
        f.resourceId,
        f.requirements.join(' '),
        f.message,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
