import { verify as cryptoVerify, generateKeyPairSync } from 'node:crypto';
import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  GetPublicKeyCommand,
  KMSClient,
  NotFoundException,
  SignCommand,
} from '@aws-sdk/client-kms';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { KmsSigner, kmsPublicKeyPem } from '../../functions/archive/kms-signer.ts';
import { S3ArchiveStore } from '../../functions/archive/s3-store.ts';
import { writeRun } from '../../functions/archive/write-run.ts';
import { demoInventory } from '../../functions/demo/estate.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { RunFailure, UsageError } from '../../functions/errors.ts';
import { FAKE_CREDENTIALS, motoClients } from '../helpers/moto.ts';

const ACCOUNT = '100000000002';
const { s3, kms } = motoClients(ACCOUNT);

async function createKey(input: CreateKeyCommandInput): Promise<string> {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
}

/** An AWS service error as the SDK throws it. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

describe('KmsSigner on moto', () => {
  let keyId: string;
  let signer: KmsSigner;
  beforeAll(async () => {
    keyId = await createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    signer = await KmsSigner.create(kms, keyId);
  });

  it('names the key by its ARN and gives its public key as SPKI PEM', async () => {
    expect(signer.keyId).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId}`);
    const pem = await signer.publicKeyPem();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(await kmsPublicKeyPem(kms, signer.keyId)).toBe(pem);
  });

  it.each([1, 4096])(
    'signs %i bytes: DER ECDSA P-256 / SHA-256 over the raw bytes',
    async (size) => {
      const data = Buffer.alloc(size, 'a');
      const { signature, info } = await signer.sign(data, '2026-11-26T02:03:11Z');
      const key = await signer.publicKeyPem();
      expect(cryptoVerify('sha256', data, { key, dsaEncoding: 'der' }, signature)).toBe(true);
      expect(info).toEqual({
        keyId: signer.keyId,
        algorithm: 'ECDSA_SHA_256',
        signedAt: '2026-11-26T02:03:11Z',
        requestId: expect.stringMatching(/\S/),
      });
    },
  );

  it('refuses more than 4096 bytes (KMS RAW limit; moto would sign them)', async () => {
    await expect(signer.sign(Buffer.alloc(4097), '2026-11-26T02:03:11Z')).rejects.toThrow(
      new RunFailure(
        `cannot sign 4097 bytes with KMS key ${signer.keyId}: KMS signs at most 4096 bytes of a RAW message`,
      ),
    );
  });

  it.each<[string, CreateKeyCommandInput, string]>([
    [
      'a symmetric key',
      {},
      'key spec SYMMETRIC_DEFAULT, key usage unknown and signing algorithms none',
    ],
    [
      'an RSA signing key',
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
      'key spec RSA_2048, key usage SIGN_VERIFY and signing algorithms RSASSA_',
    ],
    [
      'a P-384 signing key',
      { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' },
      'key spec ECC_NIST_P384, key usage SIGN_VERIFY and signing algorithms ECDSA_SHA_384',
    ],
  ])('refuses %s as a usage error naming the key and what it is', async (_what, input, is) => {
    const id = await createKey(input);
    const created = KmsSigner.create(kms, id);
    await expect(created).rejects.toThrow(UsageError);
    await expect(created).rejects.toThrow(`KMS key ${id} cannot sign archives: it has ${is}`);
    await expect(created).rejects.toThrow(/Use an ECC_NIST_P256 key with key usage SIGN_VERIFY\.$/);
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'alias/no-such-key'])(
    'refuses the missing key %s as a usage error, without credentials',
    async (missing) => {
      const error = await KmsSigner.create(kms, missing).then(
        () => undefined,
        (e: unknown) => e as UsageError,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect(error?.message).toMatch(
        new RegExp(
          `^KMS key ${missing}: GetPublicKey failed: NotFoundException: .+ Check the key id or ARN, the region \\(eu-west-1\\)`,
        ),
      );
      expect(error?.cause).toBeInstanceOf(NotFoundException);
      for (const secret of Object.values(FAKE_CREDENTIALS)) {
        expect(error?.message).not.toContain(secret);
      }
    },
  );
});

describe('KMS faults moto cannot make (aws-sdk-client-mock)', () => {
  const arn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;
  const publicDer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  /** A KMS client whose key looks right; the test decides what Sign does. */
  function mockedKms() {
    const client = new KMSClient({ region: 'eu-west-1', credentials: FAKE_CREDENTIALS });
    const mock = mockClient(client);
    mock.on(GetPublicKeyCommand).resolves({
      KeyId: arn,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
      PublicKey: publicDer,
    });
    return { client, mock };
  }

  it.each([
    ['AccessDeniedException', UsageError],
    ['ThrottlingException', RunFailure],
  ])('GetPublicKey failing with %s', async (name, kind) => {
    const { client, mock } = mockedKms();
    const error = awsError(name, 'no');
    mock.on(GetPublicKeyCommand).rejects(error);
    const created = KmsSigner.create(client, arn);
    await expect(created).rejects.toThrow(kind);
    await expect(created).rejects.toThrow(`KMS key ${arn}: GetPublicKey failed: ${name}: no`);
    await expect(created).rejects.toMatchObject({ cause: error });
  });

  it('refuses a key with the wrong KeySpec as a usage error', async () => {
    const { client, mock } = mockedKms();
    mock.on(GetPublicKeyCommand).resolves({
      KeyId: arn,
      KeySpec: 'ECC_SECG_P256K1',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
      PublicKey: publicDer,
    });
    await expect(KmsSigner.create(client, arn)).rejects.toThrow(
      new UsageError(
        `KMS key ${arn} cannot sign archives: it has key spec ECC_SECG_P256K1, key usage SIGN_VERIFY and signing algorithms ECDSA_SHA_256. Use an ECC_NIST_P256 key with key usage SIGN_VERIFY.`,
      ),
    );
  });

  describe('Sign failing while a run is written to S3 (moto)', () => {
    const bucket = 'kms-faults';
    beforeAll(async () => {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
    });

    it.each([
      ['ThrottlingException', 'Rate exceeded'],
      ['AccessDeniedException', 'not authorized to perform: kms:Sign'],
    ])('%s: writeRun fails with RunFailure and writes no run', async (name, message) => {
      const { client, mock } = mockedKms();
      const error = awsError(name, message);
      mock.on(SignCommand).rejects(error);
      const prefix = `sign-${name}/`;
      const store = new S3ArchiveStore({ client: s3, bucket, prefix });
      const written = writeRun({
        store,
        signer: await KmsSigner.create(client, arn),
        evaluation: evaluate(demoInventory()),
      });
      await expect(written).rejects.toThrow(RunFailure);
      await expect(written).rejects.toThrow(
        `signing failed: KMS Sign with key ${arn} failed: ${name}: ${message}`,
      );
      expect(mock.commandCalls(SignCommand)[0]!.args[0].input).toMatchObject({
        KeyId: arn,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      // Only the archive's public key: no run folder (so no SHA256SUMS), and the lock released.
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([
        `${prefix}signing-public-key.pem`,
      ]);
    });
  });
});
