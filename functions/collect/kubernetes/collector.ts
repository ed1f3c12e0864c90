/**
 * The Kubernetes collector: reads each cluster's API server, read-only, kind by kind, with paging
 * (`limit` + `continue`), and stores every object as CONTRACTS §1 says: `kind` and `apiVersion`
 * set, `managedFields` and the last-applied annotation dropped, secret-looking env literals
 * redacted, `scope.cluster` the cluster's id. Secrets are never listed.
 *
 * Pages are turned into inventory objects as they arrive. A cluster that cannot be reached or
 * refuses the token is one error over every Kubernetes type; a kind it forbids (403) or that fails
 * is an error for that kind alone; the rest of the cluster, and every other cluster, continue.
 * Each cluster has its own time budget within the collection's.
 */
import pLimit from 'p-limit';
import type { CollectionError, Resource, Scope } from '../../../checks/types.ts';
import type { DirectCluster } from '../../config/scan-config.ts';
import { redactOwned } from '../../engine/redact.ts';
import type { Collector } from '../collector.ts';
import { clusterUnread, KUBERNETES_TYPES } from '../resource-types.ts';
import {
  CallTimeout,
  type Collected,
  type CollectRuntime,
  collectionError,
  pause,
} from '../runtime.ts';
import {
  type ApiServer,
  ApiServerUnreachable,
  type KubernetesApi,
  KubernetesApiError,
  kubernetesApi,
  type ListPage,
} from './api.ts';
import { type ClusterAuth, ClusterCredentialError } from './auth.ts';
import { KIND_LISTS, type KindList, kindType } from './kinds.ts';
import { type ClusterTarget, clustersFound, directTarget } from './targets.ts';

/** How clusters are read (the config's `kubernetes` section and `collection` settings). */
export interface KubernetesSettings {
  /** Objects per page (`limit`). */
  pageSize: number;
  /** Time for one cluster, in ms: kinds not read by then are errors. */
  clusterBudgetMs: number;
  /** Attempts per page (429, 5xx, dropped connections, attempts that time out). */
  maxAttempts: number;
  /** Time limit of one attempt, in ms. */
  callTimeoutMs: number;
  /** First pause before a retry, in ms (doubles, with jitter). @default 500 */
  retryDelayMs?: number;
}

/** What the collector reads clusters with; tests point `api` anywhere. */
export interface KubernetesDeps {
  auth: ClusterAuth;
  /** Makes the API of one server. @default kubernetesApi */
  api?: (server: ApiServer) => KubernetesApi;
}

/** A cluster's time budget ran out. */
export class ClusterBudgetExceeded extends Error {
  override readonly name = 'ClusterBudgetExceeded';
}

const MAX_PAGES = 10_000;
/** Network failures that say the server is not there: no retry, the cluster is unreachable. */
const NOT_THERE =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|CERT_|ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/;

/** Whether an error says nothing more can be read from the cluster (no server, token refused). */
function endsCluster(err: unknown): boolean {
  if (err instanceof ClusterCredentialError || err instanceof ClusterBudgetExceeded) return true;
  if (err instanceof ApiServerUnreachable) return true;
  return err instanceof KubernetesApiError && err.status === 401;
}

function retryable(err: unknown): boolean {
  if (err instanceof CallTimeout) return true;
  if (err instanceof ApiServerUnreachable) return !NOT_THERE.test(err.code ?? '');
  return (
    err instanceof KubernetesApiError &&
    (err.status === 429 || err.status === 500 || (err.status >= 502 && err.status <= 504))
  );
}

/**
 * The object as stored: `apiVersion` and `kind` first (list items carry neither), then the parsed
 * page's own object with `managedFields`, the last-applied annotation and secret-looking env
 * literals removed in place (nothing else holds it, so nothing is copied).
 */
function stored(item: unknown, k: KindList): Record<string, unknown> {
  return redactOwned(
    { apiVersion: k.apiVersion, kind: k.kind, ...(item as Record<string, unknown>) },
    k.kind,
  );
}

/**
 * The inventory id of a Kubernetes object: `<cluster id>/<namespace or _cluster>/<Kind>/<name>`.
 *
 * @example kubernetesId('onprem', 'payments', 'Pod', 'api-0') // 'onprem/payments/Pod/api-0'
 */
export function kubernetesId(
  cluster: string,
  namespace: string | undefined,
  kind: string,
  name: string,
) {
  return `${cluster}/${namespace || '_cluster'}/${kind}/${name}`;
}

/**
 * Reads one cluster. Never throws: what it cannot read is in `errors`, for exactly the kinds it
 * leaves unknown, scoped `{ cluster }`. `clusters` names the cluster as read (attempted).
 *
 * @example const { resources, errors } = await collectCluster(rt, target, { auth }, settings);
 */
export async function collectCluster(
  rt: CollectRuntime,
  target: ClusterTarget,
  deps: KubernetesDeps,
  settings: KubernetesSettings,
): Promise<Collected> {
  const out: Collected = { resources: [], errors: [], clusters: [target.id] };
  const scope: Scope = { cluster: target.id };
  const errorOf = (types: readonly string[], operation: string, err: unknown): CollectionError => {
    const e = collectionError('kubernetes', scope, types, operation, err);
    return { ...e, message: `${target.label}: ${e.message}` };
  };
  if (target.unreachable) {
    out.errors.push(
      clusterUnread(
        target.id,
        'kubernetes:connect',
        `${target.label}: not reachable: ${target.unreachable}`,
      ),
    );
    return out;
  }
  const budget = new AbortController();
  // The cluster's clock starts with its first list call that runs, not while it waits for the
  // shared pool behind other clusters.
  let timer: NodeJS.Timeout | undefined;
  const startClock = () => {
    if (timer) return;
    timer = setTimeout(
      () =>
        budget.abort(
          new ClusterBudgetExceeded(
            `the cluster's time budget of ${settings.clusterBudgetMs / 1000} s ran out`,
          ),
        ),
      settings.clusterBudgetMs,
    );
    timer.unref();
  };
  const stop = AbortSignal.any([rt.budget, budget.signal]);
  try {
    let connection: Awaited<ReturnType<ClusterAuth['connect']>>;
    try {
      connection = await deps.auth.connect(target, rt);
    } catch (err) {
      out.errors.push(errorOf(KUBERNETES_TYPES, 'kubernetes:connect', err));
      return out;
    }
    const api = (deps.api ?? kubernetesApi)({
      server: connection.server,
      ...(connection.caData ? { caData: connection.caData } : {}),
    });

    /** One page, attempt by attempt, each attempt one call of the shared pool. */
    const page = async (
      k: KindList,
      token: string | undefined,
      onNext?: (next: string) => void,
    ): Promise<ListPage> => {
      const operation = `kubernetes:list${k.kind}`;
      for (let attemptNo = 1; ; attemptNo++) {
        try {
          return await rt.call(operation, async (signal) => {
            startClock();
            const attemptTimer = new AbortController();
            const t = setTimeout(
              () =>
                attemptTimer.abort(
                  new CallTimeout(
                    `${operation} did not answer within ${settings.callTimeoutMs / 1000} s`,
                  ),
                ),
              settings.callTimeoutMs,
            );
            const s = AbortSignal.any([signal, stop, attemptTimer.signal]);
            try {
              return await api.list(
                k,
                await connection.token(),
                {
                  limit: settings.pageSize,
                  ...(token ? { continue: token } : {}),
                  ...(onNext ? { onNext } : {}),
                },
                s,
              );
            } catch (err) {
              throw s.aborted ? s.reason : err;
            } finally {
              clearTimeout(t);
            }
          });
        } catch (err) {
          if (stop.aborted) throw stop.reason;
          if (attemptNo >= settings.maxAttempts || !retryable(err)) throw err;
          const base = (settings.retryDelayMs ?? 500) * 2 ** (attemptNo - 1);
          const asked =
            err instanceof KubernetesApiError && err.retryAfterSeconds !== undefined
              ? err.retryAfterSeconds * 1000
              : undefined;
          await pause(Math.min(20_000, asked ?? Math.random() * base), stop);
        }
      }
    };

    /**
     * The pages of one list in order. The next page is asked for as soon as this one's answer
     * names it, while this one is parsed and stored (what the answer named is checked against
     * the parsed page; a page fetched for a token the page does not confirm is dropped).
     */
    async function* pagesOf(k: KindList): AsyncGenerator<ListPage> {
      // Pages asked for ahead, by token: at most two (the next, and the one after it named
      // while the next was still being read).
      const ahead = new Map<string, Promise<ListPage>>();
      let closed = false;
      const prefetch = (next: string) => {
        // Nothing more once the list is done; a retried attempt names a page again.
        if (closed || ahead.has(next) || ahead.size >= 2) return;
        const p = page(k, next, prefetch);
        p.catch(() => {}); // awaited below, or dropped
        ahead.set(next, p);
      };
      let current = page(k, undefined, prefetch);
      try {
        for (;;) {
          const p = await current;
          yield p;
          if (!p.continue) return;
          current = ahead.get(p.continue) ?? page(k, p.continue, prefetch);
          ahead.delete(p.continue);
        }
      } finally {
        closed = true;
        // Pages asked for and not used (the list ended or failed) are awaited: nothing dangles.
        await Promise.all([...ahead.values()].map((p) => p.catch(() => {})));
      }
    }

    /**
     * Every object of a kind, page by page. A `continue` token that expired (410) restarts the
     * list once, without it, for a consistent list; the items of the abandoned pass are dropped.
     */
    const readKind = async (k: KindList): Promise<void> => {
      let got: Resource[] = [];
      const type = kindType(k.kind);
      try {
        for (let pass = 1; ; pass++) {
          got = [];
          const seen = new Set<string>();
          let n = 0;
          try {
            for await (const p of pagesOf(k)) {
              if (++n > MAX_PAGES) throw new Error(`the list did not end after ${MAX_PAGES} pages`);
              for (const item of p.items) {
                const data = stored(item, k);
                const meta = (data.metadata ?? {}) as {
                  name?: string;
                  namespace?: string;
                  uid?: string;
                };
                const name = meta.name ?? meta.uid ?? `#${got.length}`;
                got.push({
                  provider: 'kubernetes',
                  type,
                  id: kubernetesId(target.id, meta.namespace, k.kind, name),
                  scope: { ...target.scope, cluster: target.id },
                  data,
                });
              }
              if (!p.continue) break;
              if (seen.has(p.continue)) throw new Error('the API server repeated a continue token');
              seen.add(p.continue);
            }
            break;
          } catch (err) {
            const expired = err instanceof KubernetesApiError && err.status === 410;
            if (expired && pass === 1) continue;
            throw err;
          }
        }
      } catch (err) {
        // What the good pages proved still counts: a FAIL stays FAIL, the error stops every PASS.
        for (const r of got) out.resources.push(r);
        throw err;
      }
      for (const r of got) out.resources.push(r);
    };

    const [first, ...rest] = KIND_LISTS;
    try {
      await readKind(first!);
    } catch (err) {
      if (endsCluster(err)) {
        out.errors.push(errorOf(KUBERNETES_TYPES, `kubernetes:list${first!.kind}`, err));
        return out;
      }
      out.errors.push(errorOf([kindType(first!.kind)], `kubernetes:list${first!.kind}`, err));
    }
    await Promise.all(
      rest.map((k) =>
        readKind(k).catch((err: unknown) => {
          out.errors.push(errorOf([kindType(k.kind)], `kubernetes:list${k.kind}`, err));
        }),
      ),
    );
    return out;
  } finally {
    clearTimeout(timer);
  }
}

/** A cluster listed directly in the config, as a scan unit. */
export interface KubernetesUnit {
  provider: 'kubernetes';
  /** The configured name (`kubernetes.clusters[].name`). */
  cluster: string;
}

/** The Kubernetes collector: direct clusters as units, and the clusters cloud units found. */
export interface KubernetesCollector extends Collector<KubernetesUnit> {
  /**
   * Reads the clusters among a cloud unit's resources (`unit` is that cloud unit: an AWS unit
   * names the role EKS tokens are made with). Never throws.
   */
  collectFound(
    rt: CollectRuntime,
    unit: unknown,
    resources: readonly Resource[],
  ): Promise<Collected>;
}

/**
 * Reads several clusters, all at once under the shared pool, into one part.
 *
 * @example const part = await collectClusters(rt, targets, deps, settings);
 */
export async function collectClusters(
  rt: CollectRuntime,
  targets: readonly ClusterTarget[],
  deps: KubernetesDeps,
  settings: KubernetesSettings,
): Promise<Collected> {
  // A few clusters at a time, each with the pool's calls: a cluster's budget then measures its
  // own reading, and the objects held at once stay a few clusters' worth.
  const limit = pLimit(Math.max(1, Math.ceil(rt.settings.concurrency / 4)));
  const parts = await Promise.all(
    targets.map((t) => limit(() => collectCluster(rt, t, deps, settings))),
  );
  const out: Collected = { resources: [], errors: [], clusters: [] };
  for (const p of parts) {
    for (const r of p.resources) out.resources.push(r);
    out.errors.push(...p.errors);
    out.clusters!.push(...(p.clusters ?? []));
  }
  return out;
}

/**
 * The collector of the config's `kubernetes` section.
 *
 * @example
 * const k8s = kubernetesCollector(config.kubernetes.clusters, { auth: clusterAuth({ aws }) }, settings);
 * const part = await k8s.collectFound(rt, awsUnit, shard.resources);
 */
export function kubernetesCollector(
  clusters: readonly DirectCluster[],
  deps: KubernetesDeps,
  settings: KubernetesSettings,
): KubernetesCollector {
  return {
    provider: 'kubernetes',
    types: KUBERNETES_TYPES,
    label: (unit) => `kubernetes ${unit.cluster}`,
    scope: (unit) => ({ cluster: unit.cluster }),
    plan: async () => ({
      units: clusters.map((c) => ({ provider: 'kubernetes' as const, cluster: c.name })),
      errors: [],
    }),
    collect: async (rt, unit) => {
      const cluster = clusters.find((c) => c.name === unit.cluster);
      if (!cluster) {
        return {
          resources: [],
          errors: [
            clusterUnread(
              unit.cluster,
              'kubernetes:plan',
              `cluster ${unit.cluster} is not in the configuration's kubernetes.clusters`,
            ),
          ],
          clusters: [unit.cluster],
        };
      }
      return collectCluster(rt, directTarget(cluster), deps, settings);
    },
    collectFound: (rt, unit, resources) =>
      collectClusters(rt, clustersFound(unit, resources), deps, settings),
  };
}
