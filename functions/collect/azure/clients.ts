/**
 * The Azure Resource Manager reads the collector makes, behind one injectable factory: tests and
 * the bench point it at a local server; users point it at a sovereign cloud from the config.
 *
 * Each read returns one page of a list as ARM's wire JSON (`{ value: [...], nextLink }`), parsed
 * from the response text: the SDK models flatten `properties` and rename fields (`enableRBAC`
 * becomes `enableRbac`), and the inventory stores what `az rest` shows. The first page is the
 * SDK's own operation (its path and api-version); a next page is the `nextLink` ARM answered,
 * sent through the same client pipeline (bearer token, retries, TLS), as the SDK itself does.
 *
 * Retries are the pipeline's: `maxAttempts - 1` retries, 429/503 after their `Retry-After`,
 * 408 and 5xx (but 501, 505) and connection failures with jittered exponential backoff (each
 * pause at most 20 s, the runtime's allowance). Each attempt is limited to `callTimeoutMs` (and
 * retried when it runs out); the runtime's abort signal ends the whole call.
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import {
  type ContainerServiceContext,
  createContainerService,
} from '@azure/arm-containerservice/api';
import {
  listClusterUserCredentials,
  list as listManagedClusters,
} from '@azure/arm-containerservice/api/managedClusters';
import {
  createSubscription,
  type SubscriptionContext,
} from '@azure/arm-resources-subscriptions/api';
import { list as listSubscriptions } from '@azure/arm-resources-subscriptions/api/subscriptions';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { AzureTargets } from '../../config/scan-config.ts';
import { TOOL } from '../../tool.ts';
import { CallTimeout, RETRY_PAUSE_ALLOWANCE_MS, type RuntimeSettings } from '../runtime.ts';
import type { ReadSecret } from '../secrets.ts';
import { type AzureCredential, azureCredential } from './credentials.ts';

/** Which page of a list to read: the first (no `nextLink`) or the one ARM linked to. */
export interface ArmPageRequest {
  nextLink?: string | undefined;
  /** Aborts the read (the runtime's per-call signal). */
  signal: AbortSignal;
}

/**
 * The ARM reads the Azure collector makes; each returns one page as ARM's wire JSON (not yet
 * checked) and throws {@link ArmRequestFailed}, {@link ArmAnswerUnreadable} or an
 * authentication error whose text holds no secret.
 */
export interface AzureClientFactory {
  /** The origin of the ARM endpoint: a `nextLink` elsewhere is not followed. */
  readonly armOrigin: string;
  /** Subscriptions_List: the subscriptions the identity can see. */
  listSubscriptions(page: ArmPageRequest): Promise<unknown>;
  /** ManagedClusters_List in one subscription. */
  listManagedClusters(subscription: string, page: ArmPageRequest): Promise<unknown>;
  /**
   * ManagedClusters_ListClusterUserCredentials with `format=exec`: for a cluster with Microsoft
   * Entra ID integration, a kubeconfig holding the API server and its CA and no secret (the
   * Kubernetes collector reads only those two). Never called for a cluster without Entra ID.
   */
  listClusterUserCredentials(
    cluster: { subscription: string; resourceGroup: string; name: string },
    signal: AbortSignal,
  ): Promise<unknown>;
  /** RoleAssignments_ListForScope at the subscription with `$filter=atScope()`. */
  listRoleAssignments(subscription: string, page: ArmPageRequest): Promise<unknown>;
  /** RoleDefinitions_List at the subscription with `$filter=type eq 'CustomRole'`. */
  listRoleDefinitions(subscription: string, page: ArmPageRequest): Promise<unknown>;
}

/** What the Azure clients need from outside; tests inject each. */
export interface AzureDeps {
  /** Reads a Secrets Manager secret by ARN (certificate PEM, client secret). */
  readSecret?: ReadSecret;
  /** The AWS web identity token for an audience; default: STS GetWebIdentityToken. */
  webIdentityToken?: (audience: string) => Promise<string>;
  /** A PEM CA bundle trusted for ARM and the authority host (a test CA). */
  tlsCa?: string;
  /** Where `credentials.env` is read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The first retry pause in ms (default 1000; tests shorten it). */
  retryDelayMs?: number;
}

/** ARM answered an error status; the message is ARM's error code and message. */
export class ArmRequestFailed extends Error {
  override readonly name = 'ArmRequestFailed';
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(
    message: string,
    options: { cause?: unknown; status?: number | undefined; code?: string | undefined },
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
  }
}

/** ARM answered success with a body that is not the JSON it documents. */
export class ArmAnswerUnreadable extends Error {
  override readonly name = 'ArmAnswerUnreadable';
}

/** No token could be had from Microsoft Entra ID (or the secret material was unreadable). */
export class AzureAuthenticationFailed extends Error {
  override readonly name = 'AzureAuthenticationFailed';
}

const AUTH_ERRORS = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
  'AzureCredentialUnavailable',
  'SecretReadError',
]);

const PLACEHOLDER_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

interface RawResponse {
  status: number;
  bodyAsText?: string | null;
}

/** The ARM scope of an endpoint: `<origin>/.default` (the audience Entra issues ARM tokens for). */
function armScope(endpoint: string): string {
  return `${new URL(endpoint).origin}/.default`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

function parseBody(text: string | null | undefined, status: number): unknown {
  if (!text) throw new ArmAnswerUnreadable(`the answer has no body (HTTP ${status})`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ArmAnswerUnreadable(`the answer is not the JSON ARM documents (HTTP ${status})`, {
      cause,
    });
  }
}

/** An ARM error body's `error.code` and `error.message`, when the text is one. */
function armError(text: string | null | undefined): { code?: string; message?: string } {
  try {
    const e = (JSON.parse(text ?? '') as { error?: { code?: unknown; message?: unknown } }).error;
    return {
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(typeof e?.message === 'string' ? { message: e.message } : {}),
    };
  } catch {
    return {};
  }
}

function statusFailure(
  status: number,
  text: string | null | undefined,
  cause?: unknown,
  fallback: { code?: string; message?: string } = {},
) {
  const parsed = armError(text);
  // The modular SDKs hand back the parsed body only: their error carries its code and message.
  const e = parsed.code ? parsed : fallback;
  const what = e.code ? `${e.code}: ${firstLine(e.message ?? '')}` : 'ARM answered an error';
  return new ArmRequestFailed(`${what} (HTTP ${status})`, { cause, status, code: e.code });
}

/** The code an attempt that ran out of time fails with: the pipeline retries it (a system error). */
const ATTEMPT_TIMED_OUT = 'ETIMEDOUT';

/**
 * A per-attempt time limit, inside the pipeline's retry loop. The SDK's own request `timeout`
 * aborts the request, and the retry policy never retries an abort: this one fails the attempt
 * with a retryable error instead, so a hung attempt is retried like a dropped connection.
 */
function attemptTimeoutPolicy(ms: number): PipelinePolicy {
  return {
    name: 'pciPostureAttemptTimeout',
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const timer = new AbortController();
      const t = setTimeout(() => timer.abort(), ms);
      request.abortSignal = outer
        ? AbortSignal.any([outer as AbortSignal, timer.signal])
        : timer.signal;
      try {
        return await next(request);
      } catch (cause) {
        if (!timer.signal.aborted || outer?.aborted) throw cause;
        // Named RestError so that the retry policy looks at it (it rethrows anything else).
        throw Object.assign(new Error(`ARM did not answer within ${ms / 1000} s`, { cause }), {
          name: 'RestError',
          code: ATTEMPT_TIMED_OUT,
        });
      } finally {
        clearTimeout(t);
        request.abortSignal = outer;
      }
    },
  };
}

/**
 * An SDK or pipeline error as one the collector may record: ARM's code and message with the
 * status, or the authentication failure's first line, with every secret value scrubbed. Aborts,
 * timeouts and network errors pass through (the runtime names them).
 */
function safeFailure(err: unknown, credential: AzureCredential): unknown {
  if (err instanceof ArmRequestFailed || err instanceof ArmAnswerUnreadable) return err;
  if (!(err instanceof Error)) return err;
  if (AUTH_ERRORS.has(err.name)) {
    // @azure/identity wraps what the assertion callback threw: name the original when it is ours.
    let named: Error = err;
    for (let c: unknown = err.cause; c instanceof Error; c = c.cause) {
      if (c.name === 'AzureCredentialUnavailable' || c.name === 'SecretReadError') named = c;
    }
    return new AzureAuthenticationFailed(
      credential.scrub(`${named.name}: ${firstLine(named.message)}`),
      { cause: err },
    );
  }
  const e = err as Error & {
    statusCode?: number;
    code?: string;
    response?: { status?: number; bodyAsText?: string | null };
  };
  if (e.name === 'RestError' && e.code === ATTEMPT_TIMED_OUT) {
    return new CallTimeout(`${e.message}, in each of its attempts`, { cause: err });
  }
  const status = e.statusCode ?? e.response?.status;
  if (status !== undefined && (status < 200 || status >= 300)) {
    return statusFailure(status, e.response?.bodyAsText, err, {
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      message: e.message,
    });
  }
  if (e.code === 'PARSE_ERROR' || (status !== undefined && /pars/i.test(e.message))) {
    return new ArmAnswerUnreadable(
      `the answer is not the JSON ARM documents${status ? ` (HTTP ${status})` : ''}`,
      { cause: err },
    );
  }
  return err;
}

/**
 * The default factory: the SDK clients of `@azure/arm-resources-subscriptions` (Subscriptions
 * 2022-12-01), `@azure/arm-containerservice` (ManagedClusters 2026-06-01) and
 * `@azure/arm-authorization` (role assignments and definitions 2022-04-01), one of each shared by
 * every subscription (one pipeline, one token cache), against `cloud.resourceManager` with tokens
 * for `<resourceManager origin>/.default` from the configured credential.
 *
 * @example
 * const clients = azureClientFactory(config.azure, settings, { readSecret });
 * const page = await clients.listManagedClusters('00000000-0000-0000-0000-000000000000', { signal });
 */
export function azureClientFactory(
  targets: AzureTargets,
  settings: RuntimeSettings,
  deps: AzureDeps = {},
): AzureClientFactory {
  const credential = azureCredential(targets, settings, deps);
  const endpoint = targets.cloud.resourceManager.replace(/\/+$/, '');
  const scope = armScope(endpoint);
  const common = {
    endpoint,
    retryOptions: {
      maxRetries: Math.max(0, settings.maxAttempts - 1),
      maxRetryDelayInMs: RETRY_PAUSE_ALLOWANCE_MS,
      ...(deps.retryDelayMs !== undefined ? { retryDelayInMs: deps.retryDelayMs } : {}),
    },
    ...(deps.tlsCa ? { tlsOptions: { ca: deps.tlsCa } } : {}),
    userAgentOptions: { userAgentPrefix: `${TOOL.name}/${TOOL.version}` },
  };
  const timeout = settings.callTimeoutMs;

  // Made on first use, then shared: a scan of GCP alone never builds them.
  let subscriptions: SubscriptionContext | undefined;
  let containers: ContainerServiceContext | undefined;
  let authorization: AuthorizationManagementClient | undefined;
  const limited = <C extends { pipeline: { addPolicy: (p: PipelinePolicy, o: object) => void } }>(
    client: C,
  ) => {
    client.pipeline.addPolicy(attemptTimeoutPolicy(timeout), { afterPhase: 'Retry' });
    return client;
  };
  const subscriptionClient = () =>
    (subscriptions ??= limited(
      createSubscription(credential, { ...common, credentials: { scopes: [scope] } }),
    ));
  const containerClient = () =>
    (containers ??= limited(
      createContainerService(credential, PLACEHOLDER_SUBSCRIPTION, {
        ...common,
        credentials: { scopes: [scope] },
      }),
    ));
  // Its subscription id is used by none of the operations called (they take a scope).
  const authorizationClient = () =>
    (authorization ??= limited(
      new AuthorizationManagementClient(credential, PLACEHOLDER_SUBSCRIPTION, {
        ...common,
        credentialScopes: [scope],
      }),
    ));

  /** Runs one SDK request and returns the body it received, parsed, or a safe error. */
  const raw = async (send: (onResponse: (r: RawResponse) => void) => Promise<unknown>) => {
    let response: RawResponse | undefined;
    try {
      await send((r) => {
        response = r;
      });
    } catch (err) {
      throw safeFailure(err, credential);
    }
    if (!response) throw new ArmAnswerUnreadable('the SDK handed back no response');
    return parseBody(response.bodyAsText, response.status);
  };

  /** A next page of a list made by a modular (TypeSpec) client: its nextLink, sent as is. */
  const nextPage = async (
    client: { pathUnchecked: SubscriptionContext['pathUnchecked'] },
    nextLink: string,
    signal: AbortSignal,
  ) => {
    let response: RawResponse | undefined;
    try {
      await client.pathUnchecked(nextLink).get({
        abortSignal: signal,
        onResponse: (r) => {
          response = r;
        },
      });
    } catch (err) {
      throw safeFailure(err, credential);
    }
    if (!response) throw new ArmAnswerUnreadable('the SDK handed back no response');
    if (response.status !== 200) throw statusFailure(response.status, response.bodyAsText);
    return parseBody(response.bodyAsText, response.status);
  };

  const options = (signal: AbortSignal, onResponse: (r: RawResponse) => void) => ({
    abortSignal: signal,
    onResponse,
  });

  return {
    armOrigin: new URL(endpoint).origin,
    listSubscriptions: ({ nextLink, signal }) =>
      nextLink
        ? nextPage(subscriptionClient(), nextLink, signal)
        : raw((on) => listSubscriptions(subscriptionClient(), options(signal, on)).byPage().next()),
    listManagedClusters: (subscription, { nextLink, signal }) => {
      const context = { ...containerClient(), subscriptionId: subscription };
      return nextLink
        ? nextPage(context, nextLink, signal)
        : raw((on) => listManagedClusters(context, options(signal, on)).byPage().next());
    },
    listClusterUserCredentials: (cluster, signal) =>
      raw((on) =>
        listClusterUserCredentials(
          { ...containerClient(), subscriptionId: cluster.subscription },
          cluster.resourceGroup,
          cluster.name,
          { format: 'exec', ...options(signal, on) },
        ),
      ),
    listRoleAssignments: (subscription, { nextLink, signal }) =>
      raw((on) =>
        authorizationClient()
          .roleAssignments.listForScope(`subscriptions/${subscription}`, {
            // At the subscription and above (management groups, root): every assignment that
            // applies to the whole subscription, which is what the checks judge. Assignments
            // below it (resource groups, resources) are left out: no check fails them.
            filter: 'atScope()',
            ...options(signal, on),
          })
          .byPage(nextLink ? { continuationToken: nextLink } : undefined)
          .next(),
      ),
    listRoleDefinitions: (subscription, { nextLink, signal }) =>
      raw((on) =>
        authorizationClient()
          .roleDefinitions.list(`subscriptions/${subscription}`, {
            // Built-in roles are Microsoft's (the checks skip them, and compare assignments by
            // role id): only the custom roles are read.
            filter: "type eq 'CustomRole'",
            ...options(signal, on),
          })
          .byPage(nextLink ? { continuationToken: nextLink } : undefined)
          .next(),
      ),
  };
}
