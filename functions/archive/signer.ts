/**
 * Signers: whatever signs `SHA256SUMS`. A local EC P-256 PEM key now; AWS KMS joins behind the
 * same interface. Signatures are DER-encoded ECDSA P-256 / SHA-256 over the bytes of `SHA256SUMS`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.ts';

/** How a signature was made, written unsigned beside it as `SHA256SUMS.sig.json`. */
export interface SignatureInfo {
  keyId: string;
  algorithm: 'ECDSA_SHA_256';
  signedAt: string;
  /** For KMS: the Sign call's request id, to match CloudTrail. */
  requestId?: string;
}

export interface Signer {
  /** A stable name for the key (a file's fingerprint, a KMS key ARN). */
  readonly keyId: string;
  /** The public half, as SPKI PEM. */
  publicKeyPem(): Promise<string>;
  /** Signs `data`; the signature is DER ECDSA P-256 / SHA-256. */
  sign(data: Buffer, signedAt: string): Promise<{ signature: Buffer; info: SignatureInfo }>;
}

/**
 * SHA-256 fingerprint of a public key's DER (SPKI) encoding, hex: what auditors compare.
 *
 * @example publicKeyFingerprint(readFileSync('signing-public-key.pem', 'utf8'))
 */
export function publicKeyFingerprint(pem: string | KeyObject): string {
  const key = typeof pem === 'string' ? createPublicKey(pem) : pem;
  const der = key.export({ type: 'spki', format: 'der' });
  return sha256Hex(der);
}

/**
 * Hex SHA-256 of bytes.
 *
 * @example sha256Hex(readFileSync('SHA256SUMS')) // what report.json's previous.sha256sumsDigest holds
 */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * True when `signature` (DER ECDSA P-256 / SHA-256) over `data` verifies with `key`; a malformed
 * signature is simply false.
 *
 * @example signatureVerifies(readFileSync('SHA256SUMS'), readFileSync('SHA256SUMS.sig'), key)
 */
export function signatureVerifies(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return cryptoVerify('sha256', data, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/**
 * Signs with an EC P-256 private key kept in a PEM file.
 *
 * @example const signer = LocalPemSigner.fromFile('keys/signing-key.pem');
 */
export class LocalPemSigner implements Signer {
  readonly keyId: string;
  readonly #key: KeyObject;
  readonly #publicPem: string;

  private constructor(key: KeyObject, source: string) {
    this.#key = key;
    this.#publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = `local:${source}#sha256:${publicKeyFingerprint(this.#publicPem).slice(0, 16)}`;
  }

  /** Loads a PEM private key; a missing, unreadable or non-P-256 key is an {@link InputError}. */
  static fromFile(file: string): LocalPemSigner {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new InputError(file, '', 'signing key cannot be read: no such file or not readable', {
        cause,
      });
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (cause) {
      throw new InputError(file, '', 'is not a PEM private key', { cause });
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new InputError(
        file,
        '',
        `must be an EC P-256 (prime256v1) private key, got ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''}`,
      );
    }
    return new LocalPemSigner(key, file.split('/').pop() ?? file);
  }

  async publicKeyPem(): Promise<string> {
    return this.#publicPem;
  }

  async sign(data: Buffer, signedAt: string): Promise<{ signature: Buffer; info: SignatureInfo }> {
    const signature = cryptoSign('sha256', data, { key: this.#key, dsaEncoding: 'der' });
    return { signature, info: { keyId: this.keyId, algorithm: 'ECDSA_SHA_256', signedAt } };
  }
}

/**
 * Makes an EC P-256 key pair at `privateFile` (mode 0600) and `publicFile` unless the private key
 * already exists. Returns true when it created one.
 *
 * @example ensureLocalKeyPair('demo/.keys/signing-key.pem', 'demo/signing-public-key.pem')
 */
export function ensureLocalKeyPair(privateFile: string, publicFile: string): boolean {
  if (existsSync(privateFile)) return false;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  mkdirSync(dirname(privateFile), { recursive: true, mode: 0o700 });
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(privateFile, 0o600);
  mkdirSync(dirname(publicFile), { recursive: true });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return true;
}
