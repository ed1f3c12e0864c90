/** AWS SDK clients pointed at the test run's moto server (started by test/moto/global-setup.ts). */
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { inject } from 'vitest';

/** moto accepts any credentials; these are the ones the tests' requests are signed with. */
export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIAMOTOTESTFAKE0001',
  secretAccessKey: 'moto-fake-secret',
};

/** Adds `x-moto-account-id`, so that each test file works in its own fake account. */
function accountHeader(accountId: string) {
  return <A extends { request: unknown }, R>(next: (args: A) => Promise<R>) =>
    async (args: A): Promise<R> => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    };
}

/**
 * S3 (path-style) and KMS clients on moto, region eu-west-1, in the fake account `accountId`
 * (12 digits; one per test file keeps files apart without resetting moto).
 *
 * @example const { s3, kms } = motoClients('100000000001');
 */
export function motoClients(accountId: string): { s3: S3Client; kms: KMSClient } {
  const config = {
    endpoint: inject('motoEndpoint'),
    region: 'eu-west-1',
    credentials: FAKE_CREDENTIALS,
  };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const kms = new KMSClient(config);
  const options = { step: 'build', name: 'motoAccountId' } as const;
  s3.middlewareStack.add(accountHeader(accountId), options);
  kms.middlewareStack.add(accountHeader(accountId), options);
  return { s3, kms };
}

/**
 * Makes an archive bucket as the stack will: versioned with Object Lock and a default COMPLIANCE
 * retention of one day (moto keeps time real, so a day outlives every test).
 *
 * @example await createLockedBucket(s3, 'pci-posture-archive');
 */
export async function createLockedBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ObjectLockEnabledForBucket: true,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } },
      },
    }),
  );
}

/**
 * Creates a KMS signing key as the stack will (`ECC_NIST_P256`, `SIGN_VERIFY`) and returns its id.
 *
 * @example const keyId = await createSigningKey(kms);
 */
export async function createSigningKey(kms: KMSClient): Promise<string> {
  const out = await kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  return out.KeyMetadata!.KeyId!;
}

/**
 * A Secrets Manager client on moto, region eu-west-1, in the fake account `accountId`.
 *
 * @example const secrets = motoSecrets('300000000004');
 */
export function motoSecrets(accountId: string): SecretsManagerClient {
  const client = new SecretsManagerClient({
    endpoint: inject('motoEndpoint'),
    region: 'eu-west-1',
    credentials: FAKE_CREDENTIALS,
  });
  client.middlewareStack.add(accountHeader(accountId), { step: 'build', name: 'motoAccountId' });
  return client;
}
