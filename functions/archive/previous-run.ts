/**
 * Reads what a new run needs from the previous run of its archive (the chain head): its findings,
 * collection errors, resource list and trend, from artifacts checked against the previous run's
 * `SHA256SUMS` first, so that drift is never computed from an altered file.
 */
import type { RunState } from '../engine/drift.ts';
import type { Finding } from '../engine/evaluate.ts';
import type { TrendPoint } from '../report/report.ts';
import { sha256Hex } from './signer.ts';
import type { ArchiveStore, RunRef } from './store.ts';
import { parseSha256sums } from './sums.ts';

/** The previous run as a new run sees it, or why it cannot be used. */
export type PreviousRunState = { state: RunState; trend: TrendPoint[] } | { unavailable: string };

interface StoredReport {
  findings?: Finding[];
  errors?: RunState['errors'];
  trend?: TrendPoint[];
  runId?: string;
  generatedAt?: string;
  summary?: TrendPoint['summary'];
}

interface StoredInventory {
  resources?: Array<{ provider?: unknown; type?: unknown; id?: unknown }>;
}

/**
 * Reads `report.json` and `inventory.json` of `run`, each checked against `sums` (that run's
 * `SHA256SUMS`, whose digest the new run records).
 *
 * @example
 * const prev = await readPreviousRun(store, head.run, head.sums);
 * if ('unavailable' in prev) console.warn(prev.unavailable);
 */
export async function readPreviousRun(
  store: ArchiveStore,
  run: RunRef,
  sums: Buffer,
): Promise<PreviousRunState> {
  const parsed = parseSha256sums(sums.toString('utf8'));
  if ('problem' in parsed) return { unavailable: `${run.runId}: SHA256SUMS ${parsed.problem}` };
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
  if (typeof report === 'string') return { unavailable: report };
  const inventory = await read<StoredInventory>('inventory.json');
  if (typeof inventory === 'string') return { unavailable: inventory };
  const resources = (inventory.resources ?? []).map((r) => ({
    provider: String(r.provider),
    type: String(r.type),
    id: String(r.id),
  }));
  const own: TrendPoint[] =
    report.runId && report.generatedAt && report.summary
      ? [{ runId: report.runId, generatedAt: report.generatedAt, summary: report.summary }]
      : [];
  // Reports written before the trend existed carry none: the trend starts with them.
  const trend = Array.isArray(report.trend) && report.trend.length ? report.trend : own;
  return {
    state: { findings: report.findings ?? [], errors: report.errors ?? [], resources },
    trend,
  };
}
