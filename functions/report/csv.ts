/** `findings.csv`: RFC 4180, safe to open in a spreadsheet (CONTRACTS §2). */
import type { Finding } from '../engine/evaluate.ts';
import { renderToString, type TextSink } from './sink.ts';

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
  const first = value.charCodeAt(0);
  // = + - @
  const safe = first === 61 || first === 43 || first === 45 || first === 64 ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * The findings as CSV, sorted by checkId then resourceId, CRLF line ends.
 *
 * @example writeFileSync('findings.csv', findingsCsv(report.findings));
 */
export function findingsCsv(findings: readonly Finding[]): string {
  return renderToString((sink) => writeFindingsCsv(findings, sink));
}

/**
 * Writes the findings CSV into a sink (see {@link findingsCsv}).
 *
 * @example const sink = new BufferSink(); writeFindingsCsv(report.findings, sink);
 */
export function writeFindingsCsv(findings: readonly Finding[], sink: TextSink): void {
  const order = (a: Finding, b: Finding) =>
    (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) ||
    (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0);
  // Reports are already in this order; sort only what is not.
  const sorted = findings.every((f, i) => i === 0 || order(findings[i - 1]!, f) <= 0);
  const rows = sorted ? findings : [...findings].sort(order);
  sink.write(`${CSV_COLUMNS.join(',')}\r\n`);
  for (const f of rows) {
    sink.write(
      `${csvCell(f.checkId)},${f.status},${f.severity},${f.provider},${csvCell(f.resourceType)},${csvCell(f.resourceId)},${f.requirements.join(' ')},${csvCell(f.message)}\r\n`,
    );
  }
}
