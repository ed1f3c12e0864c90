/**
 * What every collector shares: one pool of API calls in flight (bounded concurrency over all
 * providers and scopes), an overall time budget, a per-call time limit, paging with a guard
 * against pages that never end, and failures turned into inventory `errors`.
 *
 * Retries on throttling and 5xx are the clients' own (the AWS SDK's adaptive retry mode with
 * jittered backoff, `maxAttempts` from the config); the budget bounds them all.
 */
import pLimit from 'p-limit';
import type { CollectionError, Provider, Resource, Scope } from '../../checks/types.ts';

/** What one scan unit (an account, a project, a subscription, a cluster) collected. */
export interface Collected {
  resources: Resource[];
  errors: CollectionError[];
  /**
   * The clusters whose Kubernetes APIs this part read (or tried to: what failed is in `errors`),
   * by `scope.cluster`. A cluster found that no part names was not read at all.
   */
  clusters?: string[];
}

/** The settings a collection runs with (from the config's `collection` section). */
export interface RuntimeSettings {
  /** API calls in flight at once, over everything. */
  concurrency: number;
  /** Time limit of one attempt of one call, in ms. */
  callTimeoutMs: number;
  /** Attempts per call, for clients that retry. */
  maxAttempts: number;
  /** Overall collection time, in ms: calls not done by then fail with a budget error. */
  budgetMs: number;
}

/** A call was not made or not finished because the collection budget ran out. */
export class BudgetExceeded extends Error {
  override readonly name = 'BudgetExceeded';
}

/** A call took longer than its time limit (all its attempts). */
export class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
}

/** A paged API answered with a page that cannot be followed (a repeated or endless token). */
export class MalformedPage extends Error {
  override readonly name = 'MalformedPage';
  /** The items of the good pages before the bad one: what they prove still counts. */
  readonly partial: readonly unknown[];
  constructor(message: string, partial: readonly unknown[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.partial = partial;
  }
}

/** What a call's time limit allows for the clients' pauses between attempts, per retry. */
export const RETRY_PAUSE_ALLOWANCE_MS = 20_000;

/** Pages followed at most for one listing, so that a broken API cannot keep a scan forever. */
export const MAX_PAGES = 1000;

/**
 * The shared runtime of one collection: the call pool, the budget, and call counts.
 *
 * @example
 * const rt = new CollectRuntime({ concurrency: 8, callTimeoutMs: 20_000, maxAttempts: 5, budgetMs: 840_000 });
 * const out = await rt.call('eks:ListClusters', (signal) => eks.send(cmd, { abortSignal: signal }));
 */
export class CollectRuntime {
  readonly settings: RuntimeSettings;
  /** Aborted when the budget runs out. */
  readonly budget: AbortSignal;
  /** Calls made, by operation name (`eks:DescribeCluster`). */
  readonly calls = new Map<string, number>();
  private readonly pool: ReturnType<typeof pLimit>;
  private readonly timer: NodeJS.Timeout;
  private readonly controller = new AbortController();

  constructor(settings: RuntimeSettings) {
    this.settings = settings;
    this.pool = pLimit(settings.concurrency);
    this.budget = this.controller.signal;
    this.timer = setTimeout(
      () =>
        this.controller.abort(
          new BudgetExceeded(`collection budget of ${settings.budgetMs / 1000} s ran out`),
        ),
      settings.budgetMs,
    );
    this.timer.unref();
  }

  /** Total calls made. */
  get callCount(): number {
    let n = 0;
    for (const c of this.calls.values()) n += c;
    return n;
  }

  /**
   * Runs one API call in the pool. `fn` gets a signal that aborts on the budget or when the call
   * (all its attempts) exceeds `callTimeoutMs * maxAttempts`; pass it to the client.
   *
   * @example await rt.call('iam:GetAccountSummary', (s) => iam.send(new GetAccountSummaryCommand({}), { abortSignal: s }));
   */
  call<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.pool(async () => {
      if (this.budget.aborted) throw this.budget.reason;
      this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
      // Every attempt may take its time limit, and the SDK waits up to 20 s between attempts
      // (while throttled), so a throttled call ends as throttled, not as a timeout.
      const limitMs =
        this.settings.callTimeoutMs * this.settings.maxAttempts +
        RETRY_PAUSE_ALLOWANCE_MS * (this.settings.maxAttempts - 1);
      const timeout = new AbortController();
      const timer = setTimeout(
        () =>
          timeout.abort(new CallTimeout(`${operation} did not answer within ${limitMs / 1000} s`)),
        limitMs,
      );
      const signal = AbortSignal.any([this.budget, timeout.signal]);
      // A client that ignores the signal still cannot hold the scan: the race ends the wait.
      const stop = aborted(signal);
      try {
        return await Promise.race([fn(signal), stop.promise]);
      } catch (err) {
        // The SDK reports an abort as its own AbortError: name the reason instead.
        throw signal.aborted ? signal.reason : err;
      } finally {
        clearTimeout(timer);
        // Its listener would keep the combined signal, and through the race what the call
        // returned, alive for as long as the budget's signal lives (a warm function's lifetime).
        stop.dispose();
      }
    });
  }

  /**
   * Follows a paged listing, one pooled call per page, and returns every item. Stops with
   * {@link MalformedPage} when a page repeats a token or the listing passes {@link MAX_PAGES}.
   *
   * @example const names = await rt.pages('eks:ListClusters', (token, s) => eks.send(new ListClustersCommand({ nextToken: token }), { abortSignal: s }), (p) => [p.clusters, p.nextToken]);
   */
  async pages<P, I>(
    operation: string,
    fetch: (token: string | undefined, signal: AbortSignal) => Promise<P>,
    read: (page: P) => readonly [readonly I[] | undefined, string | undefined],
  ): Promise<I[]> {
    const items: I[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const page = await this.call(operation, (signal) => fetch(token, signal));
      let got: readonly I[] | undefined;
      let next: string | undefined;
      try {
        [got, next] = read(page);
      } catch (err) {
        // A page the reader refuses: keep what the good pages before it gave.
        if (err instanceof MalformedPage)
          throw new MalformedPage(err.message, items, { cause: err });
        throw err;
      }
      if (got !== undefined && !Array.isArray(got)) {
        throw new MalformedPage(`${operation} answered a page whose items are not a list`, items);
      }
      items.push(...(got ?? []));
      if (!next) return items;
      if (seen.has(next)) {
        throw new MalformedPage(`${operation} answered the same page token twice`, items);
      }
      seen.add(next);
      token = next;
    }
    throw new MalformedPage(`${operation} did not end after ${MAX_PAGES} pages`, items);
  }

  /** Stops the budget timer. */
  close(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts (a retry's pause, a poll's
 * wait: the budget ends them).
 *
 * @example await pause(1000, rt.budget);
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/** A promise that rejects when `signal` aborts, and how to stop listening once it is not needed. */
function aborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let listener: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    listener = () => reject(signal.reason);
    signal.addEventListener('abort', listener, { once: true });
  });
  promise.catch(() => {}); // settles after the race only when the call already ended
  return {
    promise,
    dispose: () => {
      if (listener) signal.removeEventListener('abort', listener);
      listener = undefined;
    },
  };
}

/**
 * A failure in one line: the error's name, the first line of its message, and the HTTP status
 * when the service answered one. SDK errors carry the service's code and message, never the
 * request's credentials.
 *
 * @example failureText(err) // 'AccessDeniedException: User is not authorized to perform eks:ListClusters (HTTP 403)'
 */
export function failureText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause).split('\n')[0] ?? '';
  const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  let message = cause.message.split('\n')[0]?.trim() ?? '';
  // The SDK's message for a body it cannot parse quotes the body; say what happened instead.
  if (cause.name === 'SyntaxError' || /Deserialization error/i.test(cause.message)) {
    message = 'the answer is not the JSON or XML the API documents';
  }
  return `${cause.name}: ${message}${status ? ` (HTTP ${status})` : ''}`;
}

/**
 * A failed read turned into an inventory `errors` entry: its scope, the resource types it leaves
 * unknown, the operation, and the error's name and message (never credentials: SDK errors carry
 * the service's code and message only).
 *
 * @example collectionError('aws', { account: '1', region: 'eu-west-1' }, ['aws.eks.cluster'], 'eks:ListClusters', err)
 */
export function collectionError(
  provider: Provider,
  scope: Scope,
  types: readonly string[],
  operation: string,
  cause: unknown,
  resourceId?: string,
): CollectionError {
  return {
    provider,
    scope,
    types: [...types],
    operation,
    message: failureText(cause),
    ...(resourceId ? { resourceId } : {}),
  };
}

/**
 * Runs `read`, and on failure records an error for `types` in `scope` instead of throwing, so one
 * failure never stops the rest of a collection.
 *
 * @example const summary = await attempt(out, () => readSummary(), { provider: 'aws', scope, types: ['aws.iam.account-summary'], operation: 'iam:GetAccountSummary' });
 */
export async function attempt<T>(
  out: Collected,
  read: () => Promise<T>,
  on: {
    provider: Provider;
    scope: Scope;
    types: readonly string[];
    operation: string;
    resourceId?: string;
  },
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    out.errors.push(
      collectionError(on.provider, on.scope, on.types, on.operation, err, on.resourceId),
    );
    return undefined;
  }
}

/**
 * Follows a paged listing like {@link CollectRuntime.pages}, recording failures in `out` instead
 * of throwing. When a page is malformed after good ones, the error is recorded and the good
 * pages' items are still returned: a FAIL they prove stays FAIL, and the error keeps every PASS
 * in its scope from standing.
 *
 * @example const names = await readPages(rt, out, on, 'eks:ListClusters', fetch, (p) => [p.clusters, p.nextToken]);
 */
export async function readPages<P, I>(
  rt: CollectRuntime,
  out: Collected,
  on: {
    provider: Provider;
    scope: Scope;
    types: readonly string[];
    operation: string;
    resourceId?: string;
  },
  fetch: (token: string | undefined, signal: AbortSignal) => Promise<P>,
  read: (page: P) => readonly [readonly I[] | undefined, string | undefined],
): Promise<I[] | undefined> {
  try {
    return await rt.pages(on.operation, fetch, read);
  } catch (err) {
    out.errors.push(
      collectionError(on.provider, on.scope, on.types, on.operation, err, on.resourceId),
    );
    return err instanceof MalformedPage && err.partial.length > 0
      ? (err.partial as I[])
      : undefined;
  }
}

/**
 * The provider's REST JSON for an SDK output: `$metadata` dropped, `Date`s as ISO-8601 strings
 * (CONTRACTS §1: timestamps as the CLIs print them), byte arrays left out.
 *
 * @example toWire({ createdAt: new Date(0), $metadata: {} }) // { createdAt: '1970-01-01T00:00:00.000Z' }
 */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Uint8Array) return undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      const w = toWire(v);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  return value;
}
