/**
 * Reads what a new run needs from the previous run of its archive (the chain head, whose
 * signature the writer has verified): its findings, collection errors, resource list and trend,
 * from artifacts checked against that run's `SHA256SUMS` first, so that drift is never computed
 * from an altered file.
 */
import type { Scope } from '../../checks/types.ts';
import type { RunState } from '../engine/drift.ts';
import type { Finding } from '../engine/evaluate.ts';
import { TREND_RUNS, type TrendPoint } from '../report/report.ts';
import { sha256Hex } from './signer.ts';
import type { ArchiveStore, RunRef } from './store.ts';
import { parseSha256sums } from './sums.ts';

/**
 * The previous run as a new run sees it: its state for drift, or why drift cannot be computed;
 * and its trend, kept whenever its `report.json` itself is sound.
 */
export type PreviousRunState =
  | { state: RunState; trend: TrendPoint[]; unavailable?: undefined }
  | { state?: undefined; trend: TrendPoint[]; unavailable: string };

interface StoredReport {
  findings?: Finding[];
  errors?: RunState['errors'];
  trend?: unknown[];
  runId?: string;
  generatedAt?: string;
  summary?: TrendPoint['summary'];
}

interface StoredInventory {
  resources?: Array<{ provider?: unknown; type?: unknown; id?: unknown; scope?: unknown }>;
}

/**
 * Reads `report.json` and `inventory.json` of `run`, each checked against `sums` (that run's
 * `SHA256SUMS`, whose digest the new run records).
 *
 * @example
 * const prev = await readPreviousRun(store, head.run, head.sums);
 * if (prev.unavailable) console.warn(prev.unavailable);
 */
export async function readPreviousRun(
  store: ArchiveStore,
  run: RunRef,
  sums: Buffer,
): Promise<PreviousRunState> {
  const parsed = parseSha256sums(sums.toString('utf8'));
  if ('problem' in parsed) {
    return { unavailable: `${run.runId}: SHA256SUMS ${parsed.problem}`, trend: [] };
  }
  const digests = new Map(parsed.entries);
  const read = async <T>(name: string): Promise<T | string> => {
    const expected = digests.get(name);
    if (!expected) return `${run.runId}: ${name} is not listed in its SHA256SUMS`;
    const data = await store.readRunFile(run, name);
    if (!data) return `${run.runId}: ${name} is missing`;
    if (sha256Hex(data) !== expected) {
      return `${run.runId}: ${name} does not match its SHA256SUMS (altered after the run was signed)`;
    }
    try {
      return JSON.parse(data.toString('utf8')) as T;
    } catch {
      return `${run.runId}: ${name} is not valid JSON`;
    }
  };
  const report = await read<StoredReport>('report.json');
  if (typeof report === 'string') return { unavailable: report, trend: [] };
  const trend = trendOf(report, run.runId);
  const inventory = await read<StoredInventory>('inventory.json');
  if (typeof inventory === 'string') return { unavailable: inventory, trend };
  const resources = (inventory.resources ?? []).map((r) => ({
    provider: String(r.provider),
    type: String(r.type),
    id: String(r.id),
    scope: (typeof r.scope === 'object' && r.scope !== null ? r.scope : {}) as Scope,
  }));
  return {
    state: { findings: report.findings ?? [], errors: report.errors ?? [], resources },
    trend,
  };
}

const COUNT_KEYS = ['PASS', 'FAIL', 'ERROR', 'WAIVED'] as const;

/** A trend point as a report holds it: a run id, a time and four non-negative counts. */
function isTrendPoint(p: unknown): p is TrendPoint {
  const point = p as Partial<TrendPoint> | null;
  const summary = point?.summary as Record<string, unknown> | undefined;
  return (
    typeof point?.runId === 'string' &&
    typeof point.generatedAt === 'string' &&
    typeof summary === 'object' &&
    summary !== null &&
    COUNT_KEYS.every((k) => Number.isSafeInteger(summary[k]) && (summary[k] as number) >= 0)
  );
}

/**
 * The previous report's trend, ending with that run: well-formed points, in increasing runId
 * order, none after the run itself, at most {@link TREND_RUNS} - 1 (the new run adds itself).
 * Reports written before the trend existed carry none: the trend starts with them.
 */
function trendOf(report: StoredReport, runId: string): TrendPoint[] {
  const own = { runId: report.runId, generatedAt: report.generatedAt, summary: report.summary };
  const carried = Array.isArray(report.trend) ? report.trend : [own];
  const points: TrendPoint[] = [];
  for (const p of carried) {
    if (!isTrendPoint(p) || p.runId > runId) continue;
    if (points.length && p.runId <= points.at(-1)!.runId) continue;
    const { PASS, FAIL, ERROR, WAIVED } = p.summary;
    points.push({
      runId: p.runId,
      generatedAt: p.generatedAt,
      summary: { PASS, FAIL, ERROR, WAIVED },
    });
  }
  return points.slice(-(TREND_RUNS - 1));
}
