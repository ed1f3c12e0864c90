/**
 * The Google APIs the GCP collector calls, behind one injectable factory that makes, once per
 * scan, the credential (a google-auth-library client) and the clients that share it:
 *
 * - GKE through `@google-cloud/container`'s `ClusterManagerClient` in REST mode
 *   (`fallback: true`: HTTP/1.1 JSON, no gRPC), with the endpoint override parsed into
 *   `apiEndpoint` / `port` / `protocol`. gax's own retries are off (`retry: null`): the
 *   collector's retry loop below retries by the error's gRPC code, and each attempt has gax's
 *   per-call `timeout` (`callTimeoutMs`) and the runtime's signal.
 * - Resource Manager v3 (IAM policy, project and folder discovery) over REST with fetch,
 *   authorized by the same credential's headers: no Google library is required there, and
 *   `@google-cloud/resource-manager` would bring a second google-auth-library (it still uses
 *   gax 5). Its errors keep their response headers, so throttling waits out `Retry-After`.
 */
// Types only: the library (3.5 MB of generated protos) loads on the first GKE call, so that
// planning (which never lists clusters) does not pay for it at init.
import type { ClusterManagerClient, protos } from '@google-cloud/container';
import type { GcpTargets } from '../../config/scan-config.ts';
import { lazyAsync } from '../../lazy.ts';
import { CallTimeout, pause, RETRY_PAUSE_ALLOWANCE_MS, type RuntimeSettings } from '../runtime.ts';
import type { ReadSecret } from '../secrets.ts';
import { type GcpAuth, GcpCredentialError, gcpAuth, safeCause } from './credentials.ts';

/** The APIs the collector calls. */
export type GcpApi = 'container' | 'resourceManager';

/** Where each API is when the config does not override it. */
export const GCP_DEFAULT_ENDPOINTS: Readonly<Record<GcpApi, string>> = {
  container: 'https://container.googleapis.com',
  resourceManager: 'https://cloudresourcemanager.googleapis.com',
};

/** One REST call. */
export interface GcpRequest {
  api: GcpApi;
  method: 'GET' | 'POST';
  /** The path from the API's root, with the version (`/v1/projects/p/locations/-/clusters`). */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON (POST). */
  body?: unknown;
}

/** What GKE's `projects.locations.clusters.list` answers, as the library decodes it. */
export type ListClustersResponse = protos.google.container.v1.IListClustersResponse;

/** The collector's view of Google: authorized calls with retries and time limits. */
export interface GcpClient {
  /** Gets (or reuses) an access token, so that a credential failure is named before any call. */
  authorize(signal: AbortSignal): Promise<void>;
  /** One REST call; resolves to the parsed JSON answer, rejects with a named error. */
  json(request: GcpRequest, signal: AbortSignal): Promise<unknown>;
  /**
   * A project's GKE clusters over every location (`locations/-`), through
   * `ClusterManagerClient.listClusters`; rejects with a named error.
   */
  listClusters(project: string, signal: AbortSignal): Promise<ListClustersResponse>;
}

/**
 * Makes the scan's {@link GcpClient}: credentials are made once, on first use, and shared. A
 * failure to make them is not kept: the next call tries again.
 */
export interface GcpClientFactory {
  /** Rejects with {@link GcpCredentialError} when the credentials cannot be made. */
  client(): Promise<GcpClient>;
}

/** What a GCP collection takes from outside besides the config. */
export interface GcpDeps {
  /** Reads a service-account key stored in Secrets Manager (`credentials.secretArn`). */
  readSecret?: ReadSecret;
  /**
   * Test hook: authorize calls with this google-auth-library client instead of the configured
   * credentials (an `OAuth2Client` with `setCredentials({ access_token })`).
   */
  auth?: GcpAuth;
  /** Test hook: the fetch the REST calls use (default: the global fetch). */
  fetch?: typeof fetch;
}

/**
 * The `google.rpc.ErrorInfo` detail of an error answer (https://cloud.google.com/apis/design/errors):
 * why (`SERVICE_DISABLED`), and for a disabled API which service and which project
 * (`metadata.service`, `metadata.consumer`).
 */
export interface GoogleErrorInfo {
  reason?: string | undefined;
  domain?: string | undefined;
  /** `metadata.service`: the API concerned (`container.googleapis.com`). */
  service?: string | undefined;
  /** `metadata.consumer`: the project it concerns (`projects/123456789012`). */
  consumer?: string | undefined;
}

/** An API answered with an error status. */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  /** The HTTP status (0 when no answer came). */
  readonly status: number;
  /** Google's status name (`PERMISSION_DENIED`), when the answer carried one. */
  readonly code: string | undefined;
  /** The ErrorInfo `reason` (`SERVICE_DISABLED`), when the answer carried one. */
  readonly reason: string | undefined;
  /** The ErrorInfo `domain` (`googleapis.com`). */
  readonly domain: string | undefined;
  /** The ErrorInfo `metadata.service` (`container.googleapis.com`). */
  readonly service: string | undefined;
  /** The ErrorInfo `metadata.consumer` (`projects/123456789012`). */
  readonly consumer: string | undefined;
  /** Read by `failureText`, which appends the HTTP status as for AWS SDK errors. */
  readonly $metadata: { httpStatusCode: number };
  constructor(
    status: number,
    code: string | undefined,
    message: string,
    options?: { cause?: { name: string; code?: string | number }; info?: GoogleErrorInfo },
  ) {
    super(
      code ? `${code}: ${message}` : message,
      options?.cause ? { cause: options.cause } : undefined,
    );
    this.status = status;
    this.code = code;
    this.reason = options?.info?.reason;
    this.domain = options?.info?.domain;
    this.service = options?.info?.service;
    this.consumer = options?.info?.consumer;
    this.$metadata = { httpStatusCode: status };
  }
}

/** An API answered 2xx with a body that is not the JSON object it documents. */
export class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse';
}

/** HTTP statuses retried: throttling, and the server errors Google documents as transient. */
const RETRIED = new Set([408, 429, 500, 502, 503, 504]);
/**
 * gRPC codes retried (gax errors): DEADLINE_EXCEEDED (4), RESOURCE_EXHAUSTED (8, HTTP 429),
 * INTERNAL (13, HTTP 500) and UNAVAILABLE (14, HTTP 502/503 or no answer).
 */
const RETRIED_CODES = new Set([4, 8, 13, 14]);
/** gRPC status names by code, as Google's error JSON names them. */
const GRPC_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;
const BACKOFF_BASE_MS = 200;

/**
 * The default factory: credentials from the config and the GKE client (made on first use, shared
 * by every project), endpoint overrides, and per call up to `maxAttempts` attempts of at most
 * `callTimeoutMs` each; throttling, transient server errors, network failures and attempt
 * timeouts are retried, after `Retry-After` when the REST API sends one (at most 20 s), else
 * after a jittered exponential backoff.
 *
 * @example
 * const clients = gcpClientFactory(config.gcp, settings, { readSecret });
 * const gcp = gcpCollector(config.gcp, clients);
 */
export function gcpClientFactory(
  targets: GcpTargets,
  settings: RuntimeSettings,
  deps: GcpDeps = {},
): GcpClientFactory {
  // A failure is not kept: in a warm Lambda container the next scan tries again (a secret
  // fixed, a transient Secrets Manager error). The callers already waiting share it.
  return {
    client: lazyAsync(async () => {
      const auth =
        deps.auth ??
        (await gcpAuth(targets.credentials, targets.endpoints, { readSecret: deps.readSecret }));
      let gke: Promise<ClusterManagerClient> | undefined;
      const lazyGke = () => {
        gke ??= gkeClient(auth, targets.endpoints.container);
        return gke;
      };
      return googleClient(auth, lazyGke, targets.endpoints, settings, deps.fetch ?? fetch);
    }),
  };
}

/**
 * The GKE client in REST mode, authorized by `auth`, at the endpoint override if there is one
 * (`http://127.0.0.1:8080`: gax takes host, port and protocol apart, and needs the port, else
 * 443).
 *
 * @example const gke = await gkeClient(auth, 'http://127.0.0.1:8080');
 */
export async function gkeClient(
  auth: GcpAuth,
  endpoint: string | undefined,
): Promise<ClusterManagerClient> {
  const { ClusterManagerClient } = await import('@google-cloud/container');
  if (endpoint === undefined) return new ClusterManagerClient({ fallback: true, authClient: auth });
  const url = new URL(endpoint);
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search) {
    throw new Error(
      `endpoints.container must be scheme://host[:port], without a path: ${endpoint}`,
    );
  }
  const protocol = url.protocol.replace(/:$/, '');
  return new ClusterManagerClient({
    fallback: true,
    authClient: auth,
    apiEndpoint: url.hostname,
    port: Number(url.port || (protocol === 'http' ? 80 : 443)),
    protocol,
  });
}

/** One attempt's outcome: the value, or the error and whether another attempt may succeed. */
type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown; retry: boolean };

function googleClient(
  auth: GcpAuth,
  gke: () => Promise<ClusterManagerClient>,
  endpoints: GcpTargets['endpoints'],
  settings: RuntimeSettings,
  doFetch: typeof fetch,
): GcpClient {
  const root = (api: GcpApi) => (endpoints[api] ?? GCP_DEFAULT_ENDPOINTS[api]).replace(/\/+$/, '');
  const headers = async (url: string): Promise<Headers> => {
    try {
      return new Headers(await auth.getRequestHeaders(url));
    } catch (err) {
      if (err instanceof GcpCredentialError) throw err;
      throw new GcpCredentialError(`no access token: ${oneLine(err)}`, { cause: safeCause(err) });
    }
  };
  return {
    authorize: async () => {
      await headers(`${root('resourceManager')}/`);
    },
    json: (request, signal) => {
      const url = new URL(`${root(request.api)}${request.path}`);
      for (const [k, v] of Object.entries(request.query ?? {})) {
        if (v !== undefined) url.searchParams.set(k, v);
      }
      const what = `${request.method} ${url.pathname}`;
      return retrying(settings, signal, async (): Promise<Attempt<unknown>> => {
        const timeout = AbortSignal.timeout(settings.callTimeoutMs);
        try {
          const h = await headers(url.href);
          h.set('accept', 'application/json');
          if (request.body !== undefined) h.set('content-type', 'application/json');
          const response = await doFetch(url, {
            method: request.method,
            headers: h,
            ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
            signal: AbortSignal.any([signal, timeout]),
          });
          const text = await response.text();
          if (!response.ok) {
            const error = apiError(response.status, text, response.headers.get('retry-after'));
            return { ok: false, error, retry: RETRIED.has(response.status) };
          }
          return { ok: true, value: parseObject(text, what) };
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          if (timeout.aborted) {
            const error = new CallTimeout(
              `${what} did not answer within ${settings.callTimeoutMs / 1000} s`,
            );
            return { ok: false, error, retry: true };
          }
          if (err instanceof MalformedResponse || err instanceof GcpCredentialError) throw err;
          // A connection refused, reset or cut off: transient, retried.
          const error = new GoogleApiError(0, 'UNAVAILABLE', `${what} failed: ${oneLine(err)}`, {
            cause: safeCause(err),
          });
          return { ok: false, error, retry: true };
        }
      });
    },
    listClusters: (project, signal) => {
      const parent = `projects/${project}/locations/-`;
      const what = `GET /v1/${parent}/clusters`;
      return retrying(settings, signal, async (): Promise<Attempt<ListClustersResponse>> => {
        try {
          const [response] = await (await gke()).listClusters(
            { parent },
            // No gax retries (the loop here retries), one attempt's time limit, and the
            // runtime's signal, which cancels the call in flight.
            { retry: null, timeout: settings.callTimeoutMs, signal },
          );
          return { ok: true, value: response };
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          return gaxAttempt(err, what, settings);
        }
      });
    },
  };
}

/**
 * Up to `maxAttempts` attempts, pausing between them (Retry-After or backoff); a failure not
 * worth retrying, or the last one, is thrown.
 */
async function retrying<T>(
  settings: RuntimeSettings,
  signal: AbortSignal,
  attempt: () => Promise<Attempt<T>>,
): Promise<T> {
  let last: unknown;
  for (let n = 1; n <= settings.maxAttempts; n++) {
    if (n > 1) await pause(retryDelay(last, n), signal);
    const outcome = await attempt();
    if (outcome.ok) return outcome.value;
    last = outcome.error;
    if (!outcome.retry) throw last;
  }
  throw last;
}

/**
 * A failed gax call as a named error, by its gRPC `code`. gax's errors carry no response
 * headers, so a throttled GKE call cannot wait out `Retry-After`: it is retried after the
 * jittered backoff. The gax error is not kept as the cause: its own cause is the HTTP library's
 * error, whose request configuration holds the `Authorization` header.
 */
function gaxAttempt(err: unknown, what: string, settings: RuntimeSettings): Attempt<never> {
  const e = (err ?? {}) as {
    code?: unknown;
    httpStatusCode?: unknown;
    cause?: unknown;
    reason?: unknown;
    domain?: unknown;
    errorInfoMetadata?: unknown;
  };
  const code = typeof e.code === 'number' ? e.code : 2;
  const status = typeof e.httpStatusCode === 'number' ? e.httpStatusCode : 0;
  if (status === 0 && code === 4) {
    // gax's per-call deadline (`timeout`) ran out.
    const error = new CallTimeout(
      `${what} did not answer within ${settings.callTimeoutMs / 1000} s`,
    );
    return { ok: false, error, retry: true };
  }
  if (status === 0 && e.cause instanceof SyntaxError) {
    // gax reports a 2xx body it cannot parse as UNAVAILABLE, with the SyntaxError as cause.
    return {
      ok: false,
      error: new MalformedResponse(`${what} answered a body that is not JSON`),
      retry: false,
    };
  }
  const name = GRPC_CODES[code] ?? 'UNKNOWN';
  const first = firstLine(err);
  const message = status === 0 ? `${what} failed: ${first}` : first;
  // gax promotes the answer's ErrorInfo detail to `reason`, `domain` and `errorInfoMetadata`.
  const info = errorInfo(e.reason, e.domain, e.errorInfoMetadata);
  return {
    ok: false,
    error: new GoogleApiError(status, name, message, info ? { info } : {}),
    retry: RETRIED_CODES.has(code),
  };
}

/** An ErrorInfo's fields, as strings, or `undefined` when it has no reason. */
function errorInfo(
  reason: unknown,
  domain: unknown,
  metadata: unknown,
): GoogleErrorInfo | undefined {
  if (typeof reason !== 'string' || !reason) return undefined;
  const m = (metadata && typeof metadata === 'object' ? metadata : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    reason,
    domain: text(domain),
    service: text(m.service),
    consumer: text(m.consumer),
  };
}

const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';

/**
 * The error of a non-2xx answer, from Google's error JSON
 * (`{ error: { code, message, status, details: [{ '@type': '...ErrorInfo', reason, ... }] } }`).
 */
function apiError(status: number, body: string, retryAfter: string | null): GoogleApiError {
  let code: string | undefined;
  let message = `HTTP ${status}`;
  let info: GoogleErrorInfo | undefined;
  try {
    const e = (
      JSON.parse(body) as { error?: { message?: unknown; status?: unknown; details?: unknown } }
    ).error;
    if (typeof e?.status === 'string') code = e.status;
    if (typeof e?.message === 'string' && e.message) message = e.message.split('\n')[0] ?? message;
    const detail = (Array.isArray(e?.details) ? e.details : []).find(
      (d): d is Record<string, unknown> =>
        !!d && typeof d === 'object' && (d as Record<string, unknown>)['@type'] === ERROR_INFO_TYPE,
    );
    if (detail) info = errorInfo(detail.reason, detail.domain, detail.metadata);
  } catch {
    // Not Google's error JSON (a proxy's HTML page): the status says it.
  }
  const err = new GoogleApiError(status, code, message, info ? { info } : {});
  if (retryAfter !== null) retryAfters.set(err, retryAfter);
  return err;
}

const retryAfters = new WeakMap<object, string>();

/** How long to wait before attempt `attempt`: the API's Retry-After, else jittered backoff. */
function retryDelay(last: unknown, attempt: number): number {
  const header = last && typeof last === 'object' ? retryAfters.get(last) : undefined;
  if (header !== undefined) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), RETRY_PAUSE_ALLOWANCE_MS);
  }
  const cap = Math.min(RETRY_PAUSE_ALLOWANCE_MS, BACKOFF_BASE_MS * 2 ** (attempt - 2));
  return cap / 2 + Math.random() * (cap / 2);
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedResponse(`${what} answered a body that is not JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedResponse(`${what} answered JSON that is not an object`);
  }
  return value as Record<string, unknown>;
}

/** The first line of an error's message. */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim() || 'no message';
}

/** An error's name and first line, with the system error code under it (`ECONNREFUSED`). */
function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err).split('\n')[0] ?? '';
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  const first = err.message.split('\n')[0] ?? '';
  return `${err.name}: ${first}${typeof code === 'string' ? ` (${code})` : ''}`;
}
