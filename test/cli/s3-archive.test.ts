/**
 * The command line on an S3 archive in moto: `evaluate --out s3://... --kms-key-id` writes signed,
 * chained runs; `verify s3://...` passes, then names a tampered object, a cut-off run and a run
 * folder given directly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoInventory } from '../../functions/demo/estate.ts';
import { runCli } from '../helpers/cli.ts';
import { createLockedBucket, createSigningKey, motoClients } from '../helpers/moto.ts';
import { tempDir } from '../helpers/tmp.ts';

const BUCKET = 'cli-archive';
const { s3, kms } = motoClients('100000000002');
const dir = tempDir('cli-s3');
const inventoryFile = join(dir, 'inventory.json');
let keyId: string;

const run = (...argv: string[]) => runCli(argv, { s3: () => s3, kms: () => kms });

async function evaluateInto(prefix: string, warning = '') {
  const r = await run(
    'evaluate',
    '--inventory',
    inventoryFile,
    '--out',
    `s3://${BUCKET}/${prefix}`,
    '--kms-key-id',
    keyId,
    '--quiet',
  );
  expect(r.stderr).toBe(warning);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(
    `Verify:      npx pci-posture verify s3://${BUCKET}/${prefix} --kms-key-id arn:aws:kms:`,
  );
  const folder = /Run folder: +(\S+)/.exec(r.stdout)?.[1];
  expect(folder).toMatch(new RegExp(`^s3://${BUCKET}/${prefix}/reports/\\d{4}/\\d{2}/\\d{2}/`));
  return folder!;
}

/** The key of a run folder's file, from its `s3://` location. */
const keyOf = (folder: string, file: string) => `${folder.slice(`s3://${BUCKET}/`.length)}/${file}`;

beforeAll(async () => {
  writeFileSync(inventoryFile, JSON.stringify(demoInventory()));
  await createLockedBucket(s3, BUCKET);
  keyId = await createSigningKey(kms);
});

describe('pci-posture on an S3 archive', () => {
  let folders: string[];

  beforeAll(async () => {
    folders = [await evaluateInto('prod'), await evaluateInto('prod')];
  });

  it('takes the scheme in any case, as S3 tools do', async () => {
    const r = await run('verify', `S3://${BUCKET}/prod`, '--kms-key-id', keyId);
    expect(r.stdout).toContain('2 run(s)');
  });

  it('verifies every run and link with the KMS public key, and a run folder on its own', async () => {
    const all = await run('verify', `s3://${BUCKET}/prod`, '--kms-key-id', keyId);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(
      `s3://${BUCKET}/prod: INTACT: 2 run(s), 0 with problems, 0 chain problem(s)`,
    );
    const one = await run('verify', folders[1]!, '--kms-key-id', keyId);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('INTACT: 1 run(s)');
  });

  it('records the KMS key and the Sign request id beside the signature', async () => {
    const out = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: keyOf(folders[0]!, 'SHA256SUMS.sig.json') }),
    );
    const info = JSON.parse(await out.Body!.transformToString());
    expect(info.keyId).toMatch(/^arn:aws:kms:eu-west-1:100000000002:key\//);
    expect(info.requestId).toMatch(/\S/);
  });

  it('names a tampered object written as a new version, and exits 1', async () => {
    const key = keyOf(folders[0]!, 'report.html');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '<p>all PASS</p>' }));
    const r = await run('verify', `s3://${BUCKET}/prod`, '--kms-key-id', keyId);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  ${folders[0]}: report.html: content changed`);
    expect(r.stdout).toContain('NOT INTACT');
  });
});

describe('a run cut off mid-way in an S3 archive', () => {
  it('is named as incomplete: not intact, or a warning with --allow-incomplete', async () => {
    const first = await evaluateInto('cut');
    // What a writer that died after its first file leaves behind (no SHA256SUMS, no signature),
    // in the same second as the first run, so it sorts between it and the next one.
    const firstId = first.split('/').pop()!;
    const cutOffId = `${firstId.slice(0, firstId.lastIndexOf('-'))}-fffff`;
    const cutOff = `${keyOf(first, '')}`.replace(firstId, cutOffId).replace(/\/$/, '');
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: `${cutOff}/findings.csv`, Body: 'x' }),
    );
    await evaluateInto(
      'cut',
      `warning: not linked to the newer run ${cutOffId} (never signed: cut off mid-way, or planted); this run links to ${firstId}. Run \`pci-posture verify\` on the archive.\n`,
    );
    const strict = await run('verify', `s3://${BUCKET}/cut`, '--kms-key-id', keyId);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`FAIL  incomplete run s3://${BUCKET}/${cutOff}: never signed`);
    expect(strict.stdout).toContain('0 chain problem(s), 1 incomplete');
    const lenient = await run(
      'verify',
      `s3://${BUCKET}/cut`,
      '--kms-key-id',
      keyId,
      '--allow-incomplete',
    );
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain(`WARN  incomplete run s3://${BUCKET}/${cutOff}`);
  });
});

describe('usage errors on S3 locations', () => {
  it.each([
    [['verify', 's3://', '--kms-key-id', 'k'], 'is not an S3 archive URL'],
    [
      ['verify', 's3://bucket/p', '--public-key', 'a.pem', '--kms-key-id', 'k'],
      'give either --public-key or --kms-key-id, not both',
    ],
    [['verify', 's3://bucket/p'], 'a public key is needed'],
    [
      ['verify', `s3://${BUCKET}/no-such-prefix`, '--kms-key-id', 'KEY'],
      `s3://${BUCKET}/no-such-prefix: not an archive: no runs under reports/ and no signing-public-key.pem (check the path or prefix)`,
    ],
  ])('%j exits 2', async (argv, message) => {
    const r = await run(...argv.map((a) => (a === 'KEY' ? keyId : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
