/**
 * A whole collection: plan the scan units of every configured provider, collect them all in one
 * call pool, and assemble the inventory (CONTRACTS §1). A unit that fails becomes `errors`; it
 * never stops the others, and nothing is left out silently: a configured provider no collector
 * here covers is recorded as an error for every scope configured for it, and a cluster found whose
 * Kubernetes API no part read is an error over every Kubernetes type of that cluster.
 */
import type { CollectionError, Inventory, Provider, Resource } from '../../checks/types.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { CLUSTER_TYPES, clusterIds } from '../engine/scope.ts';
import { TOOL } from '../tool.ts';
import type { Collector, ScanUnit } from './collector.ts';
import type { KubernetesCollector } from './kubernetes/collector.ts';
import {
  type CloudProvider,
  clusterUnread,
  isCloudProvider,
  KUBERNETES_TYPES,
  UNIT_SHAPES,
  unitScope,
} from './resource-types.ts';
import {
  type Collected,
  CollectRuntime,
  collectionError,
  failureText,
  type RuntimeSettings,
} from './runtime.ts';

export { KUBERNETES_TYPES };

/** Where the collection stands, after each scan unit. */
export interface ScanProgress {
  done: number;
  total: number;
  /** Collection errors so far. */
  errors: number;
  /** The unit just finished (`aws 111122223333`). */
  unit: string;
}

/**
 * What a collection needs from outside: the collectors, made with their clients by the caller
 * (`allCollectors` for the command line; one provider's collector in its own function's bundle),
 * so tests point them anywhere and no bundle carries another provider's SDK.
 */
export interface ScanDeps {
  /** One collector per configured cloud provider that this scan collects. */
  collectors: readonly Collector[];
  /** The clock (for `collectedAt`). */
  now?: () => Date;
  onProgress?: (progress: ScanProgress) => void;
  /** Called once the plan is known, with the number of units. */
  onPlan?: (units: number) => void;
}

/** The inventory, and how it was collected. */
export interface ScanResult {
  inventory: Inventory;
  /** API calls made, by operation (`eks:DescribeCluster`). */
  calls: Map<string, number>;
  units: number;
  durationMs: number;
}

/**
 * The runtime settings of a config's `collection` section.
 *
 * @example runtimeSettings(config).concurrency // 8
 */
export function runtimeSettings(config: ScanConfig): RuntimeSettings {
  const c = config.collection;
  return {
    concurrency: c.concurrency,
    maxAttempts: c.maxAttempts,
    callTimeoutMs: c.callTimeoutSeconds * 1000,
    budgetMs: c.budgetSeconds * 1000,
  };
}

/**
 * The Kubernetes collector among a scan's collectors, if one was given.
 *
 * @example const k8s = kubernetesCollectorOf(await allCollectors(config));
 */
export function kubernetesCollectorOf(
  collectors: readonly Collector[],
): KubernetesCollector | undefined {
  return collectors.find((c) => c.provider === 'kubernetes') as KubernetesCollector | undefined;
}

/** The scopes a config gives a cloud provider: the listed ones, or `undefined` for discovery. */
function configuredScopes(config: ScanConfig, provider: CloudProvider): string[] | undefined {
  if (provider === 'gcp')
    return Array.isArray(config.gcp?.projects) ? config.gcp.projects : undefined;
  if (provider === 'azure') {
    return Array.isArray(config.azure?.subscriptions) ? config.azure.subscriptions : undefined;
  }
  return Array.isArray(config.aws?.accounts) ? config.aws.accounts : undefined;
}

/**
 * Errors for every scope a config gives a cloud provider that no collector here covers (a
 * function built for another provider was handed this config), and for the clusters listed
 * directly when no Kubernetes collector was given. Nothing configured is left out silently.
 */
function uncollectable(config: ScanConfig, collectors: readonly Collector[]): CollectionError[] {
  const present = new Set(collectors.map((c) => c.provider));
  const missing = (['aws', 'gcp', 'azure'] as const).filter(
    (p) => config[p] !== undefined && !present.has(p),
  );
  return [
    ...missing.flatMap((provider) => {
      const { key, types } = UNIT_SHAPES[provider];
      return (configuredScopes(config, provider) ?? [undefined]).map((value) => ({
        provider,
        scope: value ? { [key]: value } : {},
        types: [...types],
        operation: provider,
        message: `${value ? `${key} ${value}` : `every ${key} to be discovered`} is not collected: no ${provider} collector was given to this scan, so these checks cannot be evaluated`,
      }));
    }),
    ...(config.kubernetes.enabled && !present.has('kubernetes')
      ? config.kubernetes.clusters
      : []
    ).map((cluster) =>
      clusterUnread(
        cluster.name,
        'kubernetes',
        `cluster ${cluster.name} is not collected: no kubernetes collector was given to this scan (pci-posture ${TOOL.version}), so these checks cannot be evaluated`,
      ),
    ),
  ];
}

/**
 * The Kubernetes errors no part recorded itself: for each cluster found that no part read (no
 * Kubernetes collector ran on it: its function failed, or none was given), and for every scope
 * whose clusters could not be listed or described (their Kubernetes objects are unknown too, so
 * no Kubernetes check may look as if there were nothing to check).
 */
function kubernetesUnread(
  resources: readonly Resource[],
  errors: readonly CollectionError[],
  read: ReadonlySet<string>,
): CollectionError[] {
  const found = resources
    .filter((r) => CLUSTER_TYPES.has(r.type) && !read.has(r.id))
    .map((r) =>
      clusterUnread(
        r.id,
        'kubernetes',
        `the cluster's Kubernetes API was not read: no Kubernetes collection ran for it (set kubernetes.enabled: false to leave the Kubernetes checks NOT_TESTED instead)`,
      ),
    );
  const unknown = errors
    .filter((e) => e.provider !== 'kubernetes' && e.types.some((t) => CLUSTER_TYPES.has(t)))
    .map((e) => ({
      provider: 'kubernetes' as const,
      scope: e.resourceId ? { cluster: e.resourceId } : e.scope,
      types: [...KUBERNETES_TYPES],
      ...(e.operation ? { operation: e.operation } : {}),
      message: `the Kubernetes objects of clusters not found are unknown: ${e.message}`,
    }));
  return [...found, ...unknown];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One planned scan unit: plain JSON, so a workflow can hand it to another function. */
export interface PlannedUnit {
  provider: Provider;
  /** How progress names it (`aws 111122223333`). */
  label: string;
  unit: ScanUnit;
}

/** The units of a whole scan, and what planning could not read. */
export interface ScanPlan {
  units: PlannedUnit[];
  errors: CollectionError[];
}

/**
 * Plans a scan: every configured provider's units, and the errors of planning (including the
 * scopes of providers this version cannot collect). A collector that throws loses only its own
 * scope, as an error.
 *
 * @example
 * const rt = new CollectRuntime(runtimeSettings(config));
 * const { units, errors } = await planScan(config, await allCollectors(config), rt);
 */
export async function planScan(
  config: ScanConfig,
  collectors: readonly Collector[],
  rt: CollectRuntime,
): Promise<ScanPlan> {
  const errors: CollectionError[] = uncollectable(config, collectors);
  const units: PlannedUnit[] = [];
  const plans = await Promise.all(
    collectors.map((c) =>
      c.plan(rt).catch((err: unknown) => ({
        units: [],
        errors: [collectionError(c.provider, {}, c.types, `${c.provider}:plan`, err)],
      })),
    ),
  );
  for (const [i, collector] of collectors.entries()) {
    const plan = plans[i]!;
    errors.push(...plan.errors);
    for (const unit of plan.units) {
      units.push({ provider: collector.provider, label: collector.label(unit), unit });
    }
  }
  return { units, errors };
}

/**
 * Collects one planned unit; never throws: a collector that throws (a bug, a client that cannot
 * be made) becomes one error covering the unit's whole scope.
 *
 * @example const shard = await collectUnit(plan.units[0], [gcp], rt);
 */
export async function collectUnit(
  planned: PlannedUnit,
  collectors: readonly Collector[],
  rt: CollectRuntime,
): Promise<Collected> {
  const collector = collectors.find((c) => c.provider === planned.provider);
  if (!collector) {
    const why = new Error(`no ${planned.provider} collector was given to collect ${planned.label}`);
    return { resources: [], errors: [unitError(planned, 'collect', why)] };
  }
  try {
    return await collector.collect(rt, planned.unit);
  } catch (err) {
    return { resources: [], errors: [unitError(planned, 'collect', err)] };
  }
}

/**
 * The error for a unit that yielded nothing (its collector threw, or its function never
 * finished): it covers the unit's whole scope and every type its collector reads.
 *
 * @example unitError(planned, 'collect', new Error('Task timed out after 900 s'))
 */
export function unitError(planned: PlannedUnit, step: string, cause: unknown): CollectionError {
  const { provider } = planned;
  if (provider === 'kubernetes') {
    const cluster = (planned.unit as { cluster?: unknown }).cluster;
    return collectionError(
      provider,
      typeof cluster === 'string' ? { cluster } : {},
      KUBERNETES_TYPES,
      `${provider}:${step}`,
      cause,
    );
  }
  if (!isCloudProvider(provider)) {
    return collectionError(provider, {}, [], `${provider}:${step}`, cause);
  }
  return collectionError(
    provider,
    unitScope(provider, planned.unit),
    UNIT_SHAPES[provider].types,
    `${provider}:${step}`,
    cause,
  );
}

/**
 * The inventory of a scan from its parts (the plan's errors, each unit's shard, the Kubernetes
 * parts): an error for each cluster found that no part read, one object per (type, id), and a
 * stable order.
 *
 * @example const inventory = assembleInventory(config, '2026-11-27T02:00:00Z', [plan, ...shards]);
 */
export function assembleInventory(
  config: ScanConfig,
  collectedAt: string,
  parts: readonly Collected[],
): Inventory {
  const resources = parts.flatMap((p) => p.resources);
  const errors = parts.flatMap((p) => p.errors);
  const read = new Set(parts.flatMap((p) => p.clusters ?? []));
  if (config.kubernetes.enabled) errors.push(...kubernetesUnread(resources, errors, read));
  const seen = new Set<string>();
  // The same object read in two scopes (an Azure role assignment inherited from a management
  // group is listed by every subscription under it) is kept once, in its first scope in order,
  // so that a run's inventory does not depend on which unit finished first.
  const unique = resources
    .sort(
      (a, b) =>
        cmp(a.type, b.type) ||
        cmp(a.id, b.id) ||
        cmp(JSON.stringify(a.scope), JSON.stringify(b.scope)),
    )
    .filter((r) => {
      const key = `${r.type}\u0000${r.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  errors.sort(
    (a, b) =>
      cmp(a.provider, b.provider) ||
      cmp(JSON.stringify(a.scope), JSON.stringify(b.scope)) ||
      cmp(a.operation ?? '', b.operation ?? '') ||
      cmp(a.resourceId ?? '', b.resourceId ?? ''),
  );
  return { schema: 'pci-posture/inventory@1', collectedAt, resources: unique, errors };
}

/**
 * Reads the clusters a cloud unit's shard found; never throws (a collector that throws becomes an
 * error for each of those clusters).
 *
 * @example parts.push(await collectFoundClusters(k8s, rt, planned, shard));
 */
export async function collectFoundClusters(
  k8s: KubernetesCollector,
  rt: CollectRuntime,
  planned: PlannedUnit,
  shard: Collected,
): Promise<Collected> {
  try {
    return await k8s.collectFound(rt, planned.unit, shard.resources);
  } catch (err) {
    const ids = clusterIds(shard.resources);
    return {
      resources: [],
      errors: ids.map((id) => clusterUnread(id, 'kubernetes:collect', failureText(err))),
      clusters: ids,
    };
  }
}

/**
 * ISO-8601 to the second, as CONTRACTS §1 shows `collectedAt`.
 *
 * @example isoSeconds(new Date('2026-11-27T02:00:00.123Z')) // '2026-11-27T02:00:00Z'
 */
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Collects everything the config names into one inventory: plan, every unit in one call pool,
 * assemble.
 *
 * @example
 * const config = loadScanConfig('scan.yaml');
 * const { inventory, calls } = await collectScan(config, { collectors: await allCollectors(config) });
 */
export async function collectScan(config: ScanConfig, deps: ScanDeps): Promise<ScanResult> {
  const started = Date.now();
  const collectedAt = isoSeconds((deps.now ?? (() => new Date()))());
  const rt = new CollectRuntime(runtimeSettings(config));
  const parts: Collected[] = [];
  let units = 0;
  try {
    const plan = await planScan(config, deps.collectors, rt);
    parts.push({ resources: [], errors: plan.errors });
    units = plan.units.length;
    deps.onPlan?.(units);
    let done = 0;
    let errors = plan.errors.length;
    const k8s = config.kubernetes.enabled ? kubernetesCollectorOf(deps.collectors) : undefined;
    await Promise.all(
      plan.units.map(async (planned) => {
        const shard = await collectUnit(planned, deps.collectors, rt);
        parts.push(shard);
        errors += shard.errors.length;
        // The clusters this unit found are read right away, in the same call pool.
        if (k8s && planned.provider !== 'kubernetes') {
          const clusters = await collectFoundClusters(k8s, rt, planned, shard);
          parts.push(clusters);
          errors += clusters.errors.length;
        }
        done++;
        deps.onProgress?.({ done, total: units, errors, unit: planned.label });
      }),
    );
  } finally {
    rt.close();
  }
  return {
    inventory: assembleInventory(config, collectedAt, parts),
    calls: rt.calls,
    units,
    durationMs: Date.now() - started,
  };
}
