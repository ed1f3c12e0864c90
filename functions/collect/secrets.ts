/**
 * Where collectors read stored credentials from: a Secrets Manager secret by ARN. The reader is
 * injected, so tests hand collectors any function, and no collector holds an AWS client of its
 * own for it. Secret values never reach logs, reports or errors: failures name the ARN only.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret's string value by ARN. */
export type ReadSecret = (arn: string) => Promise<string>;

/** A secret that could not be read; its message names the ARN, never a value. */
export class SecretReadError extends Error {
  override readonly name = 'SecretReadError';
  readonly arn: string;
  constructor(arn: string, reason: string, options?: { cause?: unknown }) {
    super(`secret ${arn} could not be read: ${reason}`, options);
    this.arn = arn;
  }
}

/**
 * The region of a Secrets Manager secret ARN (`arn:aws:secretsmanager:<region>:...`).
 *
 * @example secretRegion('arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-AbCdEf') // 'eu-west-1'
 */
export function secretRegion(arn: string): string {
  const region = arn.split(':')[3];
  if (!region) throw new SecretReadError(arn, 'it is not a Secrets Manager secret ARN');
  return region;
}

/**
 * A {@link ReadSecret} over Secrets Manager's GetSecretValue (`SecretString` only; a binary
 * secret is refused), in the secret's own region (from its ARN): `client(region)` makes the
 * client of a region, once; the reader keeps it for every later read there.
 *
 * @example
 * const readSecret = secretsManagerReader((region) => new SecretsManagerClient({ region }));
 * const pem = await readSecret('arn:aws:secretsmanager:eu-west-1:111122223333:secret:azure-cert-AbCdEf');
 */
export function secretsManagerReader(
  client: (region: string) => SecretsManagerClient | Promise<SecretsManagerClient>,
): ReadSecret {
  const clients = new Map<string, Promise<SecretsManagerClient>>();
  const clientIn = (region: string) => {
    let made = clients.get(region);
    if (!made) {
      made = Promise.resolve(client(region));
      // A client that could not be made is made again by the next read.
      made.catch(() => clients.delete(region));
      clients.set(region, made);
    }
    return made;
  };
  return async (arn) => {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    let out: { SecretString?: string | undefined };
    const region = secretRegion(arn);
    try {
      out = await (await clientIn(region)).send(new GetSecretValueCommand({ SecretId: arn }));
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      throw new SecretReadError(arn, name, { cause: err });
    }
    if (typeof out.SecretString !== 'string' || out.SecretString === '') {
      throw new SecretReadError(arn, 'it has no SecretString (binary secrets are not read)');
    }
    return out.SecretString;
  };
}
