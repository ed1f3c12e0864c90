/**
 * A whole collection: plan the scan units of every configured provider, collect them all in one
 * call pool, and assemble the inventory (CONTRACTS §1). A unit that fails becomes `errors`; it
 * never stops the others, and nothing is left out silently: a provider this version cannot yet
 * collect is recorded as an error for every scope configured for it.
 */
import { WORKLOAD_TYPES } from '../../checks/lib/workloads.ts';
import type { CollectionError, Inventory, Provider, Resource } from '../../checks/types.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { CLUSTER_TYPES } from '../engine/scope.ts';
import { TOOL } from '../tool.ts';
import { type AwsClientFactory, awsClientFactory } from './aws/clients.ts';
import { awsCollector } from './aws/collector.ts';
import type { Collector, ScanUnit } from './collector.ts';
import {
  type Collected,
  CollectRuntime,
  collectionError,
  type RuntimeSettings,
} from './runtime.ts';

/** The Kubernetes object kinds CONTRACTS §1 names, as resource types. */
export const KUBERNETES_TYPES = [
  ...[
    'Namespace',
    'ServiceAccount',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'NetworkPolicy',
  ].map((kind) => `kubernetes.${kind}`),
  ...WORKLOAD_TYPES,
];

const GCP_TYPES = ['gcp.gke.cluster', 'gcp.project.iam-policy'];
const AZURE_TYPES = [
  'azure.aks.managed-cluster',
  'azure.authorization.role-assignment',
  'azure.authorization.role-definition',
];

/** Where the collection stands, after each scan unit. */
export interface ScanProgress {
  done: number;
  total: number;
  /** Collection errors so far. */
  errors: number;
  /** The unit just finished (`aws 111122223333`). */
  unit: string;
}

/** What a collection needs from outside; tests point the clients anywhere. */
export interface ScanDeps {
  /** The AWS clients; default: the SDK's, configured from the config. */
  aws?: AwsClientFactory;
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

function notYet(provider: 'gcp' | 'azure' | 'kubernetes', what: string): string {
  return `${what} is not collected: this version of pci-posture (${TOOL.version}) has no ${provider} collector yet, so these checks cannot be evaluated`;
}

/**
 * Errors for the scopes configured for a provider this version cannot collect: one per listed
 * project or subscription, or one unscoped error when the scopes were to be discovered.
 */
function notCollected(
  provider: 'gcp' | 'azure',
  key: 'project' | 'subscription',
  listed: readonly string[] | undefined,
  types: readonly string[],
): CollectionError[] {
  return (listed ?? [undefined]).map((value) => ({
    provider,
    scope: value ? { [key]: value } : {},
    types: [...types],
    operation: provider,
    message: notYet(provider, value ? `${key} ${value}` : `every ${key} to be discovered`),
  }));
}

/** Errors for every scope configured for a provider this version cannot collect. */
function uncollectable(config: ScanConfig): CollectionError[] {
  const { gcp, azure } = config;
  return [
    ...(gcp
      ? notCollected(
          'gcp',
          'project',
          Array.isArray(gcp.projects) ? gcp.projects : undefined,
          GCP_TYPES,
        )
      : []),
    ...(azure
      ? notCollected(
          'azure',
          'subscription',
          Array.isArray(azure.subscriptions) ? azure.subscriptions : undefined,
          AZURE_TYPES,
        )
      : []),
    ...config.kubernetes.clusters.map((cluster) => ({
      provider: 'kubernetes' as const,
      scope: { cluster: cluster.name },
      types: KUBERNETES_TYPES,
      operation: 'kubernetes',
      message: notYet('kubernetes', `cluster ${cluster.name}`),
    })),
  ];
}

/**
 * While Kubernetes collection is pending: an error for each cloud cluster found, and for every
 * scope whose clusters could not be listed or described (their Kubernetes objects are unknown
 * too, so no Kubernetes check may look as if there were nothing to check).
 */
function kubernetesPending(
  resources: readonly Resource[],
  errors: readonly CollectionError[],
): CollectionError[] {
  const found = resources
    .filter((r) => CLUSTER_TYPES.has(r.type))
    .map((r) => ({
      provider: 'kubernetes' as const,
      scope: { cluster: r.id },
      types: KUBERNETES_TYPES,
      operation: 'kubernetes',
      message: `${notYet('kubernetes', "the cluster's Kubernetes API")} (set kubernetes.enabled: false to leave the Kubernetes checks NOT_TESTED instead)`,
    }));
  const unknown = errors
    .filter((e) => e.provider !== 'kubernetes' && e.types.some((t) => CLUSTER_TYPES.has(t)))
    .map((e) => ({
      provider: 'kubernetes' as const,
      scope: e.resourceId ? { cluster: e.resourceId } : e.scope,
      types: KUBERNETES_TYPES,
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

/** The collectors a config asks for, with their clients. */
function collectorsFor(config: ScanConfig, deps: ScanDeps): Collector[] {
  const collectors: Collector[] = [];
  if (config.aws) {
    const aws = deps.aws ?? awsClientFactory(config.aws, runtimeSettings(config));
    const reportWaitMs = config.collection.credentialReportWaitSeconds * 1000;
    collectors.push(awsCollector(config.aws, aws, reportWaitMs) as Collector);
  }
  return collectors;
}

/**
 * Plans a scan: every configured provider's units, and the errors of planning (including the
 * scopes of providers this version cannot collect). A collector that throws loses only its own
 * scope, as an error.
 *
 * @example
 * const rt = new CollectRuntime(runtimeSettings(config));
 * const { units, errors } = await planScan(config, {}, rt);
 */
export async function planScan(
  config: ScanConfig,
  deps: ScanDeps,
  rt: CollectRuntime,
): Promise<ScanPlan> {
  const errors: CollectionError[] = uncollectable(config);
  const units: PlannedUnit[] = [];
  const collectors = collectorsFor(config, deps);
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
 * @example const shard = await collectUnit(config, plan.units[0], {}, rt);
 */
export async function collectUnit(
  config: ScanConfig,
  planned: PlannedUnit,
  deps: ScanDeps,
  rt: CollectRuntime,
): Promise<Collected> {
  const collector = collectorsFor(config, deps).find((c) => c.provider === planned.provider);
  if (!collector) return { resources: [], errors: [unitError(config, planned, 'collect', null)] };
  try {
    return await collector.collect(rt, planned.unit);
  } catch (err) {
    return { resources: [], errors: [unitError(config, planned, 'collect', err)] };
  }
}

/**
 * The error for a unit that yielded nothing (its collector threw, or its function never
 * finished): it covers the unit's whole scope and every type its collector reads.
 *
 * @example unitError(config, planned, 'collect', new Error('Task timed out after 900 s'))
 */
export function unitError(
  config: ScanConfig,
  planned: PlannedUnit,
  step: string,
  cause: unknown,
): CollectionError {
  const collector = collectorsFor(config, {}).find((c) => c.provider === planned.provider);
  if (!collector) {
    return {
      provider: planned.provider,
      scope: {},
      types: [],
      operation: `${planned.provider}:${step}`,
      message: `${planned.label}: the config has no ${planned.provider} section to collect it with`,
    };
  }
  return collectionError(
    collector.provider,
    collector.scope(planned.unit),
    collector.types,
    `${collector.provider}:${step}`,
    cause,
  );
}

/**
 * The inventory of a scan from its parts (the plan's errors and each unit's shard): Kubernetes
 * errors for the clusters found while that collector is pending, one object per (type, id), and a
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
  if (config.kubernetes.enabled) errors.push(...kubernetesPending(resources, errors));
  const seen = new Set<string>();
  const unique = resources
    .sort((a, b) => cmp(a.type, b.type) || cmp(a.id, b.id))
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
 * const { inventory, calls } = await collectScan(loadScanConfig('scan.yaml'), { onProgress: console.error });
 */
export async function collectScan(config: ScanConfig, deps: ScanDeps = {}): Promise<ScanResult> {
  const started = Date.now();
  const collectedAt = isoSeconds((deps.now ?? (() => new Date()))());
  const settings = runtimeSettings(config);
  const rt = new CollectRuntime(settings);
  // One client factory for the plan and every unit of this scan.
  const shared: ScanDeps =
    config.aws && !deps.aws ? { ...deps, aws: awsClientFactory(config.aws, settings) } : deps;
  const parts: Collected[] = [];
  let units = 0;
  try {
    const plan = await planScan(config, shared, rt);
    parts.push({ resources: [], errors: plan.errors });
    units = plan.units.length;
    deps.onPlan?.(units);
    let done = 0;
    let errors = plan.errors.length;
    await Promise.all(
      plan.units.map(async (planned) => {
        const shard = await collectUnit(config, planned, shared, rt);
        parts.push(shard);
        done++;
        errors += shard.errors.length;
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
