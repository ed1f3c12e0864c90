/**
 * Verification of run folders and whole archives: every artifact's digest, the signature over
 * `SHA256SUMS`, no unlisted files, and the hash chain between consecutive runs (oldest first).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { sha256Hex, signatureVerifies } from './signer.ts';
import {
  type ArchiveStore,
  LocalFolderStore,
  PUBLIC_KEY_FILE,
  type RunRef,
  runFolderProblem,
} from './store.ts';
import { parseSha256sums, SIGNATURE_FILES } from './sums.ts';

/**
 * A run's signature: `valid` (verifies with the key), `invalid` (does not, or signature files
 * were removed after signing), `missing` (the run never got as far as its signature).
 */
export type SignatureState = 'valid' | 'invalid' | 'missing';

/** What was found in one run. */
export interface RunCheck {
  runId: string;
  location: string;
  /** Each problem names the file (or `folder`) it is about. Empty when the run is intact. */
  problems: string[];
  /** `report.json.previous`, when it could be read. */
  previous?: { runId: string; sha256sumsDigest: string } | null;
  sumsDigest?: string;
  signature: SignatureState;
  /** Not a run id filed under its own date: never an excusable incomplete run. */
  misplaced: boolean;
}

export interface VerifyResult {
  ok: boolean;
  /** An archive (every run and the chain) or one run folder. */
  mode: 'archive' | 'run';
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
 * Checks one run folder: its place, the signature, every digest, unlisted or missing files.
 *
 * @example const check = await verifyRun(store, run, key);
 */
export async function verifyRun(
  store: ArchiveStore,
  run: RunRef,
  key: KeyObject,
): Promise<RunCheck> {
  const location = `${store.location}/${run.path}`;
  const placement = runFolderProblem(run);
  const result: RunCheck = {
    runId: run.runId,
    location,
    problems: [],
    signature: 'missing',
    misplaced: placement !== undefined,
  };
  const problem = (file: string, what: string) => result.problems.push(`${file}: ${what}`);
  if (placement) problem('folder', placement);
  const files = new Set(await store.listRunFiles(run));
  const read = (name: string) => (files.has(name) ? store.readRunFile(run, name) : undefined);
  // Writers put SHA256SUMS, then SHA256SUMS.sig, then SHA256SUMS.sig.json: a later file without
  // an earlier one was removed after the run was signed.
  const sums = await read('SHA256SUMS');
  if (!sums) {
    if (files.has('SHA256SUMS.sig') || files.has('SHA256SUMS.sig.json')) {
      result.signature = 'invalid';
      problem('SHA256SUMS', 'missing, though the run was signed: removed after it was written');
    } else problem('SHA256SUMS', 'missing: the run was never completed (not signed)');
    return result;
  }
  result.sumsDigest = sha256Hex(sums);
  const sig = await read('SHA256SUMS.sig');
  if (!sig) {
    if (files.has('SHA256SUMS.sig.json')) {
      result.signature = 'invalid';
      problem('SHA256SUMS.sig', 'missing, though SHA256SUMS.sig.json shows the run was signed');
    } else
      problem('SHA256SUMS.sig', 'missing: the run is not signed (cut off before its signature)');
  } else if (signatureVerifies(sums, sig, key)) result.signature = 'valid';
  else {
    result.signature = 'invalid';
    problem('SHA256SUMS.sig', 'signature does not verify with the given public key');
  }
  const parsed = parseSha256sums(sums.toString('utf8'));
  if ('problem' in parsed) {
    problem('SHA256SUMS', parsed.problem);
    return result;
  }
  const listed = new Set(parsed.entries.map(([n]) => n));
  let report: Buffer | undefined;
  for (const [name, digest] of parsed.entries) {
    const data = await read(name);
    if (!data) problem(name, 'listed in SHA256SUMS but missing');
    else if (sha256Hex(data) !== digest)
      problem(name, 'content changed: its SHA-256 does not match SHA256SUMS');
    if (name === 'report.json') report = data;
  }
  for (const name of files) {
    if (!listed.has(name) && !SIGNATURE_FILES.includes(name)) {
      problem(name, 'not listed in SHA256SUMS');
    }
  }
  if (!report) {
    if (!listed.has('report.json')) problem('report.json', 'missing');
    return result;
  }
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
  return result;
}

/** A proper run folder that never got as far as its signature: incomplete, unless a run names it. */
const neverSigned = (r: RunCheck): boolean => r.signature === 'missing' && !r.misplaced;

/**
 * Checks the links between runs sorted oldest first. The chain is made of the validly signed
 * runs and every run a later run names; a run's predecessor must be the chain run just before
 * it, with the digest of its `SHA256SUMS`. Runs never signed that no run names were cut off
 * (writers link past them): they are returned as `incomplete`. The oldest run may name a
 * predecessor that is no longer in the archive: that is a note, not a failure.
 *
 * @example const { problems, notes, incomplete } = verifyChain(runChecks);
 */
export function verifyChain(all: readonly RunCheck[]): {
  problems: string[];
  notes: string[];
  incomplete: string[];
} {
  const problems: string[] = [];
  const notes: string[] = [];
  const named = new Map<string, string>();
  for (const r of all)
    if (r.previous && !named.has(r.previous.runId)) named.set(r.previous.runId, r.runId);
  const incomplete = all.filter((r) => neverSigned(r) && !named.has(r.runId)).map((r) => r.runId);
  for (const r of all) {
    const by = named.get(r.runId);
    if (by && r.signature !== 'valid') {
      problems.push(
        `${r.runId}: ${by} names it as its previous run, but its signature ${r.signature === 'missing' ? 'is missing' : 'does not verify'} now (changed after ${by} was written)`,
      );
    }
  }
  // Runs with a bad signature that nothing names are already failed on their own.
  const runs = all.filter((r) => r.signature === 'valid' || named.has(r.runId));
  const ids = new Set(runs.map((r) => r.runId));
  const namedBy = new Map<string, string[]>();
  runs.forEach((run, i) => {
    const prev = run.previous;
    if (prev === undefined) return; // report.json unreadable: already a problem of that run
    if (prev) namedBy.set(prev.runId, [...(namedBy.get(prev.runId) ?? []), run.runId]);
    if (prev && prev.runId >= run.runId) {
      problems.push(`${run.runId}: names previous run ${prev.runId}, which is not older than it`);
      return;
    }
    if (i === 0) {
      if (prev === null) notes.push(`chain starts at ${run.runId} (the archive's first run)`);
      else {
        notes.push(
          `chain starts at ${run.runId}; its predecessor ${prev.runId} is not in this archive (removed when its retention ended, or this is a partial copy)`,
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
 * Where a PATH points: a whole archive, or one run folder inside one (`reports/YYYY/MM/DD/<runId>`
 * below the archive root).
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
    // <archive>/reports/YYYY/MM/DD/<runId>: the archive root is five levels up (a folder
    // anywhere else is named by verifyRun as not filed where a run belongs).
    const root = dirname(dirname(dirname(dirname(dirname(path)))));
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
  if (runs.length === 0 && !(await store.readRootFile(PUBLIC_KEY_FILE))) {
    throw new UsageError(
      `${store.location}: not an archive: no runs under reports/ and no ${PUBLIC_KEY_FILE} (check the path or prefix)`,
    );
  }
  const checks = await mapInOrder(
    runs,
    options.concurrency ?? 8,
    (run) => verifyRun(store, run, key),
    (done) => options.onProgress?.(done, runs.length),
  );
  const chain = options.only
    ? {
        problems: [],
        notes: [],
        incomplete: checks.filter(neverSigned).map((c) => c.runId),
      }
    : verifyChain(checks);
  const empty = runs.length === 0 ? [`${store.location}: no runs found under reports/`] : [];
  const excused = new Set(options.allowIncomplete && !options.only ? chain.incomplete : []);
  return {
    mode: options.only ? 'run' : 'archive',
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
