/**
 * Opens what a command line names as an archive: a local folder or an `s3://bucket/prefix`, and
 * for `verify` also one run folder inside either (`.../reports/YYYY/MM/DD/<runId>`).
 */
import { resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../errors.ts';
import type { S3ArchiveStoreProps } from './s3-store.ts';
import { type ArchiveStore, LocalFolderStore, type RunRef } from './store.ts';
import { resolvePath } from './verify.ts';

/** The clients an S3 archive is read and written with; made on first use. */
export interface ArchiveClients {
  s3: () => S3Client | Promise<S3Client>;
}

/** The S3 store and the AWS SDK behind it load only for `s3://` locations (local runs skip ~0.1 s). */
const s3Store = () => import('./s3-store.ts');

/** S3 write settings (SSE-KMS key, per-object retention); ignored for local folders. */
export type S3WriteOptions = Pick<S3ArchiveStoreProps, 'sseKmsKeyId' | 'retention'>;

/**
 * True for `s3://` locations.
 *
 * @example isS3('s3://reports-bucket/pci') // true
 */
export function isS3(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

/**
 * A location as given, checked and normalised: `s3://bucket/prefix` (no trailing slash) or an
 * absolute folder path. A malformed S3 URL is a usage error.
 *
 * @example await archiveLocation('s3://bucket/pci/') // 's3://bucket/pci'
 */
export async function archiveLocation(location: string): Promise<string> {
  if (!isS3(location)) return resolve(location);
  const { bucket, prefix } = (await s3Store()).parseS3Url(location);
  return `s3://${bucket}/${prefix}`.replace(/\/+$/, '');
}

/**
 * The archive to write a run into.
 *
 * @example const store = await openArchive('s3://bucket/pci', { s3: () => new S3Client({}) });
 */
export async function openArchive(
  location: string,
  clients: ArchiveClients,
  s3Options: S3WriteOptions = {},
): Promise<ArchiveStore> {
  if (!isS3(location)) return new LocalFolderStore(resolve(location));
  const { parseS3Url, S3ArchiveStore } = await s3Store();
  const { bucket, prefix } = parseS3Url(location);
  return new S3ArchiveStore({ client: await clients.s3(), bucket, prefix, ...s3Options });
}

const RUN_FOLDER = /^(.*?)reports\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)\/?$/;

/**
 * What `verify PATH` checks: a whole archive, or one run folder inside one.
 *
 * @example const { store, only } = await openForVerify('s3://bucket/pci/reports/2026/11/26/2026-11-26T020311Z-7f3a', clients);
 */
export async function openForVerify(
  location: string,
  clients: ArchiveClients,
): Promise<{ store: ArchiveStore; only?: RunRef }> {
  if (!isS3(location)) return resolvePath(resolve(location));
  const { parseS3Url, S3ArchiveStore } = await s3Store();
  const { bucket, prefix } = parseS3Url(location);
  const m = RUN_FOLDER.exec(prefix);
  if (!m) return { store: new S3ArchiveStore({ client: await clients.s3(), bucket, prefix }) };
  const [, root, y, mo, d, runId] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (root !== '' && !root.endsWith('/')) {
    throw new UsageError(
      `${location}: a run folder must sit at <archive>/reports/YYYY/MM/DD/<runId>`,
    );
  }
  return {
    store: new S3ArchiveStore({ client: await clients.s3(), bucket, prefix: root }),
    only: { runId, path: `reports/${y}/${mo}/${d}/${runId}` },
  };
}
