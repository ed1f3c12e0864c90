import { execFileSync } from 'node:child_process';
import { createHash, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateKeyCommand, GetPublicKeyCommand } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KmsSigner, kmsPublicKeyPem } from '../../functions/archive/kms-signer.ts';
import { parseS3Url, S3ArchiveStore, STALE_LOCK_MS } from '../../functions/archive/s3-store.ts';
import {
  ensureLocalKeyPair,
  LocalPemSigner,
  publicKeyFingerprint,
  sha256Hex,
} from '../../functions/archive/signer.ts';
import type { RunRef } from '../../functions/archive/store.ts';
import { loadPublicKey, verifyArchive } from '../../functions/archive/verify.ts';
import { PUBLIC_KEY_FILE, type WrittenRun, writeRun } from '../../functions/archive/write-run.ts';
import { demoInventory } from '../../functions/demo/estate.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { RunFailure, UsageError } from '../../functions/errors.ts';
import {
  createLockedBucket,
  createSigningKey,
  FAKE_CREDENTIALS,
  motoClients,
} from '../helpers/moto.ts';
import { tempDir } from '../helpers/tmp.ts';

const ACCOUNT = '100000000001';
const BUCKET = 'pci-posture-archive';
const DAY_MS = 86_400_000;
const RUN_FILES = [
  'SHA256SUMS',
  'SHA256SUMS.sig',
  'SHA256SUMS.sig.json',
  'findings.csv',
  'inventory.json',
  'report.html',
  'report.json',
];

const { s3, kms } = motoClients(ACCOUNT);
const evaluation = evaluate(demoInventory());
let signer: KmsSigner;
let signingKeyId: string;
let sseKeyId: string;
let publicKey: KeyObject;
let store: S3ArchiveStore;
let first: WrittenRun;
let second: WrittenRun;

/** A store on the test bucket, under `prefix`, encrypting with the test's SSE-KMS key. */
function storeAt(prefix: string, retention?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; days: number }) {
  return new S3ArchiveStore({
    client: s3,
    bucket: BUCKET,
    prefix,
    sseKmsKeyId: sseKeyId,
    retention,
  });
}

async function getBytes(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

function runKey(s: S3ArchiveStore, run: RunRef, name: string): string {
  return `${parseS3Url(s.location).prefix}${run.path}/${name}`;
}

beforeAll(async () => {
  await createLockedBucket(s3, BUCKET);
  signingKeyId = await createSigningKey(kms);
  sseKeyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  signer = await KmsSigner.create(kms, signingKeyId);
  publicKey = loadPublicKey('KMS', await kmsPublicKeyPem(kms, signingKeyId));
  store = storeAt('pci/prod');
  first = await writeRun({ store, signer, evaluation, now: new Date('2026-11-24T02:00:00Z') });
  second = await writeRun({ store, signer, evaluation, now: new Date('2026-11-25T02:00:00Z') });
});

describe('S3ArchiveStore on moto: a bucket with Object Lock, SSE-KMS and a KMS signer', () => {
  it('lists both runs, oldest first, with the seven files of a run', async () => {
    expect(store.location).toBe(`s3://${BUCKET}/pci/prod`);
    expect(await store.listRuns()).toEqual([first.run, second.run]);
    expect(await store.listRunFiles(first.run)).toEqual(RUN_FILES);
    expect(first.location).toBe(`s3://${BUCKET}/pci/prod/${first.run.path}`);
  });

  it('lists the files of a run it has not listed before', async () => {
    expect(await storeAt('pci/prod').listRunFiles(second.run)).toEqual(RUN_FILES);
  });

  it.each(RUN_FILES)(
    '%s is encrypted with the SSE-KMS key, has its SHA-256 checksum and the default lock',
    async (name) => {
      const key = runKey(store, first.run, name);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }),
      );
      const bytes = await getBytes(key);
      expect(head.ServerSideEncryption).toBe('aws:kms');
      expect(head.SSEKMSKeyId).toContain(sseKeyId);
      expect(head.ChecksumSHA256).toBe(createHash('sha256').update(bytes).digest('base64'));
      expect(head.ObjectLockMode).toBe('COMPLIANCE');
      const retainedFor = head.ObjectLockRetainUntilDate!.getTime() - head.LastModified!.getTime();
      expect(Math.abs(retainedFor - DAY_MS)).toBeLessThan(60_000);
    },
  );

  it('a locked version cannot be deleted', async () => {
    const key = runKey(store, first.run, 'report.json');
    const { VersionId } = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(JSON.parse((await getBytes(key)).toString()).runId).toBe(first.run.runId);
  });

  it('sets the configured per-object retention (GOVERNANCE, 30 days) on every run file', async () => {
    const governed = storeAt('pci/governed', { mode: 'GOVERNANCE', days: 30 });
    const before = Date.now();
    const { run } = await writeRun({ store: governed, signer, evaluation });
    for (const name of RUN_FILES) {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: runKey(governed, run, name) }),
      );
      expect(head.ObjectLockMode, name).toBe('GOVERNANCE');
      const until = head.ObjectLockRetainUntilDate!.getTime();
      expect(until, name).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 30 * DAY_MS);
      expect(until, name).toBeLessThan(Date.now() + 30 * DAY_MS + 1000);
    }
    const key = runKey(governed, run, 'SHA256SUMS');
    const { VersionId } = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key, VersionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it("links the second run to the first run's SHA256SUMS", async () => {
    const sums = await getBytes(runKey(store, first.run, 'SHA256SUMS'));
    expect(first.report.previous).toBeNull();
    expect(second.report.previous).toEqual({
      runId: first.run.runId,
      sha256sumsDigest: sha256Hex(sums),
    });
  });

  it('verifies the whole S3 archive with the KMS public key', async () => {
    const result = await verifyArchive(store, publicKey);
    expect(result.runs.map((r) => [r.runId, r.problems])).toEqual([
      [first.run.runId, []],
      [second.run.runId, []],
    ]);
    expect(result.chain).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('keeps the KMS public key at the archive root and never overwrites it', async () => {
    const rootKey = `pci/prod/${PUBLIC_KEY_FILE}`;
    const der = (await kms.send(new GetPublicKeyCommand({ KeyId: signingKeyId }))).PublicKey!;
    const pem = await getBytes(rootKey);
    expect(publicKeyFingerprint(pem.toString())).toBe(sha256Hex(Buffer.from(der)));
    await expect(store.writeRootFile(PUBLIC_KEY_FILE, 'not a key')).rejects.toThrow(
      new RunFailure(
        `could not write s3://${BUCKET}/pci/prod/${PUBLIC_KEY_FILE}: it already exists`,
      ),
    );
    expect(await getBytes(rootKey)).toEqual(pem);
  });

  it('records how SHA256SUMS was signed: the key ARN, algorithm, time and request id', async () => {
    const info = JSON.parse(
      (await getBytes(runKey(store, first.run, 'SHA256SUMS.sig.json'))).toString(),
    );
    expect(info).toEqual({
      keyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${signingKeyId}`,
      algorithm: 'ECDSA_SHA_256',
      signedAt: first.report.generatedAt,
      requestId: expect.stringMatching(/\S/),
    });
    expect(signer.keyId).toBe(info.keyId);
  });

  it('refuses to write a run into a run folder that already has objects', async () => {
    const before = await keysUnder(`pci/prod/${first.run.path}/`);
    await expect(store.writeRun(first.run, [['extra.txt', Buffer.from('x')]])).rejects.toThrow(
      new RunFailure(
        `run ${first.run.runId} already exists at ${first.location}; runs are never rewritten`,
      ),
    );
    expect(await keysUnder(`pci/prod/${first.run.path}/`)).toEqual(before);
  });

  it('catches a report.json replaced by a new version', async () => {
    const tampered = storeAt('pci/tampered');
    const { run } = await writeRun({ store: tampered, signer, evaluation });
    const key = runKey(tampered, run, 'report.json');
    const report = JSON.parse((await getBytes(key)).toString());
    report.complete = !report.complete;
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(report, null, 2) }),
    );
    const result = await verifyArchive(tampered, publicKey);
    expect(result.ok).toBe(false);
    expect(result.runs[0]!.problems).toEqual([
      'report.json: content changed: its SHA-256 does not match SHA256SUMS',
    ]);
  });
});

describe('a run downloaded from S3, checked offline with sha256sum and openssl', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir('s3-run'), first.run.runId);
    mkdirSync(dir);
    const prefix = `pci/prod/${first.run.path}/`;
    for (const key of await keysUnder(prefix)) {
      writeFileSync(join(dir, key.slice(prefix.length)), await getBytes(key));
    }
    writeFileSync(join(dir, '..', 'pub.pem'), await getBytes(`pci/prod/${PUBLIC_KEY_FILE}`));
  });

  it('sha256sum -c checks every listed file', () => {
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(out.trim().split('\n').sort()).toEqual(
      ['findings.csv', 'inventory.json', 'report.html', 'report.json'].map((f) => `${f}: OK`),
    );
  });

  it('openssl verifies the KMS signature with the archive public key', () => {
    const out = execFileSync(
      'openssl',
      ['dgst', '-sha256', '-verify', '../pub.pem', '-signature', 'SHA256SUMS.sig', 'SHA256SUMS'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('Verified OK');
  });

  it('openssl refuses SHA256SUMS with one byte flipped', () => {
    const sums = readFileSync(join(dir, 'SHA256SUMS'));
    sums[10]! ^= 0x01;
    writeFileSync(join(dir, 'SHA256SUMS.flipped'), sums);
    const args = ['dgst', '-sha256', '-verify', '../pub.pem', '-signature', 'SHA256SUMS.sig'];
    let failure: { status?: number; stdout?: string } = {};
    try {
      execFileSync('openssl', [...args, 'SHA256SUMS.flipped'], { cwd: dir, encoding: 'utf8' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stdout?.trim()).toBe('Verification failure');
  });
});

describe('the writer lock (<prefix>.lock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a second writer while held, and is free again once released', async () => {
    const locking = storeAt('pci/locking');
    const release = await locking.lock();
    expect(await keysUnder('pci/locking/.lock')).toEqual(['pci/locking/.lock']);
    await expect(storeAt('pci/locking').lock()).rejects.toThrow(
      /^s3:\/\/pci-posture-archive\/pci\/locking is being written by .+ pid \d+ \(lock .*\.lock taken /,
    );
    await expect(
      writeRun({ store: storeAt('pci/locking'), signer, evaluation }),
    ).rejects.toBeInstanceOf(RunFailure);
    await release();
    expect(await keysUnder('pci/locking/.lock')).toEqual([]);
    const again = await storeAt('pci/locking').lock();
    await again();
  });

  it('takes over a lock older than 15 minutes; the old holder then cannot release it', async () => {
    const stale = storeAt('pci/stale');
    const releaseDead = await stale.lock();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + STALE_LOCK_MS + 60_000);
    const releaseNew = await stale.lock();
    vi.useRealTimers();
    await expect(releaseDead()).rejects.toThrow(/another writer took it over as stale/);
    await expect(stale.lock()).rejects.toThrow(/is being written by/);
    await releaseNew();
    expect(await keysUnder('pci/stale/.lock')).toEqual([]);
  });
});

describe('faults moto cannot make (aws-sdk-client-mock)', () => {
  const offline = () => new S3Client({ region: 'eu-west-1', credentials: FAKE_CREDENTIALS });

  it('a PutObject failing on the third run file leaves those files without SHA256SUMS or signature', async () => {
    const client = offline();
    const mock = mockClient(client);
    const runPuts: string[] = [];
    mock.on(ListObjectsV2Command).resolves({});
    mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));
    mock.on(DeleteObjectCommand).resolves({});
    mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      if (input.Key!.includes('/reports/')) {
        runPuts.push(input.Key!.split('/').pop()!);
        if (runPuts.length === 3) {
          throw Object.assign(new Error('We encountered an internal error.'), {
            name: 'InternalError',
          });
        }
      }
      return { ETag: '"etag"' };
    });
    const keys = tempDir('s3-fault-key');
    ensureLocalKeyPair(join(keys, 'key.pem'), join(keys, 'pub.pem'));
    const faulty = new S3ArchiveStore({ client, bucket: BUCKET, prefix: 'pci' });
    const written = writeRun({
      store: faulty,
      signer: LocalPemSigner.fromFile(join(keys, 'key.pem')),
      evaluation,
    });
    await expect(written).rejects.toThrow(RunFailure);
    await expect(written).rejects.toThrow(
      /^could not write report\.html of run \d{4}-\d\d-\d\dT\d{6}Z-[0-9a-f]{4} to s3:\/\/pci-posture-archive\/pci\/reports\/\S+ \(InternalError: We encountered an internal error\.\); the run is incomplete/,
    );
    expect(runPuts).toEqual(['findings.csv', 'inventory.json', 'report.html']);
    const released = mock.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key);
    expect(released).toEqual(['pci/.lock']);
  });

  it('lists runs from every page of ListObjectsV2, then lists a run folder without asking again', async () => {
    const client = offline();
    const mock = mockClient(client);
    const a = 'reports/2026/11/24/2026-11-24T020000Z-0001';
    const b = 'reports/2026/11/25/2026-11-25T020000Z-0002';
    mock
      .on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: `p/${b}/report.json` }, { Key: 'p/reports/README' }],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      })
      .resolvesOnce({ Contents: [{ Key: `p/${a}/report.json` }, { Key: `p/${b}/SHA256SUMS` }] });
    const paged = new S3ArchiveStore({ client, bucket: BUCKET, prefix: 'p/' });
    const runs = await paged.listRuns();
    expect(runs).toEqual([
      { runId: '2026-11-24T020000Z-0001', path: a },
      { runId: '2026-11-25T020000Z-0002', path: b },
    ]);
    const calls = mock.commandCalls(ListObjectsV2Command);
    expect(calls.map((c) => c.args[0].input.Prefix)).toEqual(['p/reports/', 'p/reports/']);
    expect(calls[1]!.args[0].input.ContinuationToken).toBe('page-2');
    expect(await paged.listRunFiles(runs[1]!)).toEqual(['SHA256SUMS', 'report.json']);
    expect(mock.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('GetObject NoSuchKey reads as a missing file', async () => {
    const client = offline();
    mockClient(client)
      .on(GetObjectCommand)
      .rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));
    const missing = new S3ArchiveStore({ client, bucket: BUCKET }).readRootFile(PUBLIC_KEY_FILE);
    expect(await missing).toBeUndefined();
  });

  it('any other GetObject error is a RunFailure that keeps its cause', async () => {
    const client = offline();
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    mockClient(client).on(GetObjectCommand).rejects(denied);
    const read = new S3ArchiveStore({ client, bucket: BUCKET }).readRootFile(PUBLIC_KEY_FILE);
    await expect(read).rejects.toThrow(
      new RunFailure(`cannot read s3://${BUCKET}/${PUBLIC_KEY_FILE}: AccessDenied: Access Denied`),
    );
    await expect(read).rejects.toMatchObject({ cause: denied });
  });
});

describe('configuration', () => {
  it.each([
    ['s3://audit', { bucket: 'audit', prefix: '' }],
    ['s3://audit/', { bucket: 'audit', prefix: '' }],
    ['s3://audit/pci', { bucket: 'audit', prefix: 'pci/' }],
    ['s3://audit/pci/prod/', { bucket: 'audit', prefix: 'pci/prod/' }],
  ])('parseS3Url(%s)', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it.each([
    [
      'https://audit/pci',
      /"https:\/\/audit\/pci" is not an S3 archive URL: write it as s3:\/\/<bucket>/,
    ],
    ['s3:///pci', /is not an S3 archive URL/],
    ['s3://Audit_Bucket/pci', /S3 bucket name "Audit_Bucket" is not valid: use 3 to 63 lowercase/],
    ['s3://audit//pci', /S3 key prefix "\/pci" is not valid: it must not start with "\/"/],
    ['s3://audit/pci//prod', /S3 key prefix "pci\/\/prod" is not valid/],
  ])('parseS3Url(%s) is a usage error', (url, message) => {
    expect(() => parseS3Url(url)).toThrow(UsageError);
    expect(() => parseS3Url(url)).toThrow(message);
  });

  it('names the location without a trailing slash', () => {
    expect(new S3ArchiveStore({ client: s3, bucket: 'audit' }).location).toBe('s3://audit');
    expect(new S3ArchiveStore({ client: s3, bucket: 'audit', prefix: 'a/b/' }).location).toBe(
      's3://audit/a/b',
    );
  });

  it.each([
    [{ bucket: 'ab' }, /S3 bucket name "ab" is not valid/],
    [{ bucket: 'audit', prefix: '/pci' }, /S3 key prefix "\/pci" is not valid/],
    [{ bucket: 'audit', sseKmsKeyId: ' ' }, /sseKmsKeyId is empty: give a KMS key id/],
    [
      { bucket: 'audit', retention: { mode: 'LEGAL_HOLD', days: 1 } },
      /retention mode "LEGAL_HOLD" is not valid: use COMPLIANCE or GOVERNANCE/,
    ],
    [
      { bucket: 'audit', retention: { mode: 'COMPLIANCE', days: 0.5 } },
      /retention of 0.5 days is not valid: give a whole number of days from 1 to 36500/,
    ],
  ])('refuses props %j', (props, message) => {
    const make = () =>
      new S3ArchiveStore({ client: s3, ...props } as ConstructorParameters<
        typeof S3ArchiveStore
      >[0]);
    expect(make).toThrow(UsageError);
    expect(make).toThrow(message);
  });
});
