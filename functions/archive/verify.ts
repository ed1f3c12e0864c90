/**
 * Verification of run folders and whole archives: every artifact's digest, the signature over
 * `SHA256SUMS`, no unlisted files, and the hash chain between consecutive runs (oldest first).
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { sha256Hex } from './signer.ts';
import { type ArchiveStore, LocalFolderStore, type RunRef } from './store.ts';
import { parseSha256sums, SIGNATURE_FILES } from './sums.ts';

/** What was found in one run. */
export interface RunCheck {
  runId: string;
  location: string;
  /** Each problem names the file it is about. Empty when the run is intact. */
  problems: string[];
  /** `report.json.previous`, when it could be read. */
  previous?: { runId: string; sha256sumsDigest: string } | null;
  sumsDigest?: string;
  /** Both `SHA256SUMS` and `SHA256SUMS.sig` are present (whether the signature verifies or not). */
  signed: boolean;
}

export interface VerifyResult {
  ok: boolean;
  runs: RunCheck[];
  /** Problems with the links between runs. */
  chain: string[];
  /** Facts that are not failures (where a chain starts). */
  notes: string[];
  /**
   * Runs that were never signed and that no later run links to: cut off mid-way (or planted).
   * They fail verification unless `allowIncomplete` was given; either way they are named here.
   */
  incomplete: string[];
}

/**
 * Loads a PEM public key for verification; an unreadable key is a usage error.
 *
 * @example const key = loadPublicKey('signing-public-key.pem', pemText);
 */
export function loadPublicKey(source: string, pem: string | Buffer): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (cause) {
    throw new UsageError(`${source} is not a PEM public key`, { cause });
  }
}

/**
 * Checks one run folder: digests, the signature, unlisted or missing files.
 *
 * @example const check = await verifyRun(store, run, key);
 */
export async function verifyRun(
  store: ArchiveStore,
  run: RunRef,
  key: KeyObject,
): Promise<RunCheck> {
  const location = `${store.location}/${run.path}`;
  const result: RunCheck = { runId: run.runId, location, problems: [], signed: false };
  const problem = (file: string, what: string) => result.problems.push(`${file}: ${what}`);
  const files = await store.listRunFiles(run);
  const sums = await store.readRunFile(run, 'SHA256SUMS');
  const sig = await store.readRunFile(run, 'SHA256SUMS.sig');
  if (!sums) {
    problem('SHA256SUMS', 'missing: the run is incomplete or was tampered with');
    return result;
  }
  result.sumsDigest = sha256Hex(sums);
  result.signed = sig !== undefined;
  if (!sig) problem('SHA256SUMS.sig', 'missing: the run is not signed (incomplete run)');
  else {
    let good = false;
    try {
      good = cryptoVerify('sha256', sums, { key, dsaEncoding: 'der' }, sig);
    } catch {
      good = false;
    }
    if (!good) problem('SHA256SUMS.sig', 'signature does not verify with the given public key');
  }
  const parsed = parseSha256sums(sums.toString('utf8'));
  if ('problem' in parsed) {
    problem('SHA256SUMS', parsed.problem);
    return result;
  }
  const listed = new Set(parsed.entries.map(([n]) => n));
  for (const [name, digest] of parsed.entries) {
    const data = await store.readRunFile(run, name);
    if (!data) problem(name, 'listed in SHA256SUMS but missing');
    else if (sha256Hex(data) !== digest)
      problem(name, 'content changed: its SHA-256 does not match SHA256SUMS');
  }
  for (const name of files) {
    if (!listed.has(name) && !SIGNATURE_FILES.includes(name)) {
      problem(name, 'not listed in SHA256SUMS');
    }
  }
  const report = listed.has('report.json')
    ? await store.readRunFile(run, 'report.json')
    : undefined;
  if (!report) problem('report.json', 'missing');
  else {
    try {
      const parsedReport = JSON.parse(report.toString('utf8')) as {
        runId?: unknown;
        previous?: RunCheck['previous'];
      };
      if (parsedReport.runId !== run.runId) {
        problem(
          'report.json',
          `names run ${String(parsedReport.runId)}, but sits in folder ${run.runId}`,
        );
      }
      result.previous = parsedReport.previous ?? null;
    } catch {
      problem('report.json', 'is not valid JSON');
    }
  }
  return result;
}

/**
 * Checks the links between runs sorted oldest first. A run's predecessor must be the run just
 * before it, with the digest of its `SHA256SUMS`. The oldest run may name a predecessor that
 * retention removed: that is a note, not a failure.
 *
 * @example const { problems, notes } = verifyChain(runChecks);
 */
export function verifyChain(all: readonly RunCheck[]): {
  problems: string[];
  notes: string[];
  incomplete: string[];
} {
  const problems: string[] = [];
  const notes: string[] = [];
  // A run that was never signed and that no run links to was cut off before its signature: it
  // is not part of the chain (writers link past it). One that a later run names lost its
  // signature after that run was written.
  const named = new Map<string, string>();
  for (const r of all) if (r.previous) named.set(r.previous.runId, r.runId);
  const incomplete: string[] = [];
  for (const r of all) {
    if (r.signed) continue;
    const by = named.get(r.runId);
    if (by) {
      problems.push(
        `${r.runId}: ${by} names it as its previous run, but it has no signature now (removed after ${by} was written)`,
      );
    } else incomplete.push(r.runId);
  }
  const runs = all.filter((r) => !incomplete.includes(r.runId));
  const ids = new Set(all.map((r) => r.runId));
  const namedBy = new Map<string, string[]>();
  runs.forEach((run, i) => {
    const prev = run.previous;
    if (prev === undefined) return; // report.json unreadable: already a problem of that run
    if (prev) namedBy.set(prev.runId, [...(namedBy.get(prev.runId) ?? []), run.runId]);
    if (i === 0) {
      if (prev === null) notes.push(`chain starts at ${run.runId} (the archive's first run)`);
      else if (ids.has(prev.runId)) {
        problems.push(`${run.runId}: names previous run ${prev.runId}, which is newer than it`);
      } else {
        notes.push(
          `chain starts at ${run.runId}; its predecessor ${prev.runId} is not in this archive (removed by retention)`,
        );
      }
      return;
    }
    const before = runs[i - 1]!;
    if (prev === null) {
      problems.push(
        `${run.runId}: report.json says it is a first run, but ${before.runId} comes before it`,
      );
    } else if (prev.runId !== before.runId) {
      problems.push(
        ids.has(prev.runId)
          ? `${run.runId}: links to ${prev.runId}, skipping ${before.runId} (the chain forks)`
          : `${run.runId}: links to ${prev.runId}, which is missing from the archive (a run between ${before.runId} and ${run.runId} was removed)`,
      );
    } else if (before.sumsDigest !== undefined && prev.sha256sumsDigest !== before.sumsDigest) {
      problems.push(
        `${run.runId}: the SHA256SUMS digest it records for ${before.runId} does not match that run's SHA256SUMS`,
      );
    }
  });
  for (const [runId, by] of namedBy) {
    if (by.length > 1)
      problems.push(`chain forks: ${by.join(' and ')} all name ${runId} as their previous run`);
  }
  return { problems, notes, incomplete };
}

/**
 * Where a PATH points: a whole archive, or one run folder inside one (four levels below the
 * archive root, `reports/YYYY/MM/DD/<runId>`).
 *
 * @example const { store, only } = await resolvePath('archive/reports/2026/11/26/2026-11-26T020311Z-7f3a');
 */
export async function resolvePath(given: string): Promise<{ store: ArchiveStore; only?: RunRef }> {
  const path = resolve(given);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new UsageError(`${given}: not a folder (give an archive or a run folder)`);
  }
  if (existsSync(join(path, 'SHA256SUMS')) || existsSync(join(path, 'report.json'))) {
    const runId = basename(path);
    // reports/YYYY/MM/DD/<runId>: the archive root is four levels up.
    const root = dirname(dirname(dirname(dirname(path))));
    const rel = relative(root, path);
    return { store: new LocalFolderStore(root), only: { runId, path: rel } };
  }
  if (existsSync(join(path, 'reports'))) return { store: new LocalFolderStore(path) };
  throw new UsageError(
    `${path}: neither an archive (no reports/ folder) nor a run folder (no SHA256SUMS)`,
  );
}

export interface VerifyOptions {
  /** Verify this run folder only (no chain). @default - every run of the archive */
  only?: RunRef;
  /** Called after each run is checked, in order. @default - no progress */
  onProgress?: (done: number, total: number) => void;
  /**
   * Accept runs that were never signed and that no later run links to (a run cut off mid-way
   * stays in an Object Lock archive for its whole retention). They are still named.
   * @default false - they make the archive not intact
   */
  allowIncomplete?: boolean;
  /** Runs read at once (S3 round trips overlap). @default 8 */
  concurrency?: number;
}

/**
 * Verifies an archive (every run, then the chain, oldest first) or a single run folder.
 *
 * @example const result = await verifyArchive(new LocalFolderStore('archive'), key);
 */
export async function verifyArchive(
  store: ArchiveStore,
  key: KeyObject,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const runs = options.only ? [options.only] : await store.listRuns();
  const checks = await mapInOrder(
    runs,
    options.concurrency ?? 8,
    (run) => verifyRun(store, run, key),
    (done) => options.onProgress?.(done, runs.length),
  );
  const chain = options.only
    ? { problems: [], notes: [], incomplete: checks.filter((c) => !c.signed).map((c) => c.runId) }
    : verifyChain(checks);
  const empty = runs.length === 0 ? [`${store.location}: no runs found under reports/`] : [];
  const excused = new Set(options.allowIncomplete && !options.only ? chain.incomplete : []);
  return {
    ok:
      empty.length === 0 &&
      chain.problems.length === 0 &&
      checks.every((c) => c.problems.length === 0 || excused.has(c.runId)),
    runs: checks,
    chain: [...empty, ...chain.problems],
    notes: chain.notes,
    incomplete: chain.incomplete,
  };
}

/** Maps with at most `limit` calls in flight, keeping the input order; `onDone` counts finished items in order. */
async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  onDone: (done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const settled: boolean[] = new Array(items.length).fill(false);
  let next = 0;
  let reported = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
      settled[i] = true;
      while (reported < items.length && settled[reported]) onDone(++reported);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
