/**
 * The Distributed Map's step: collect one scan unit and stage its inventory shard. It never
 * fails for what it could not read (that is in the shard's `errors`); it fails only when the
 * shard cannot be written, and then the workflow records the unit as failed.
 */
import type { CollectionError, Resource } from '../../checks/types.ts';
import type { Collector, ScanUnit } from '../collect/collector.ts';
import { type Collected, CollectRuntime } from '../collect/runtime.ts';
import {
  collectFoundClusters,
  collectUnit,
  kubernetesCollectorOf,
  type PlannedUnit,
  runtimeSettings,
} from '../collect/scan.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { clusterIds } from '../engine/scope.ts';
import { InputError } from '../errors.ts';
import {
  type ClustersEvent,
  type CollectEvent,
  type CollectResult,
  stagingKeys,
} from './contract.ts';
import { checkRunKey } from './plan.ts';
import type { StagingStore } from './staging.ts';

/** One unit's shard, as staged. */
export interface StagedShard {
  schema: 'pci-posture/shard@1';
  index: number;
  label: string;
  resources: Resource[];
  errors: CollectionError[];
  /** The clusters whose Kubernetes APIs this shard read (Kubernetes shards only). */
  clusters?: string[];
  calls: Record<string, number>;
  durationMs: number;
}

/** What the collect step is given. */
export interface CollectDeps {
  config: ScanConfig;
  staging: StagingStore;
  /** The collector of the function's provider (its bundle carries no other). */
  collectors: readonly Collector[];
  /**
   * The most time collection may take, in ms (the function's remaining time less a margin, so
   * that the shard is always written). @default - the config's `collection.budgetSeconds`
   */
  budgetMs?: number;
}

/**
 * Collects one unit into its shard.
 *
 * @example const { shardKey } = await runCollect(event, { config, staging, collectors: [awsCollectorFrom(config)] });
 */
export async function runCollect(event: CollectEvent, deps: CollectDeps): Promise<CollectResult> {
  const runKey = checkEvent(event);
  const keys = stagingKeys(runKey);
  // A cluster listed directly is staged with the other Kubernetes objects: the Kubernetes
  // function writes nothing where the cloud collectors stage their shards.
  const key =
    event.provider === 'kubernetes' ? keys.kubernetes(event.index) : keys.shard(event.index);
  return collectInto(deps, event, key, (rt) => collectUnit(planned(event), deps.collectors, rt));
}

/**
 * The Kubernetes step after a cloud unit: reads the clusters in that unit's shard into
 * `runs/<runKey>/kubernetes/<index>.json`. A shard that cannot be read fails the step (the
 * workflow then records the failure, and the report turns it into errors of those clusters).
 *
 * @example await runClusters({ ...event, shardKey }, { config, staging, collectors: [k8s] });
 */
export async function runClusters(event: ClustersEvent, deps: CollectDeps): Promise<CollectResult> {
  const runKey = checkEvent(event);
  const keys = stagingKeys(runKey);
  if (event.shardKey !== keys.shard(event.index)) {
    throw new InputError(
      'the step input',
      '$.shardKey',
      `must be the unit's shard, ${keys.shard(event.index)}, got ${JSON.stringify(event.shardKey)}`,
    );
  }
  const k8s = kubernetesCollectorOf(deps.collectors);
  if (!k8s) throw new Error('this function was given no Kubernetes collector');
  const shard = (await deps.staging.getJson(event.shardKey)) as Partial<StagedShard> | undefined;
  if (!shard || !Array.isArray(shard.resources)) {
    throw new Error(`${event.shardKey}: missing or not a shard: its collect step did not finish`);
  }
  const resources = shard.resources;
  return collectInto(deps, event, keys.kubernetes(event.index), (rt) =>
    collectFoundClusters(k8s, rt, planned(event), { resources, errors: [] }),
  );
}

function checkEvent(event: CollectEvent): string {
  const runKey = checkRunKey(event.runKey);
  if (!Number.isInteger(event.index) || event.index < 0) {
    throw new InputError(
      'the step input',
      '$.index',
      `must be a unit index, got ${JSON.stringify(event.index)}`,
    );
  }
  if (typeof event.unit !== 'object' || event.unit === null) {
    throw new InputError('the step input', '$.unit', 'must be a scan unit object');
  }
  return runKey;
}

const planned = (event: CollectEvent): PlannedUnit => ({
  provider: event.provider,
  label: event.label,
  unit: event.unit as ScanUnit,
});

/** Runs a collection under the function's budget and stages what it read at `key`. */
async function collectInto(
  deps: CollectDeps,
  event: CollectEvent,
  key: string,
  collect: (rt: CollectRuntime) => Promise<Collected>,
): Promise<CollectResult> {
  const settings = runtimeSettings(deps.config);
  const budgetMs = Math.max(1000, Math.min(settings.budgetMs, deps.budgetMs ?? settings.budgetMs));
  const rt = new CollectRuntime({ ...settings, budgetMs });
  const started = Date.now();
  let part: Collected;
  try {
    part = await collect(rt);
  } finally {
    rt.close();
  }
  const staged: StagedShard = {
    schema: 'pci-posture/shard@1',
    index: event.index,
    label: event.label,
    resources: part.resources,
    errors: part.errors,
    ...(part.clusters ? { clusters: part.clusters } : {}),
    calls: Object.fromEntries(rt.calls),
    durationMs: Date.now() - started,
  };
  await deps.staging.putJson(key, staged);
  return {
    index: event.index,
    shardKey: key,
    resources: part.resources.length,
    errors: part.errors.length,
    clusters: clusterIds(part.resources).length,
  };
}
