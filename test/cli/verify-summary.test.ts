import { describe, expect, it } from 'vitest';
import type { RunCheck, VerifyResult } from '../../functions/archive/verify.ts';
import { verifySummary } from '../../functions/cli/verify-summary.ts';

const run = (i: number, problems: string[] = [], signed = true): RunCheck => ({
  runId: `2026-01-${String(i + 1).padStart(2, '0')}T020000Z-0000`,
  location: `archive/reports/2026/01/${String(i + 1).padStart(2, '0')}/run-${i}`,
  problems,
  signature: signed ? 'valid' : 'missing',
  misplaced: false,
});

const result = (runs: RunCheck[], extra: Partial<VerifyResult> = {}): VerifyResult => ({
  mode: 'archive',
  ok: runs.every((r) => r.problems.length === 0),
  runs,
  chain: [],
  notes: ["chain starts at run-0 (the archive's first run)"],
  incomplete: [],
  ...extra,
});

describe('verify summary', () => {
  it('fits one screen for a long intact archive and ends with the verdict line', () => {
    const text = verifySummary('archive', result(Array.from({ length: 400 }, (_, i) => run(i))));
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(lines.at(-1)).toBe('archive: INTACT: 400 run(s), 0 with problems, 0 chain problem(s)');
    expect(text).toContain('note  chain starts at run-0');
  });

  it('shows the first 20 problems and counts the rest; --verbose lists them all', () => {
    const runs = Array.from({ length: 30 }, (_, i) => run(i, ['report.json: content changed']));
    const short = verifySummary('archive', result(runs)).trimEnd().split('\n');
    expect(short.filter((l) => l.startsWith('FAIL'))).toHaveLength(20);
    expect(short).toContain('      ... and 10 more (--verbose lists every one)');
    expect(short.at(-1)).toBe(
      'archive: NOT INTACT: 30 run(s), 30 with problems, 0 chain problem(s)',
    );
    const long = verifySummary('archive', result(runs), { verbose: true }).split('\n');
    expect(long.filter((l) => l.startsWith('FAIL'))).toHaveLength(30);
  });

  it('names incomplete runs once, as FAIL, or WARN when they are allowed', () => {
    const runs = [run(0), run(1, ['SHA256SUMS.sig: missing'], false), run(2)];
    const r = result(runs, { ok: false, incomplete: [runs[1]!.runId] });
    const strict = verifySummary('archive', r);
    expect(strict).toContain(`FAIL  incomplete run ${runs[1]!.location}: never signed`);
    expect(strict).not.toContain('SHA256SUMS.sig: missing');
    expect(strict).toContain('0 with problems, 0 chain problem(s), 1 incomplete');
    const lenient = verifySummary('archive', { ...r, ok: true }, { allowIncomplete: true });
    expect(lenient).toContain(`WARN  incomplete run ${runs[1]!.location}`);
    expect(lenient).toContain('archive: INTACT');
  });

  it('lists chain problems by name', () => {
    const text = verifySummary(
      'archive',
      result([run(0), run(1)], { ok: false, chain: ['run-1: links to run-x, which is missing'] }),
    );
    expect(text).toContain('FAIL  chain: run-1: links to run-x, which is missing');
  });
});
