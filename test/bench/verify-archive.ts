/**
 * The archive the `verify` benchmark reads: 400 nightly runs (more than a year) of an estate of
 * about 1,000 findings, written once with the real `writeRun` and a local key.
 */
import { join } from 'node:path';
import { ensureLocalKeyPair, LocalPemSigner } from '../../functions/archive/signer.ts';
import { LocalFolderStore } from '../../functions/archive/store.ts';
import { writeRun } from '../../functions/archive/write-run.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { type EstateSize, syntheticEstate } from './synthetic-estate.ts';

/** About 1,000 findings. */
export const VERIFY_ESTATE: EstateSize = {
  clusters: 2,
  namespacesPerCluster: 3,
  deploymentsPerNamespace: 3,
  podsPerDeployment: 1,
};

const NIGHT = 86_400_000;

/**
 * Writes `runs` nightly runs into `dir` and returns the public key's path and the findings per run.
 *
 * @example const { publicKey } = await buildVerifyArchive('/tmp/archive', 400);
 */
export async function buildVerifyArchive(
  dir: string,
  runs: number,
  onProgress: (done: number) => void = () => {},
): Promise<{ publicKey: string; findings: number }> {
  const privateKey = join(dir, '.keys', 'signing-key.pem');
  const publicKey = join(dir, 'signing-public-key.pem');
  ensureLocalKeyPair(privateKey, publicKey);
  const signer = LocalPemSigner.fromFile(privateKey);
  const evaluation = evaluate(syntheticEstate(VERIFY_ESTATE));
  const store = new LocalFolderStore(dir);
  const start = Date.parse('2025-10-22T02:00:00Z');
  for (let i = 0; i < runs; i++) {
    await writeRun({ store, signer, evaluation, now: new Date(start + i * NIGHT) });
    onProgress(i + 1);
  }
  return { publicKey, findings: evaluation.findings.length };
}
