/**
 * Writes one signed run into an archive: the report in three forms, the redacted inventory,
 * `SHA256SUMS` over them and its signature, linked to the newest run already there.
 */
import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { ALL_CHECKS } from '../../checks/registry.ts';
import { computeChanges } from '../engine/drift.ts';
import type { Evaluation } from '../engine/evaluate.ts';
import { RunFailure, UsageError } from '../errors.ts';
import { writeInventoryJson } from '../inventory/write.ts';
import { writeFindingsCsv } from '../report/csv.ts';
import { writeHtml } from '../report/html.ts';
import {
  type AssessmentScope,
  buildReport,
  type Changes,
  type ChangesUnavailable,
  type Report,
  type TrendPoint,
  writeReportJson,
} from '../report/report.ts';
import { BufferSink, type TextSink } from '../report/sink.ts';
import { readPreviousRun } from './previous-run.ts';
import { publicKeyFingerprint, type Signer, sha256Hex, signatureVerifies } from './signer.ts';
import {
  type ArchiveStore,
  type FileBody,
  PUBLIC_KEY_FILE,
  type RunRef,
  runFolderProblem,
  runPath,
} from './store.ts';
import { sha256sums } from './sums.ts';

export { PUBLIC_KEY_FILE } from './store.ts';

const CHECK_INFO = ALL_CHECKS.map((c) => c.meta);

const TIME_PART_LENGTH = 'YYYY-MM-DDTHHMMSSZ'.length;

/** The run ids are the write time `YYYY-MM-DDTHHMMSSZ` plus a short random hex suffix. */
function timePart(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '');
}

/**
 * A runId for a run written at `date` that sorts after `newest` when that run was written in the
 * same second (runIds sort in time order). It always carries `date`'s own time, so the run is
 * filed under its own date.
 *
 * @example makeRunId(new Date('2026-11-26T02:03:11Z')) // '2026-11-26T020311Z-7f3a'
 */
export function makeRunId(
  date: Date,
  newest?: string,
  random = randomBytes(2).toString('hex'),
): string {
  let id = `${timePart(date)}-${random}`;
  // One more hex digit after the newest id sorts right after it (an incremented suffix would
  // not: 'fffff' + 1 = '100000' sorts before '2368').
  if (newest?.startsWith(`${timePart(date)}-`) && id <= newest) id = `${newest}0`;
  return id;
}

/**
 * The chain head: the newest run whose `SHA256SUMS` signature verifies with the archive key,
 * with that `SHA256SUMS`. Newer runs that are not (cut off before their signature, or not
 * signed with this key) are skipped, and named in `skipped`: the new run links past them.
 *
 * @example const { head, skipped } = await chainHeadRun(store, runs, archiveKey);
 */
export async function chainHeadRun(
  store: ArchiveStore,
  runs: readonly RunRef[],
  key: KeyObject,
): Promise<{ head: { run: RunRef; sums: Buffer } | null; skipped: string[] }> {
  const skipped: string[] = [];
  for (const run of [...runs].reverse()) {
    const files = await store.listRunFiles(run);
    if (!files.includes('SHA256SUMS.sig')) {
      skipped.push(`${run.runId} (never signed: cut off mid-way, or planted)`);
      continue;
    }
    const sums = await store.readRunFile(run, 'SHA256SUMS');
    const sig = await store.readRunFile(run, 'SHA256SUMS.sig');
    if (sums && sig && signatureVerifies(sums, sig, key)) return { head: { run, sums }, skipped };
    skipped.push(`${run.runId} (its signature does not verify with the archive key)`);
  }
  return { head: null, skipped };
}

/**
 * Refuses a signer whose public key is not the archive's (a usage error, exit 2), without writing
 * anything: a scan checks this before it spends its time collecting. True when the archive
 * already has a key.
 *
 * @example await checkSignerFitsArchive(store, signer); // throws UsageError on a mismatch
 */
export async function checkSignerFitsArchive(
  store: ArchiveStore,
  signer: Signer,
): Promise<boolean> {
  const mine = await signer.publicKeyPem();
  const existing = await store.readRootFile(PUBLIC_KEY_FILE);
  if (!existing) return false;
  let theirs: string;
  try {
    theirs = publicKeyFingerprint(createPublicKey(existing));
  } catch (cause) {
    throw new RunFailure(`${store.location}/${PUBLIC_KEY_FILE} is not a PEM public key`, { cause });
  }
  if (theirs !== publicKeyFingerprint(mine)) {
    throw new UsageError(
      `the signing key does not match the archive: ${store.location}/${PUBLIC_KEY_FILE} has fingerprint sha256:${theirs}, the signer's key has sha256:${publicKeyFingerprint(mine)}. Use the archive's key, or write to a new archive.`,
    );
  }
  return true;
}

/** Refuses a signer whose public key is not the archive's; records it for a new archive. */
async function checkArchiveKey(store: ArchiveStore, signer: Signer): Promise<void> {
  if (await checkSignerFitsArchive(store, signer)) return;
  await store.writeRootFile(PUBLIC_KEY_FILE, await signer.publicKeyPem());
}

/** Drift since the chain head and the trend so far, from the head's verified artifacts. */
async function previousHistory(
  store: ArchiveStore,
  head: { run: RunRef; sums: Buffer },
  evaluation: Evaluation,
): Promise<{ changes: Changes | ChangesUnavailable; trend: TrendPoint[] }> {
  const since = head.run.runId;
  const previous = await readPreviousRun(store, head.run, head.sums);
  if (!previous.state) {
    return { changes: { since, unavailable: previous.unavailable }, trend: previous.trend };
  }
  const now = {
    findings: evaluation.findings,
    errors: evaluation.errors,
    resources: evaluation.inventory.resources,
  };
  return { changes: computeChanges(since, previous.state, now), trend: previous.trend };
}

export interface WriteRunInput {
  store: ArchiveStore;
  signer: Signer;
  /** The evaluation to archive, with the (redacted) inventory it was made from. */
  evaluation: Evaluation;
  /** The time the run is written. @default - now */
  now?: Date;
  /** The assessment the run belongs to, recorded in the report. @default - none: a full run */
  assessment?: AssessmentScope;
}

export interface WrittenRun {
  run: RunRef;
  report: Report;
  /** `<archive>/<run path>`, for printing. */
  location: string;
  /** Things the writer should be told that do not undo the run (a lock that could not be released). */
  warnings: string[];
}

/**
 * Writes a signed run folder and links it to the archive's chain head.
 *
 * @example
 * const { location } = await writeRun({ store, signer, evaluation: evaluate(inventory) });
 */
export async function writeRun(input: WriteRunInput): Promise<WrittenRun> {
  // One writer at a time: two runs read the same chain head would fork the chain.
  const release = await input.store.lock();
  let written: WrittenRun;
  try {
    written = await writeLockedRun(input);
  } catch (err) {
    // The write's own error is the one to report; a lock that cannot be released is secondary.
    await release().catch(() => {});
    throw err;
  }
  try {
    await release();
  } catch (cause) {
    // The run is written and signed: reporting a failure would hide it. Say what went wrong.
    written.warnings.push(`the run was written, but ${(cause as Error).message}`);
  }
  return written;
}

async function writeLockedRun(input: WriteRunInput): Promise<WrittenRun> {
  const { store, signer, evaluation } = input;
  const inventory = evaluation.inventory;
  const now = input.now ?? new Date();
  await checkArchiveKey(store, signer);
  // Only proper run folders count; `verify` names anything else found at run depth.
  const runs = (await store.listRuns()).filter((r) => !runFolderProblem(r));
  const archiveKey = createPublicKey(await signer.publicKeyPem());
  const { head, skipped } = await chainHeadRun(store, runs, archiveKey);
  if (head && head.run.runId.slice(0, TIME_PART_LENGTH) > timePart(now)) {
    throw new RunFailure(
      `the archive's newest run ${head.run.runId} is dated after this run's time ${timePart(now)}: check this machine's clock (runIds must sort in time order)`,
    );
  }
  const runId = makeRunId(now, runs.at(-1)?.runId);
  const run: RunRef = { runId, path: runPath(runId, now) };
  const history = head ? await previousHistory(store, head, evaluation) : undefined;
  const report = buildReport(evaluation, {
    runId,
    generatedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    collectedAt: inventory.collectedAt,
    previous: head && { runId: head.run.runId, sha256sumsDigest: sha256Hex(head.sums) },
    changes: history?.changes ?? null,
    trendBefore: history?.trend ?? [],
    signing: { keyId: signer.keyId, publicKeySha256: publicKeyFingerprint(archiveKey) },
    ...(input.assessment ? { assessment: input.assessment } : {}),
  });
  const artifacts: Array<[string, (sink: TextSink) => void]> = [
    ['findings.csv', (sink) => writeFindingsCsv(report.findings, sink)],
    ['inventory.json', (sink) => writeInventoryJson(inventory, sink)],
    ['report.html', (sink) => writeHtml(report, CHECK_INFO, sink)],
    ['report.json', (sink) => writeReportJson(report, sink)],
  ];
  const files: Array<readonly [string, FileBody]> = [];
  const digests: Array<[string, string]> = [];
  for (const [name, render] of artifacts) {
    const sink = new BufferSink();
    render(sink);
    const { parts, sha256 } = sink.finish();
    files.push([name, parts]);
    digests.push([name, sha256]);
  }
  const sums = Buffer.from(sha256sums(digests));
  let signed: Awaited<ReturnType<Signer['sign']>>;
  try {
    signed = await signer.sign(sums, report.generatedAt);
  } catch (cause) {
    throw new RunFailure(`signing failed: ${(cause as Error).message}`, { cause });
  }
  await store.writeRun(run, [
    ...files,
    ['SHA256SUMS', sums],
    ['SHA256SUMS.sig', signed.signature],
    ['SHA256SUMS.sig.json', Buffer.from(`${JSON.stringify(signed.info, null, 2)}\n`)],
  ]);
  const warnings = skipped.map(
    (s) =>
      `not linked to the newer run ${s}; this run links to ${head?.run.runId ?? 'no earlier run'}. Run \`pci-posture verify\` on the archive.`,
  );
  return { run, report, location: `${store.location}/${run.path}`, warnings };
}
