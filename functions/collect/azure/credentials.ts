/**
 * The Microsoft Entra credential the Azure collector reads ARM with, from the config's
 * `azure.credentials`, through @azure/identity:
 *
 * - `federated`: a client assertion (workload identity federation). The assertion is the AWS
 *   identity of the running role: STS `GetWebIdentityToken` (AWS IAM outbound identity
 *   federation) for the configured audience, or the contents of `tokenFile`.
 * - `certificate`: the app registration's certificate and private key (PEM), from Secrets
 *   Manager or a file.
 * - `secret`: a client secret, from Secrets Manager or an environment variable.
 *
 * The secret material is read on first use (a scan that reads nothing from Azure reads no
 * secret) and kept once the credential is made; a failure to read it is not kept (the next token
 * request reads again: a secret fixed or rotated after a failure is picked up by a warm Lambda).
 * Nor is a credential Entra refuses (`invalid_client`: a secret or certificate rotated and the
 * old one revoked): the token request it failed fails, and the next one reads the secret material
 * again and makes the credential anew. Throttling, server errors and network errors keep it.
 * Errors name where it came from, never its value: every value read, and every assertion made,
 * is also scrubbed from the error text the collector records, as is anything shaped like a JWT
 * (the certificate's assertion, which MSAL makes) or a PEM private key.
 *
 * A token request is shared by the clients that ask at once, and limited to
 * `callTimeoutMs * maxAttempts` (MSAL's token request has no time limit of its own): a token
 * endpoint that hangs fails that request, and the next one starts afresh.
 */
import { readFile } from 'node:fs/promises';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
} from '@azure/identity';
import type { AzureTargets } from '../../config/scan-config.ts';
import { CallTimeout, type RuntimeSettings } from '../runtime.ts';
import type { ReadSecret } from '../secrets.ts';
import { federatedAudience } from './audience.ts';

export { federatedAudience, PUBLIC_FEDERATION_AUDIENCE } from './audience.ts';

/** What the credential needs from outside; tests inject each. */
export interface AzureCredentialDeps {
  /** Reads a Secrets Manager secret by ARN (certificate PEM, client secret). */
  readSecret?: ReadSecret;
  /** The AWS web identity token for an audience; default: STS GetWebIdentityToken. */
  webIdentityToken?: (audience: string) => Promise<string>;
  /** A PEM CA bundle trusted for the authority host (tests). */
  tlsCa?: string;
  /** Where `secret.env` is read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The credential's secret material could not be read; names the source, never a value. */
export class AzureCredentialUnavailable extends Error {
  override readonly name = 'AzureCredentialUnavailable';
}

/** Entra authority hosts whose instance metadata MSAL knows: instance discovery stays on. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** STS GetWebIdentityToken lifetime: long enough for one token exchange, the minimum worth it. */
const WEB_IDENTITY_TOKEN_SECONDS = 300;

/** How long one assertion is handed to MSAL again (well within its 5-minute lifetime). */
const ASSERTION_REUSE_MS = 60_000;

/**
 * The AADSTS codes with which Microsoft Entra ID refuses the client's own credential: an invalid
 * (7000215) or expired (7000222) client secret, a client assertion whose signature is not that of
 * a certificate registered (700027), or outside its valid time range (700024).
 */
const REFUSED_CREDENTIAL_CODES: ReadonlySet<number> = new Set([7000215, 7000222, 700027, 700024]);

/** How deep an error's `cause` chain is searched. */
const MAX_CAUSES = 8;

/**
 * True when a token request failed because Microsoft Entra ID refused the client's credential:
 * HTTP 400 or 401 (or no status) with `invalid_client` or one of {@link REFUSED_CREDENTIAL_CODES},
 * anywhere in the error's `cause` chain. @azure/identity surfaces it as MSAL's `ServerError`
 * (`errorCode`, `errorNo`: the first of `error_codes`, `status`) under an
 * `AuthenticationRequiredError`, or as an `AuthenticationError` (`statusCode`,
 * `errorResponse.error`, `errorResponse.errorCodes`). Throttling (429), server errors (5xx),
 * time-outs and network errors are not refusals.
 *
 * @example if (refusesClientCredential(err)) forgetCredential();
 */
export function refusesClientCredential(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < MAX_CAUSES; depth++, e = e.cause) {
    const x = e as Error & {
      status?: unknown;
      statusCode?: unknown;
      errorCode?: unknown;
      errorNo?: unknown;
      errorResponse?: { error?: unknown; errorCodes?: unknown };
    };
    const status = x.status ?? x.statusCode;
    if (status !== undefined && status !== 400 && status !== 401) continue;
    const error = x.errorResponse?.error ?? x.errorCode;
    const listed = x.errorResponse?.errorCodes;
    const codes = [...(Array.isArray(listed) ? listed : []), x.errorNo].map(Number);
    if (error === 'invalid_client' || codes.some((c) => REFUSED_CREDENTIAL_CODES.has(c))) {
      return true;
    }
  }
  return false;
}

/**
 * True when MSAL's instance discovery must be turned off for an authority host: any host that is
 * not one of Microsoft's public or sovereign Entra hosts (Azure Stack, test servers), where
 * discovery would ask login.microsoftonline.com about a host it does not know.
 *
 * @example needsInstanceDiscoveryOff('https://127.0.0.1:8443') // true
 */
export function needsInstanceDiscoveryOff(authorityHost: string): boolean {
  return !MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
}

/** Text shaped like a JWT (a client assertion, an access token). */
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** A PEM private key, from its first line to its last (or the end of the text). */
const PEM_PRIVATE_KEY =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/**
 * A web identity token of the running AWS role for `audience`, from STS GetWebIdentityToken
 * (RS256, which Entra accepts; 5 minutes). The role needs `sts:GetWebIdentityToken`, and the
 * account must have outbound identity federation enabled.
 *
 * @example const jwt = await stsWebIdentityToken('api://AzureADTokenExchange', 3);
 */
export async function stsWebIdentityToken(audience: string, maxAttempts: number): Promise<string> {
  const { GetWebIdentityTokenCommand, STSClient } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({ maxAttempts });
  try {
    const out = await sts.send(
      new GetWebIdentityTokenCommand({
        Audience: [audience],
        SigningAlgorithm: 'RS256',
        DurationSeconds: WEB_IDENTITY_TOKEN_SECONDS,
      }),
    );
    if (!out.WebIdentityToken) {
      throw new AzureCredentialUnavailable('sts:GetWebIdentityToken answered without a token');
    }
    return out.WebIdentityToken;
  } catch (cause) {
    if (cause instanceof AzureCredentialUnavailable) throw cause;
    const name = cause instanceof Error ? cause.name : 'Error';
    throw new AzureCredentialUnavailable(
      `the AWS web identity token for ${audience} could not be made (sts:GetWebIdentityToken: ${name})`,
      { cause },
    );
  } finally {
    sts.destroy();
  }
}

/** A token credential that also knows the secret values it has seen, to scrub them from text. */
export interface AzureCredential extends TokenCredential {
  /** Replaces every secret value this credential has read or made in `text`. */
  scrub(text: string): string;
}

/**
 * The credential of the config's `azure` section. Secret material is read on the first token
 * request, and kept once read; a failure to read it (or to make the credential) is not kept: the
 * next token request tries again. Nor is a secret or certificate credential that Entra refuses
 * ({@link refusesClientCredential}): the next token request reads its secret material again (a
 * rotated secret). A token request is limited to `callTimeoutMs * maxAttempts`.
 *
 * @example
 * const credential = azureCredential(config.azure, settings, { readSecret });
 * const token = await credential.getToken('https://management.azure.com/.default');
 */
export function azureCredential(
  targets: Pick<AzureTargets, 'tenantId' | 'clientId' | 'credentials' | 'cloud'>,
  settings: Pick<RuntimeSettings, 'maxAttempts' | 'callTimeoutMs'>,
  deps: AzureCredentialDeps = {},
): AzureCredential {
  const secrets = new Set<string>();
  const remember = (value: string) => {
    const v = value.trim();
    if (v.length >= 8) secrets.add(v);
    // A PEM's base64 lines are secret one by one too (a message could quote one).
    for (const line of v.split('\n')) if (line.trim().length >= 16) secrets.add(line.trim());
    return value;
  };
  const options = {
    authorityHost: targets.cloud.authorityHost,
    ...(needsInstanceDiscoveryOff(targets.cloud.authorityHost)
      ? { disableInstanceDiscovery: true }
      : {}),
    ...(deps.tlsCa ? { tlsOptions: { ca: deps.tlsCa } } : {}),
    retryOptions: { maxRetries: Math.max(0, settings.maxAttempts - 1) },
  };
  const readStored = async (arn: string, what: string) => {
    if (!deps.readSecret) {
      throw new AzureCredentialUnavailable(
        `the ${what} is in Secrets Manager (${arn}) but no secret reader was given`,
      );
    }
    return remember(await deps.readSecret(arn));
  };

  const make = async (): Promise<TokenCredential> => {
    const { tenantId, clientId } = targets;
    const c = targets.credentials;
    if (c.type === 'secret') {
      let secret: string;
      if (c.secretArn) secret = await readStored(c.secretArn, 'client secret');
      else {
        const value = (deps.env ?? process.env)[c.env ?? ''];
        if (!value) {
          throw new AzureCredentialUnavailable(
            `the client secret's environment variable ${c.env} is not set`,
          );
        }
        secret = remember(value);
      }
      return new ClientSecretCredential(tenantId, clientId, secret.trim(), options);
    }
    if (c.type === 'certificate') {
      let pem: string;
      if (c.secretArn) pem = await readStored(c.secretArn, 'certificate');
      else {
        try {
          pem = remember(await readFile(c.file ?? '', 'utf8'));
        } catch (cause) {
          throw new AzureCredentialUnavailable(
            `the certificate file ${c.file} could not be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
            { cause },
          );
        }
      }
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) || !pem.includes('CERTIFICATE-----')) {
        throw new AzureCredentialUnavailable(
          `the certificate ${c.secretArn ?? c.file} must be PEM holding the certificate and its unencrypted private key`,
        );
      }
      return new ClientCertificateCredential(tenantId, clientId, { certificate: pem }, options);
    }
    const audience = federatedAudience(targets) ?? c.audience;
    // MSAL asks for the assertion more than once per token request: one made within the last
    // minute is reused (an STS token is good for 5 minutes), so STS is called once per token.
    let made: { at: number; token: Promise<string> } | undefined;
    const assertion = () => {
      if (!made || Date.now() - made.at > ASSERTION_REUSE_MS) {
        const token = newAssertion();
        made = { at: Date.now(), token };
        token.catch(() => {
          made = undefined;
        });
      }
      return made.token;
    };
    const newAssertion = async () => {
      let token: string;
      if (c.tokenFile) {
        try {
          token = (await readFile(c.tokenFile, 'utf8')).trim();
        } catch (cause) {
          throw new AzureCredentialUnavailable(
            `the federated token file ${c.tokenFile} could not be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
            { cause },
          );
        }
      } else if (deps.webIdentityToken) token = await deps.webIdentityToken(audience);
      else token = await stsWebIdentityToken(audience, settings.maxAttempts);
      return remember(token);
    };
    return new ClientAssertionCredential(tenantId, clientId, assertion, options);
  };

  // The credential, once made. A failure to make it (a secret that could not be read) is dropped,
  // so that the next token request reads again: a warm Lambda does not keep a failure. So is a
  // secret or certificate credential Entra refuses (below). A federated one is kept: it has no
  // secret to read again, and asks for a new assertion at least every ASSERTION_REUSE_MS.
  let inner: Promise<TokenCredential> | undefined;
  const credential = () => {
    if (!inner) {
      const made = make();
      inner = made;
      made.catch(() => {
        if (inner === made) inner = undefined;
      });
    }
    return inner;
  };
  const rereadable = targets.credentials.type !== 'federated';
  const limitMs = settings.callTimeoutMs * settings.maxAttempts;
  // Requests for the same scope while one is in flight share it: the clients of a scan start
  // together, and each would otherwise ask Entra for a token (MSAL caches only once one is back).
  const inFlight = new Map<string, Promise<AccessToken | null>>();
  const request = async (scopes: string | string[], opts?: GetTokenOptions) => {
    // Not the caller's abort signal: the request is shared (core's token cycler shares it among
    // a client's requests too, with the first one's signal), and one caller's attempt running
    // out of time must not fail the others. Its own limit instead; MSAL's client-credential
    // request ignores an abort signal, so the race is what ends the wait (the runtime's race
    // ends each caller's).
    const limit = new AbortController();
    const timer = setTimeout(
      () =>
        limit.abort(
          new CallTimeout(
            `Microsoft Entra ID did not answer the token request within ${limitMs / 1000} s`,
          ),
        ),
      limitMs,
    );
    const stop = abortedWith(limit.signal);
    const made = credential();
    try {
      let c: TokenCredential;
      try {
        c = await Promise.race([made, stop]);
      } catch (err) {
        // A credential still being made when the limit ran out (a secret read that hangs) is
        // dropped too: the next request makes it again. One made is kept (MSAL's token cache).
        if (inner === made) inner = undefined;
        throw err;
      }
      const { abortSignal: _, ...shared } = opts ?? {};
      let token: AccessToken | null;
      try {
        token = await Promise.race([
          c.getToken(scopes, { ...shared, abortSignal: limit.signal }),
          stop,
        ]);
      } catch (err) {
        // Entra refused the secret or certificate (rotated, the old one revoked or expired): this
        // request fails, and the next one makes the credential again from a fresh read (one
        // another request has made again meanwhile is kept).
        if (rereadable && inner === made && refusesClientCredential(err)) inner = undefined;
        throw err;
      }
      if (token) remember(token.token);
      return token;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    getToken(scopes: string | string[], opts?: GetTokenOptions): Promise<AccessToken | null> {
      const key = [scopes].flat().join(' ');
      let pending = inFlight.get(key);
      if (!pending) {
        const mine: Promise<AccessToken | null> = request(scopes, opts).finally(() => {
          if (inFlight.get(key) === mine) inFlight.delete(key);
        });
        pending = mine;
        inFlight.set(key, pending);
      }
      return pending;
    },
    scrub(text: string): string {
      // The shapes first: a key's first line is also one of the secret values.
      let out = text.replace(PEM_PRIVATE_KEY, '[REDACTED]').replace(JWT, '[REDACTED]');
      for (const s of secrets) out = out.split(s).join('[REDACTED]');
      return out;
    },
  };
}

/** A promise rejected with the signal's reason once it aborts (never settled otherwise). */
function abortedWith(signal: AbortSignal): Promise<never> {
  const p = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  p.catch(() => {}); // a race that ended first leaves it unhandled otherwise
  return p;
}
