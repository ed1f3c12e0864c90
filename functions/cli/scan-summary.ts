/** What `scan` prints about collection: a progress line per scan unit, and a closing summary. */
import type { ScanProgress, ScanResult } from '../collect/scan.ts';
import { scopeName } from '../engine/scope.ts';

/** Collection errors listed without `--verbose`. */
const SHOWN_ERRORS = 10;

/**
 * One progress line: `[3/20] aws 111122223333 read (12.4 s, 1 collection error so far)`.
 *
 * @example io.stderr(scanProgressLine({ done: 3, total: 20, errors: 1, unit: 'aws 111122223333' }, 12_400));
 */
export function scanProgressLine(p: ScanProgress, elapsedMs: number): string {
  const errors = p.errors === 1 ? '1 collection error' : `${p.errors} collection errors`;
  return `[${p.done}/${p.total}] ${p.unit} read (${(elapsedMs / 1000).toFixed(1)} s, ${errors} so far)\n`;
}

/**
 * The closing lines of collection: resources, units, calls and time, then the collection errors
 * (the first ten, or all with `verbose`; none with `quiet`), each with its scope (the cluster,
 * for an error about one cluster's parts), operation and message.
 *
 * @example io.stderr(scanSummary(result, false));
 */
export function scanSummary(result: ScanResult, verbose: boolean, quiet = false): string {
  const inv = result.inventory;
  let calls = 0;
  for (const n of result.calls.values()) calls += n;
  const lines = [
    `collected ${inv.resources.length} resources from ${result.units} scan unit(s) in ${(result.durationMs / 1000).toFixed(1)} s (${calls} API calls), ${inv.errors.length} collection error(s)`,
  ];
  if (quiet) return `${lines[0]}\n`;
  const shown = verbose ? inv.errors : inv.errors.slice(0, SHOWN_ERRORS);
  for (const e of shown) {
    lines.push(
      `  not collected: ${e.types.join(', ')} in ${!e.resourceId && e.scope.cluster ? e.scope.cluster : scopeName(e)}${e.operation ? ` (${e.operation})` : ''}: ${e.message}`,
    );
  }
  if (shown.length < inv.errors.length) {
    lines.push(
      `  ... and ${inv.errors.length - shown.length} more (--verbose lists all; report.json has them)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
