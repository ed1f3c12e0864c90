/** What `pci-posture verify` prints for one archive: one screen, whatever the archive's size. */
import type { VerifyResult } from '../archive/verify.ts';

/** Problem lines shown before "and N more" (every one with `verbose`). */
const MAX_PROBLEM_LINES = 20;

/**
 * The summary of verifying `path`: every problem (up to a screen), incomplete runs, notes, and a
 * closing line `<path>: INTACT|NOT INTACT: N run(s), ...`. `verbose` adds one OK line per run.
 *
 * @example io.stdout(verifySummary('archive', result, { verbose: false }));
 */
export function verifySummary(
  path: string,
  result: VerifyResult,
  options: { verbose?: boolean; allowIncomplete?: boolean } = {},
): string {
  const lines: string[] = [];
  const incomplete = new Set(result.incomplete);
  const problems: string[] = [];
  for (const run of result.runs) {
    if (run.problems.length === 0) {
      if (options.verbose) lines.push(`OK    ${run.location}`);
      continue;
    }
    if (incomplete.has(run.runId)) continue; // named once, below
    for (const p of run.problems) problems.push(`FAIL  ${run.location}: ${p}`);
  }
  for (const p of result.chain) problems.push(`FAIL  chain: ${p}`);
  const shown = options.verbose ? problems : problems.slice(0, MAX_PROBLEM_LINES);
  lines.push(...shown);
  if (shown.length < problems.length) {
    lines.push(`      ... and ${problems.length - shown.length} more (--verbose lists every one)`);
  }
  const why =
    result.mode === 'run'
      ? 'never signed (cut off mid-way, or planted)'
      : 'never signed, and no later run links to it (cut off mid-way, or planted)';
  const excused = options.allowIncomplete && result.mode === 'archive';
  for (const run of result.runs.filter((r) => incomplete.has(r.runId))) {
    lines.push(
      `${excused ? 'WARN' : 'FAIL'}  incomplete run ${run.location}: ${why}: its files are not evidence`,
    );
  }
  for (const n of result.notes) lines.push(`note  ${n}`);
  const first = result.runs[0]?.runId;
  const last = result.runs.at(-1)?.runId;
  if (first && last && first !== last) lines.push(`runs  ${first} ... ${last}`);
  const bad = result.runs.filter((r) => r.problems.length > 0 && !incomplete.has(r.runId)).length;
  lines.push(
    `${path}: ${result.ok ? 'INTACT' : 'NOT INTACT'}: ${result.runs.length} run(s), ${bad} with problems, ${result.chain.length} chain problem(s)${incomplete.size ? `, ${incomplete.size} incomplete` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
