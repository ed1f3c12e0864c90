/**
 * The Google credentials of a GCP scan, made once per scan:
 *
 * - `workload-identity-federation` (the default, no keys): an `external_account` configuration,
 *   from `configFile` (what `gcloud iam workload-identity-pools create-cred-config --aws` writes)
 *   or built from `audience` (+ `serviceAccount` to impersonate), with an `aws1` credential
 *   source: the AWS credentials of the environment (the Lambda's role, from `AWS_ACCESS_KEY_ID`,
 *   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`) sign a GetCallerIdentity request
 *   that Google's STS exchanges for an access token. With neither `configFile` nor `audience`,
 *   Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's login).
 * - `service-account-key`: a key JSON from Secrets Manager or a file. The key signs its own
 *   scoped JWT (self-signed JWT, as Google's client libraries do for service accounts), so no
 *   token endpoint is called and the key never leaves the process.
 *
 * Errors never carry a key, a token or a secret: they say what could not be made, and keep of the
 * library's error its name and code only (its request configuration can hold a token).
 */
import { readFileSync } from 'node:fs';
import {
  type AuthClient,
  AwsClient,
  type AwsClientOptions,
  type ExternalAccountClientOptions,
  GoogleAuth,
  JWT,
} from 'google-auth-library';
import type { GcpTargets } from '../../config/scan-config.ts';
import type { ReadSecret } from '../secrets.ts';

/** The OAuth scope of every call (the container API accepts no narrower one; IAM roles limit). */
export const GCP_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * A credential: a google-auth-library client, shared by every call of the scan. The GKE client
 * (`@google-cloud/container`) makes its calls through it (`fetch`), and the REST calls take their
 * headers from it (`getRequestHeaders`), so one token cache serves both.
 */
export type GcpAuth = AuthClient;

/**
 * Credentials that could not be made or could not give a token; never holds secret values. Its
 * `cause`, when it has one, is {@link safeCause}'s `{ name, code }`, never the library's error.
 */
export class GcpCredentialError extends Error {
  override readonly name = 'GcpCredentialError';
}

/**
 * What an error keeps of the error it replaces: its name and code only. A provider's error (a
 * gaxios error and what google-auth-library makes of it) can hold its request configuration:
 * the `Authorization` header, or the STS request body whose subject token carries the AWS
 * session token. Kept as `cause`, a `logger.error(msg, err)` or `util.inspect` would print it.
 *
 * @example new GcpCredentialError('no access token', { cause: safeCause(err) })
 */
export function safeCause(err: unknown): { name: string; code?: string | number } {
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number' ? { name, code } : { name };
}

/** The `aws1` credential source of an `external_account` configuration (gcloud's defaults). */
const AWS_CREDENTIAL_SOURCE = {
  environment_id: 'aws1',
  region_url: 'http://169.254.169.254/latest/meta-data/placement/availability-zone',
  url: 'http://169.254.169.254/latest/meta-data/iam/security-credentials',
  regional_cred_verification_url:
    'https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15',
  imdsv2_session_token_url: 'http://169.254.169.254/latest/api/token',
} as const;

const DEFAULT_STS = 'https://sts.googleapis.com';
const DEFAULT_IAM_CREDENTIALS = 'https://iamcredentials.googleapis.com';

type Credentials = GcpTargets['credentials'];
type Endpoints = GcpTargets['endpoints'];

/**
 * The `external_account` configuration that federation uses: the config file's, or one built
 * from `audience`, with `serviceAccount` and the `sts` / `iamCredentials` endpoint overrides
 * applied. Exported so tests and docs show exactly what is sent.
 *
 * @example
 * wifConfig({ type: 'workload-identity-federation', audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/aws/providers/lambda' }, {})
 * // { type: 'external_account', audience: '//iam...', token_url: 'https://sts.googleapis.com/v1/token', credential_source: { environment_id: 'aws1', ... }, ... }
 */
export function wifConfig(
  credentials: Extract<Credentials, { type: 'workload-identity-federation' }>,
  endpoints: Endpoints,
  readFile: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): ExternalAccountClientOptions {
  let config: Record<string, unknown>;
  if (credentials.configFile) {
    let text: string;
    try {
      text = readFile(credentials.configFile);
    } catch (err) {
      throw new GcpCredentialError(
        `the workload identity federation configuration ${credentials.configFile} cannot be read`,
        { cause: safeCause(err) },
      );
    }
    config = parseJsonObject(
      text,
      `the workload identity federation configuration ${credentials.configFile}`,
    );
    if (config.type !== 'external_account') {
      throw new GcpCredentialError(
        `${credentials.configFile} is not an external_account configuration (its type is ${JSON.stringify(config.type ?? null)})`,
      );
    }
  } else if (credentials.audience) {
    config = {
      type: 'external_account',
      audience: credentials.audience,
      subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
      token_url: `${DEFAULT_STS}/v1/token`,
      credential_source: { ...AWS_CREDENTIAL_SOURCE },
    };
  } else {
    throw new GcpCredentialError('workload identity federation needs configFile or audience');
  }
  if (endpoints.sts) config.token_url = `${base(endpoints.sts)}/v1/token`;
  const impersonate = credentials.serviceAccount
    ? `${DEFAULT_IAM_CREDENTIALS}/v1/projects/-/serviceAccounts/${credentials.serviceAccount}:generateAccessToken`
    : typeof config.service_account_impersonation_url === 'string'
      ? config.service_account_impersonation_url
      : undefined;
  if (impersonate) {
    config.service_account_impersonation_url = endpoints.iamCredentials
      ? `${base(endpoints.iamCredentials)}${new URL(impersonate).pathname}`
      : impersonate;
  }
  return config as unknown as ExternalAccountClientOptions;
}

/**
 * Makes the scan's credential from the config. A key is read from `readSecret` (Secrets
 * Manager) or its file; anything that cannot be made throws {@link GcpCredentialError}.
 *
 * @example const auth = await gcpAuth(config.gcp.credentials, config.gcp.endpoints, { readSecret });
 */
export async function gcpAuth(
  credentials: Credentials,
  endpoints: Endpoints,
  deps: { readSecret?: ReadSecret | undefined } = {},
): Promise<GcpAuth> {
  if (credentials.type === 'service-account-key') {
    return serviceAccountAuth(await readKey(credentials, deps.readSecret));
  }
  if (!credentials.configFile && !credentials.audience) {
    try {
      return await new GoogleAuth({ scopes: [GCP_SCOPE] }).getClient();
    } catch (err) {
      throw new GcpCredentialError(
        'no workload identity federation configured (configFile or audience) and no Application Default Credentials found',
        { cause: safeCause(err) },
      );
    }
  }
  const config = wifConfig(credentials, endpoints);
  checkFederationUrls(config as unknown as Record<string, unknown>, endpoints);
  try {
    // Its URLs are checked above, so the AWS client is made directly: `fromJSON` would warn on
    // every run that it does not check them.
    return new AwsClient({ ...(config as AwsClientOptions), scopes: [GCP_SCOPE] });
  } catch (err) {
    throw new GcpCredentialError(
      `the external_account configuration is not usable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      { cause: safeCause(err) },
    );
  }
}

/**
 * The AWS credentials' signed request goes to the token URL, and the federated token to the
 * impersonation URL: both must be Google's (or the configured endpoint overrides), and the AWS
 * metadata URLs AWS's own, so that a tampered configuration file cannot send them elsewhere.
 * Only AWS credential sources are accepted (an `executable` source would run a command).
 */
function checkFederationUrls(config: Record<string, unknown>, endpoints: Endpoints): void {
  const source = (config.credential_source ?? {}) as Record<string, unknown>;
  if (typeof source.environment_id !== 'string' || !/^aws\d+$/.test(source.environment_id)) {
    throw new GcpCredentialError(
      'the external_account configuration does not take AWS credentials (credential_source.environment_id aws1): only federation from AWS is supported',
    );
  }
  const google = (service: string, override: string | undefined, url: unknown, what: string) => {
    if (url === undefined) return;
    const ok =
      typeof url === 'string' &&
      ((override !== undefined && url.startsWith(`${base(override)}/`)) ||
        new RegExp(`^https://${service}\\.([a-z0-9-]+\\.)*googleapis\\.com/`).test(url));
    if (!ok) {
      throw new GcpCredentialError(
        `the external_account configuration's ${what} is not a Google ${service} URL (or the configured endpoint)`,
      );
    }
  };
  google('sts', endpoints.sts, config.token_url, 'token_url');
  google(
    'iamcredentials',
    endpoints.iamCredentials,
    config.service_account_impersonation_url,
    'service_account_impersonation_url',
  );
  for (const key of ['url', 'region_url', 'imdsv2_session_token_url']) {
    const url = source[key];
    if (
      url !== undefined &&
      !/^http:\/\/(169\.254\.169\.254|\[fd00:ec2::254\])\//.test(String(url))
    ) {
      throw new GcpCredentialError(
        `the external_account configuration's credential_source.${key} is not the AWS instance metadata service`,
      );
    }
  }
}

async function readKey(
  credentials: Extract<Credentials, { type: 'service-account-key' }>,
  readSecret: ReadSecret | undefined,
): Promise<Record<string, unknown>> {
  let text: string;
  const where = credentials.secretArn
    ? `the service-account key in secret ${credentials.secretArn}`
    : `the service-account key file ${credentials.file}`;
  if (credentials.secretArn) {
    if (!readSecret) {
      throw new GcpCredentialError(`${where} cannot be read: no Secrets Manager reader was given`);
    }
    try {
      text = await readSecret(credentials.secretArn);
    } catch (err) {
      // SecretReadError's message names the ARN only.
      throw new GcpCredentialError(
        `${where} cannot be read: ${err instanceof Error ? err.message : 'unknown error'}`,
        { cause: safeCause(err) },
      );
    }
  } else {
    try {
      text = readFileSync(credentials.file ?? '', 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new GcpCredentialError(`${where} cannot be read${code ? ` (${code})` : ''}`, {
        cause: safeCause(err),
      });
    }
  }
  return parseJsonObject(text, where);
}

/**
 * A service account key's credential: self-signed, scoped JWTs (no token endpoint).
 *
 * @example const auth = serviceAccountAuth(JSON.parse(readFileSync('key.json', 'utf8')));
 */
export function serviceAccountAuth(key: Record<string, unknown>): GcpAuth {
  const { type, client_email: email, private_key: pem, private_key_id: keyId } = key;
  if (type !== 'service_account' || typeof email !== 'string' || typeof pem !== 'string') {
    throw new GcpCredentialError(
      'the service-account key is not a service_account key with client_email and private_key',
    );
  }
  const jwt = new JWT({
    email,
    key: pem,
    ...(typeof keyId === 'string' ? { keyId } : {}),
    scopes: [GCP_SCOPE],
  });
  // Sign a scoped JWT per call instead of trading it at oauth2.googleapis.com for a token.
  jwt.useJWTAccessWithScope = true;
  return jwt;
}

/** Parses a JSON object without ever quoting the text (it may be a key) in an error. */
function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The SyntaxError quotes the text: it is dropped, not kept as the cause.
    throw new GcpCredentialError(`${what} is not JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new GcpCredentialError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** An endpoint override without its trailing slash. */
function base(url: string): string {
  return url.replace(/\/+$/, '');
}
