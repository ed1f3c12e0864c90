/**
 * A whole collection: plan the scan units of every configured provider, collect them all in one
 * call pool, and assemble the inventory (CONTRACTS §1). A unit that fails becomes `errors`; it
 * never stops the others, and nothing is left out silently: a provider this version cannot yet
 * collect is recorded as an error for every scope configured for it.
 */
import { WORKLOAD_TYPES } from '../../checks/lib/workloads.ts';
import type { CollectionError, Inventory, Resource } from '../../checks/types.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { CLUSTER_TYPES } from '../engine/scope.ts';
import { TOOL } from '../tool.ts';
import { type AwsClientFactory, awsClientFactory } from './aws/clients.ts';
import { awsCollector } from './aws/collector.ts';
import type { Collector } from './collector.ts';
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

/** ISO-8601 to the second, as CONTRACTS §1 shows `collectedAt`. */
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

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

/**
 * Collects everything the config names into one inventory.
 *
 * @example
 * const { inventory, calls } = await collectScan(loadScanConfig('scan.yaml'), { onProgress: console.error });
 */
export async function collectScan(config: ScanConfig, deps: ScanDeps = {}): Promise<ScanResult> {
  const started = Date.now();
  const collectedAt = isoSeconds((deps.now ?? (() => new Date()))());
  const settings = runtimeSettings(config);
  const rt = new CollectRuntime(settings);
  const resources: Resource[] = [];
  const errors: CollectionError[] = uncollectable(config);
  const add = (c: Collected) => {
    resources.push(...c.resources);
    errors.push(...c.errors);
  };
  let units = 0;
  try {
    const collectors: Collector[] = [];
    if (config.aws) {
      const aws = deps.aws ?? awsClientFactory(config.aws, settings);
      const reportWaitMs = config.collection.credentialReportWaitSeconds * 1000;
      collectors.push(awsCollector(config.aws, aws, reportWaitMs) as Collector);
    }
    const work: Array<{ label: string; run: () => Promise<Collected> }> = [];
    // A collector that throws (a bug, a client that cannot be made) loses only its own scope.
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
        work.push({
          label: collector.label(unit),
          run: () =>
            collector.collect(rt, unit).catch((err: unknown) => ({
              resources: [],
              errors: [
                collectionError(
                  collector.provider,
                  collector.scope(unit),
                  collector.types,
                  `${collector.provider}:collect`,
                  err,
                ),
              ],
            })),
        });
      }
    }
    units = work.length;
    deps.onPlan?.(units);
    let done = 0;
    await Promise.all(
      work.map(async ({ label, run }) => {
        add(await run());
        done++;
        deps.onProgress?.({ done, total: units, errors: errors.length, unit: label });
      }),
    );
  } finally {
    rt.close();
  }

  if (config.kubernetes.enabled) errors.push(...kubernetesPending(resources, errors));
  // One object per (type, id), in a stable order.
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
  return {
    inventory: { schema: 'pci-posture/inventory@1', collectedAt, resources: unique, errors },
    calls: rt.calls,
    units,
    durationMs: Date.now() - started,
  };
}
