/**
 * Signing with an AWS KMS key: an `ECC_NIST_P256` / `SIGN_VERIFY` key signs the bytes of
 * `SHA256SUMS` (`ECDSA_SHA_256`, `MessageType: RAW`), and its public key is what auditors use.
 */

import { createPublicKey } from 'node:crypto';
import {
  DescribeKeyCommand,
  GetPublicKeyCommand,
  type KMSClient,
  SignCommand,
  type SignCommandOutput,
} from '@aws-sdk/client-kms';
import { errorText, RunFailure, UsageError } from '../errors.ts';
import type { SignatureInfo, Signer } from './signer.ts';

/** KMS signs at most this many bytes of a `RAW` message. */
export const KMS_MAX_RAW_MESSAGE = 4096;

/** KMS errors that mean "this key cannot be used as given", not "try again later". */
const KEY_PROBLEMS = new Set([
  'NotFoundException',
  'AccessDeniedException',
  'DisabledException',
  'InvalidArnException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'UnsupportedOperationException', // GetPublicKey on a symmetric key
]);

/** Reads a KMS key's public half and checks that it can sign archives. */
async function loadSigningKey(
  client: KMSClient,
  keyId: string,
): Promise<{ arn: string; pem: string }> {
  const call = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (cause) {
      const message = `KMS key ${keyId}: ${what} failed: ${errorText(cause)}`;
      if (KEY_PROBLEMS.has((cause as Error).name)) {
        throw new UsageError(
          `${message}. Check the key id or ARN, the region (${await client.config.region()}) and that the caller may use the key.`,
          { cause },
        );
      }
      throw new RunFailure(message, { cause });
    }
  };
  const key = await call('GetPublicKey', () =>
    client.send(new GetPublicKeyCommand({ KeyId: keyId })),
  );
  // moto 5.2.1 returns only the deprecated CustomerMasterKeySpec; KMS returns both.
  const spec = key.KeySpec ?? key.CustomerMasterKeySpec;
  const algorithms = key.SigningAlgorithms ?? [];
  if (
    spec !== 'ECC_NIST_P256' ||
    key.KeyUsage !== 'SIGN_VERIFY' ||
    !algorithms.includes('ECDSA_SHA_256') ||
    !key.PublicKey
  ) {
    throw new UsageError(
      `KMS key ${keyId} cannot sign archives: it has key spec ${spec ?? 'unknown'}, key usage ${key.KeyUsage ?? 'unknown'} and signing algorithms ${algorithms.join(', ') || 'none'}. Use an ECC_NIST_P256 key with key usage SIGN_VERIFY.`,
    );
  }
  let arn = key.KeyId ?? keyId;
  if (!arn.startsWith('arn:')) {
    // KMS answers GetPublicKey with the key ARN; moto 5.2.1 gives the bare key id.
    const described = await call('DescribeKey', () =>
      client.send(new DescribeKeyCommand({ KeyId: keyId })),
    );
    arn = described.KeyMetadata?.Arn ?? arn;
  }
  const pem = createPublicKey({ key: Buffer.from(key.PublicKey), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { arn, pem };
}

/**
 * The public key of a KMS signing key as SPKI PEM, after the same checks as
 * {@link KmsSigner.create}: for `verify --kms-key-id`.
 *
 * @example const pem = await kmsPublicKeyPem(new KMSClient({}), 'alias/pci-posture-signing');
 */
export async function kmsPublicKeyPem(client: KMSClient, keyId: string): Promise<string> {
  return (await loadSigningKey(client, keyId)).pem;
}

/**
 * Signs `SHA256SUMS` with an AWS KMS `ECC_NIST_P256` key (`ECDSA_SHA_256`, `MessageType: RAW`,
 * so KMS hashes the bytes itself). The signature is DER, as `openssl dgst -verify` expects.
 *
 * @example
 * const signer = await KmsSigner.create(new KMSClient({}), 'alias/pci-posture-signing');
 * await writeRun({ store, signer, evaluation });
 */
export class KmsSigner implements Signer {
  /** The key ARN. */
  readonly keyId: string;
  readonly #client: KMSClient;
  readonly #publicPem: string;

  private constructor(client: KMSClient, arn: string, publicPem: string) {
    this.#client = client;
    this.keyId = arn;
    this.#publicPem = publicPem;
  }

  /**
   * Reads the key's public half and checks it can sign archives. A missing, inaccessible or
   * unsuitable key is a {@link UsageError}; other KMS failures are a {@link RunFailure}.
   *
   * @example const signer = await KmsSigner.create(kms, 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-...');
   */
  static async create(client: KMSClient, keyId: string): Promise<KmsSigner> {
    const { arn, pem } = await loadSigningKey(client, keyId);
    return new KmsSigner(client, arn, pem);
  }

  async publicKeyPem(): Promise<string> {
    return this.#publicPem;
  }

  async sign(data: Buffer, signedAt: string): Promise<{ signature: Buffer; info: SignatureInfo }> {
    if (data.length > KMS_MAX_RAW_MESSAGE) {
      throw new RunFailure(
        `cannot sign ${data.length} bytes with KMS key ${this.keyId}: KMS signs at most ${KMS_MAX_RAW_MESSAGE} bytes of a RAW message`,
      );
    }
    let signed: SignCommandOutput;
    try {
      signed = await this.#client.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: data,
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
    } catch (cause) {
      throw new RunFailure(`KMS Sign with key ${this.keyId} failed: ${errorText(cause)}`, {
        cause,
      });
    }
    if (!signed.Signature) {
      throw new RunFailure(`KMS Sign with key ${this.keyId} returned no signature`);
    }
    const requestId = signed.$metadata.requestId;
    return {
      signature: Buffer.from(signed.Signature),
      info: {
        keyId: this.keyId,
        algorithm: 'ECDSA_SHA_256',
        signedAt,
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}
