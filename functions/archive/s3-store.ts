/**
 * The archive in an S3 bucket, under a key prefix: `<prefix>signing-public-key.pem` and
 * `<prefix>reports/<YYYY>/<MM>/<DD>/<runId>/<file>`. Meant for a bucket with versioning and
 * Object Lock, so that written runs cannot be changed or removed before their retention ends.
 */

import { hostname } from 'node:os';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { errorText, RunFailure, UsageError } from '../errors.ts';
import { sha256Hex } from './signer.ts';
import type { ArchiveStore, FileBody, RunRef } from './store.ts';

/** A writer lock older than this is left by a writer that died, and may be taken over. */
export const STALE_LOCK_MS = 15 * 60_000;

const DAY_MS = 86_400_000;
/** `reports/YYYY/MM/DD/<runId>/<file>`; a file may itself contain `/` (then verify flags it). */
const RUN_KEY = /^(reports\/\d{4}\/\d{2}\/\d{2}\/[^/]+)\/(.+)$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface S3ArchiveStoreProps {
  /** The S3 client; its region and credentials are used as they are. */
  client: S3Client;
  /** The bucket (versioning and Object Lock enabled, for an archive that cannot be altered). */
  bucket: string;
  /**
   * Key prefix of the archive in the bucket; a missing trailing `/` is added.
   *
   * @default - '' (the bucket root)
   */
  prefix?: string;
  /**
   * KMS key (id, ARN or alias) that encrypts the objects (SSE-KMS).
   *
   * @default - the bucket's default SSE-KMS key, or the AWS managed key `aws/s3`
   */
  sseKmsKeyId?: string;
  /**
   * Object Lock retention set on every run file.
   *
   * @default - none set on the objects: the bucket's default retention applies
   */
  retention?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; days: number };
}

function checkBucket(bucket: string): void {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new UsageError(
      `S3 bucket name "${bucket}" is not valid: use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit`,
    );
  }
}

/** '' or the prefix ending in '/'. */
function normalisePrefix(prefix: string): string {
  if (prefix === '') return '';
  const normalised = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (normalised.startsWith('/') || normalised.includes('//')) {
    throw new UsageError(
      `S3 key prefix "${prefix}" is not valid: it must not start with "/" or contain "//" (for example "pci-posture/prod/")`,
    );
  }
  return normalised;
}

/**
 * Splits `s3://bucket/prefix` into the bucket and a prefix that is '' or ends in '/'.
 *
 * @example parseS3Url('s3://audit-archive/pci-posture') // { bucket: 'audit-archive', prefix: 'pci-posture/' }
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url);
  if (!m?.[1]) {
    throw new UsageError(
      `"${url}" is not an S3 archive URL: write it as s3://<bucket> or s3://<bucket>/<prefix>`,
    );
  }
  checkBucket(m[1]);
  return { bucket: m[1], prefix: normalisePrefix(m[2] ?? '') };
}

/** Write only if nothing is at the key, or only over the version with this ETag. */
type PutCondition = { IfNoneMatch: '*' } | { IfMatch: string };
const NEW_ONLY: PutCondition = { IfNoneMatch: '*' };

function lockHolder(lockBody: string): string {
  try {
    const { holder } = JSON.parse(lockBody) as { holder?: unknown };
    return typeof holder === 'string' ? holder : 'another writer';
  } catch {
    return 'another writer';
  }
}

function isPreconditionFailure(cause: unknown): boolean {
  const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (cause as Error).name === 'PreconditionFailed' || status === 412 || status === 409;
}

function base64Sha256(data: Buffer): string {
  return Buffer.from(sha256Hex(data), 'hex').toString('base64');
}

/**
 * An archive in S3. Every object is written with SSE-KMS and a SHA-256 checksum that S3 checks
 * against the bytes it receives, and only if nothing is at its key yet (`If-None-Match: *`). A
 * run is written file by file, `SHA256SUMS` and its signature last: a run cut off mid-way stays
 * (Object Lock may forbid removing it) but has no signature, so it is visibly incomplete.
 *
 * @example
 * const store = new S3ArchiveStore({ client: new S3Client({}), ...parseS3Url('s3://audit-archive/pci/') });
 */
export class S3ArchiveStore implements ArchiveStore {
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #sseKmsKeyId: string | undefined;
  readonly #retention: S3ArchiveStoreProps['retention'];
  /** The file names of each run folder (by path) seen by the last `listRuns`. */
  readonly #runFiles = new Map<string, string[]>();

  constructor(props: S3ArchiveStoreProps) {
    checkBucket(props.bucket);
    const { retention, sseKmsKeyId } = props;
    if (retention) {
      if (retention.mode !== 'COMPLIANCE' && retention.mode !== 'GOVERNANCE') {
        throw new UsageError(
          `Object Lock retention mode "${retention.mode}" is not valid: use COMPLIANCE or GOVERNANCE`,
        );
      }
      if (!Number.isInteger(retention.days) || retention.days < 1 || retention.days > 36_500) {
        throw new UsageError(
          `Object Lock retention of ${retention.days} days is not valid: give a whole number of days from 1 to 36500`,
        );
      }
    }
    if (sseKmsKeyId !== undefined && sseKmsKeyId.trim() === '') {
      throw new UsageError(
        'sseKmsKeyId is empty: give a KMS key id, ARN or alias, or leave it out to use the bucket default',
      );
    }
    this.#client = props.client;
    this.#bucket = props.bucket;
    this.#prefix = normalisePrefix(props.prefix ?? '');
    this.#sseKmsKeyId = sseKmsKeyId;
    this.#retention = retention;
    this.location = `s3://${this.#bucket}${this.#prefix ? `/${this.#prefix.slice(0, -1)}` : ''}`;
  }

  async listRuns(): Promise<RunRef[]> {
    this.#runFiles.clear();
    for (const key of await this.#list('reports/')) {
      const m = RUN_KEY.exec(key);
      if (!m) continue;
      const path = m[1]!;
      const file = m[2]!;
      this.#runFiles.set(path, [...(this.#runFiles.get(path) ?? []), file]);
    }
    return [...this.#runFiles.keys()]
      .map((path) => ({ runId: path.slice(path.lastIndexOf('/') + 1), path }))
      .sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }

  async listRunFiles(run: RunRef): Promise<string[]> {
    const files =
      this.#runFiles.get(run.path) ??
      (await this.#list(`${run.path}/`)).map((key) => key.slice(run.path.length + 1));
    return [...files].sort();
  }

  async readRunFile(run: RunRef, name: string): Promise<Buffer | undefined> {
    return this.#get(`${run.path}/${name}`);
  }

  async readRootFile(name: string): Promise<Buffer | undefined> {
    return this.#get(name);
  }

  /** Writes a file at the archive root; an existing one is never overwritten. */
  async writeRootFile(name: string, data: Buffer | string): Promise<void> {
    try {
      await this.#client.send(new PutObjectCommand(this.#putInput(name, Buffer.from(data))));
    } catch (cause) {
      const why = isPreconditionFailure(cause) ? 'it already exists' : errorText(cause);
      throw new RunFailure(`could not write ${this.location}/${name}: ${why}`, { cause });
    }
  }

  async writeRun(run: RunRef, files: ReadonlyArray<readonly [string, FileBody]>): Promise<void> {
    const folder = `${this.location}/${run.path}`;
    const existing = await this.#send(`list ${run.path}/`, () =>
      this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: `${this.#prefix}${run.path}/`,
          MaxKeys: 1,
        }),
      ),
    );
    if (existing.Contents?.length) {
      throw new RunFailure(
        `run ${run.runId} already exists at ${folder}; runs are never rewritten`,
      );
    }
    this.#runFiles.delete(run.path);
    const retention = this.#retention && {
      ObjectLockMode: this.#retention.mode,
      ObjectLockRetainUntilDate: new Date(Date.now() + this.#retention.days * DAY_MS),
    };
    for (const [name, body] of files) {
      const data = Buffer.isBuffer(body) ? body : Buffer.concat(body);
      try {
        await this.#client.send(
          new PutObjectCommand({ ...this.#putInput(`${run.path}/${name}`, data), ...retention }),
        );
      } catch (cause) {
        const why = isPreconditionFailure(cause) ? 'it already exists' : errorText(cause);
        throw new RunFailure(
          `could not write ${name} of run ${run.runId} to ${folder} (${why}); the run is incomplete: the files written before it stay, without SHA256SUMS and its signature`,
          { cause },
        );
      }
    }
  }

  /**
   * Best-effort writer lock: S3 has no locks, so this is `<prefix>.lock`, created only if absent
   * (`If-None-Match: *`) and removed only if still ours (`If-Match: <its ETag>`). A lock older
   * than {@link STALE_LOCK_MS} was left by a writer that died; it is taken over with
   * `If-Match` on its ETag, so two writers cannot both take it over. In a bucket with a default
   * retention, every lock version (a few bytes) is kept until that retention ends.
   */
  async lock(): Promise<() => Promise<void>> {
    const key = `${this.#prefix}.lock`;
    const where = `${this.location}/.lock`;
    const holder = `${hostname()} pid ${process.pid}`;
    const body = Buffer.from(`${JSON.stringify({ holder, since: new Date().toISOString() })}\n`);
    const put = async (condition: PutCondition) => {
      try {
        const out = await this.#client.send(
          new PutObjectCommand(this.#putInput('.lock', body, condition)),
        );
        return out.ETag ?? '';
      } catch (cause) {
        if (isPreconditionFailure(cause)) return undefined;
        throw new RunFailure(`cannot take the writer lock ${where}: ${errorText(cause)}`, {
          cause,
        });
      }
    };
    let etag = await put(NEW_ONLY);
    if (etag === undefined) {
      const held = await this.#getObject('.lock');
      if (held && Date.now() - (held.LastModified?.getTime() ?? 0) < STALE_LOCK_MS) {
        const text = Buffer.from((await held.Body?.transformToByteArray()) ?? []).toString();
        throw new RunFailure(
          `${this.location} is being written by ${lockHolder(text)} (lock ${where} taken ${held.LastModified?.toISOString()}); try again when it has finished. A lock older than 15 minutes is taken over.`,
        );
      }
      // Stale (its writer died), or released in the meantime.
      etag = await put(held?.ETag ? { IfMatch: held.ETag } : NEW_ONLY);
      if (etag === undefined) {
        throw new RunFailure(`another writer took the lock ${where} at the same moment; try again`);
      }
    }
    return async () => {
      try {
        await this.#client.send(
          new DeleteObjectCommand({ Bucket: this.#bucket, Key: key, IfMatch: etag }),
        );
      } catch (cause) {
        const why = isPreconditionFailure(cause)
          ? 'another writer took it over as stale while this one held it; run verify to check the chain'
          : errorText(cause);
        throw new RunFailure(`could not release the writer lock ${where}: ${why}`, { cause });
      }
    };
  }

  /** PutObject of new bytes: SSE-KMS, a SHA-256 checksum S3 checks, and only if `condition` holds. */
  #putInput(key: string, data: Buffer, condition: PutCondition = NEW_ONLY): PutObjectCommandInput {
    return {
      Bucket: this.#bucket,
      Key: this.#prefix + key,
      Body: data,
      ...condition,
      ServerSideEncryption: 'aws:kms',
      ...(this.#sseKmsKeyId ? { SSEKMSKeyId: this.#sseKmsKeyId } : {}),
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: base64Sha256(data),
    };
  }

  /** Keys under `<prefix><under>`, relative to the prefix, every page. */
  async #list(under: string): Promise<string[]> {
    const keys: string[] = [];
    await this.#send(`list ${under}`, async () => {
      const pages = paginateListObjectsV2(
        { client: this.#client },
        { Bucket: this.#bucket, Prefix: this.#prefix + under },
      );
      for await (const page of pages) {
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.#prefix.length));
      }
    });
    return keys;
  }

  async #get(key: string): Promise<Buffer | undefined> {
    const out = await this.#getObject(key);
    if (!out) return undefined;
    return this.#send(`read ${key}`, async () =>
      Buffer.from((await out.Body?.transformToByteArray()) ?? []),
    );
  }

  /** GetObject, or `undefined` when there is no such key. */
  async #getObject(key: string) {
    try {
      return await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
      );
    } catch (cause) {
      if ((cause as Error).name === 'NoSuchKey') return undefined;
      throw new RunFailure(`cannot read ${this.location}/${key}: ${errorText(cause)}`, { cause });
    }
  }

  async #send<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      throw new RunFailure(`${this.location}: cannot ${what}: ${errorText(cause)}`, { cause });
    }
  }
}
