/**
 * One page of one list from a cluster's API server, through `@kubernetes/client-node`: its
 * `KubeConfig` applies the server's CA and the bearer token (and keeps one TLS connection pool per
 * server), its HTTP library sends the request. The answer's JSON is kept as the API server sent
 * it: the library's typed models would turn timestamps into `Date`s and drop fields they do not
 * know, and CONTRACTS §1 stores objects as the API server returns them.
 *
 * Errors name the server, the status and the API server's own `Status` reason and message;
 * never the token.
 */
import { lazyAsync } from '../../lazy.ts';
import type { KindList } from './kinds.ts';
import { listPath } from './kinds.ts';

/** An API server to read. */
export interface ApiServer {
  /** `https://host[:port]` (a path prefix is kept). */
  server: string;
  /** Its CA bundle, base64 PEM; absent: the system CAs. */
  caData?: string;
}

/** The API server answered an error `Status` (401, 403, 404, 410, 429, 5xx). */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  readonly status: number;
  /** The `Status` reason (`Forbidden`, `Expired`, `Unauthorized`). */
  readonly reason: string | undefined;
  /** Seconds the server asks to wait (`Retry-After`), for 429 and 503. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    message: string,
    details: {
      status: number;
      reason?: string | undefined;
      retryAfterSeconds?: number | undefined;
    },
  ) {
    super(message);
    this.status = details.status;
    this.reason = details.reason;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** The API server could not be reached (DNS, connection, TLS): a private endpoint, a firewall. */
export class ApiServerUnreachable extends Error {
  override readonly name = 'ApiServerUnreachable';
  /** The system error code (`ECONNREFUSED`, `ENOTFOUND`, a TLS code), when there is one. */
  readonly code: string | undefined;
  constructor(message: string, options: { cause?: unknown; code?: string | undefined } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code;
  }
}

/** The answer is not a Kubernetes list. */
export class MalformedList extends Error {
  override readonly name = 'MalformedList';
}

/** One page of a list: its items (as sent, without `kind` and `apiVersion`) and the next token. */
export interface ListPage {
  items: unknown[];
  continue?: string;
}

/** Reads pages of lists from one API server. */
export interface KubernetesApi {
  /**
   * One page of a cluster-wide list.
   *
   * @example const page = await api.list(KIND_LISTS[0], token, { limit: 500 }, signal);
   */
  list(
    kind: KindList,
    token: string,
    query: {
      limit: number;
      continue?: string;
      /**
       * Told the next page's `continue` token as soon as the answer is in, before its JSON is
       * parsed, so that the next page can be asked for while this one is parsed. The token is
       * read from the list's `metadata`, which API servers write before `items`; the caller
       * checks it against the parsed page before using what it fetched.
       */
      onNext?: (token: string) => void;
    },
    signal: AbortSignal,
  ): Promise<ListPage>;
}

type ClientNode = typeof import('@kubernetes/client-node');
/** The library is loaded on the first list: a scan without clusters never pays its start-up. */
const loadClientNode = lazyAsync((): Promise<ClientNode> => import('@kubernetes/client-node'));

const hostOf = (server: string) => {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
};

/**
 * The most one page may weigh: a page of 500 large objects is a few MB; a server that sends more
 * (a hostile or broken one) is refused before it can exhaust the function's memory.
 */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** The body as text, refused past {@link MAX_PAGE_BYTES}. */
async function boundedText(
  stream: ReadableStream<Uint8Array> | null | undefined,
  host: string,
  limit: number,
): Promise<string> {
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new MalformedList(`the API server ${host} sent a page larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * The `continue` token of a list answer, read from the text before `items` (where API servers
 * write the list's `metadata`); `undefined` when it is not there.
 *
 * @example peekContinue('{"kind":"PodList","metadata":{"continue":"abc"},"items":[]}') // 'abc'
 */
export function peekContinue(text: string): string | undefined {
  const items = text.indexOf('"items"');
  const head = items >= 0 ? text.slice(0, Math.min(items, 8192)) : '';
  return /"continue"\s*:\s*"([A-Za-z0-9_\-=.~+/]+)"/.exec(head)?.[1];
}

/** The first line of a `Status` answer's message, and its reason. */
function statusOf(text: string): { message?: string; reason?: string } {
  try {
    const s = JSON.parse(text) as { kind?: unknown; message?: unknown; reason?: unknown };
    return {
      ...(typeof s.message === 'string'
        ? { message: s.message.split('\n')[0]!.slice(0, 300) }
        : {}),
      ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
    };
  } catch {
    return {};
  }
}

/** The system error code under a fetch failure (`ECONNREFUSED`, `ENOTFOUND`, a TLS code). */
function networkCode(err: unknown): string | undefined {
  for (let c: unknown = err; c instanceof Error; c = c.cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && !code.startsWith('ABORT')) {
      return code;
    }
  }
  return undefined;
}

/**
 * The API of one server. A new `KubeConfig` is made when the token changes (a refreshed EKS
 * token), so the token in use is always the one passed; every page with one token shares one
 * connection pool.
 *
 * @example
 * const api = kubernetesApi({ server: 'https://10.0.0.1', caData });
 * const { items, continue: next } = await api.list(KIND_LISTS[2], token, { limit: 500 }, signal);
 */
export function kubernetesApi(
  target: ApiServer,
  options: { maxPageBytes?: number } = {},
): KubernetesApi {
  const maxPageBytes = options.maxPageBytes ?? MAX_PAGE_BYTES;
  const host = hostOf(target.server);
  const base = target.server.replace(/\/+$/, '');
  /**
   * What `KubeConfig` applies to a request for one token: its headers (the bearer token) and its
   * dispatcher (the CA). Captured once per token and reused, so that every page of the cluster
   * goes over the same TLS connection pool: the library makes a new dispatcher each time it is
   * asked, which would cost a TLS handshake per page.
   */
  type Applied = { headers: Record<string, string>; dispatcher: unknown };
  let current: { token: string; applied: Promise<Applied> } | undefined;

  const appliedFor = (k8s: ClientNode, token: string): Promise<Applied> => {
    if (current?.token === token) return current.applied;
    const previous = current?.applied;
    const applied = (async () => {
      const config = new k8s.KubeConfig();
      config.loadFromOptions({
        clusters: [
          {
            name: 'cluster',
            server: base,
            ...(target.caData ? { caData: target.caData } : {}),
            skipTLSVerify: false,
          },
        ],
        users: [{ name: 'pci-posture', token }],
        contexts: [{ name: 'pci-posture', cluster: 'cluster', user: 'pci-posture' }],
        currentContext: 'pci-posture',
      });
      const probe = new k8s.RequestContext(base, k8s.HttpMethod.GET);
      await config.applySecurityAuthentication(probe);
      return { headers: { ...probe.getHeaders() }, dispatcher: probe.getDispatcher() };
    })();
    current = { token, applied };
    // The old token's connections close once their requests are done.
    previous?.then(
      (p) =>
        (p.dispatcher as { close?: () => Promise<void> } | undefined)?.close?.().catch(() => {}),
      () => {},
    );
    applied.catch(() => {
      if (current?.applied === applied) current = undefined;
    });
    return applied;
  };

  return {
    async list(kind, token, query, signal) {
      const k8s = await loadClientNode();
      const applied = await appliedFor(k8s, token);
      const url = new URL(`${base}${listPath(kind)}`);
      url.searchParams.set('limit', String(query.limit));
      if (query.continue) url.searchParams.set('continue', query.continue);
      const request = new k8s.RequestContext(url.toString(), k8s.HttpMethod.GET);
      for (const [name, value] of Object.entries(applied.headers)) {
        request.setHeaderParam(name, value);
      }
      request.setHeaderParam('Accept', 'application/json');
      request.setSignal(signal);
      if (applied.dispatcher) {
        request.setDispatcher(applied.dispatcher as Parameters<typeof request.setDispatcher>[0]);
      }
      let status: number;
      let headers: Record<string, string>;
      let text: string;
      try {
        const response = await new k8s.IsomorphicFetchHttpLibrary().send(request).toPromise();
        status = response.httpStatusCode;
        headers = response.headers;
        text = await boundedText(response.body.stream(), host, maxPageBytes);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (err instanceof MalformedList) throw err;
        const code = networkCode(err);
        throw new ApiServerUnreachable(
          `the API server ${host} could not be reached${code ? ` (${code})` : ''}: a private endpoint needs the collector in a network that routes to it`,
          { cause: err, code },
        );
      }
      if (status < 200 || status >= 300) {
        // An API server (or a proxy before it) that quotes the request must not put the token in
        // what is recorded.
        const s = statusOf(token.length >= 8 ? text.replaceAll(token, '[REDACTED]') : text);
        const retryAfter = Number(headers['retry-after']);
        throw new KubernetesApiError(
          `${s.reason ?? 'HTTP error'}: ${s.message ?? `the API server ${host} answered ${status}`} (HTTP ${status})`,
          {
            status,
            reason: s.reason,
            retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
          },
        );
      }
      const peeked = peekContinue(text);
      if (peeked) query.onNext?.(peeked);
      let page: { items?: unknown; metadata?: { continue?: unknown } };
      try {
        page = JSON.parse(text) as typeof page;
      } catch (cause) {
        throw new MalformedList(`the API server ${host} answered ${listPath(kind)} with no JSON`, {
          cause,
        });
      }
      if (!Array.isArray(page?.items)) {
        throw new MalformedList(`the API server ${host} answered ${listPath(kind)} without items`);
      }
      const next = page.metadata?.continue;
      return {
        items: page.items,
        ...(typeof next === 'string' && next !== '' ? { continue: next } : {}),
      };
    },
  };
}
