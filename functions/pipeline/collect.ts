/**
 * The Distributed Map's step: collect one scan unit and stage its inventory shard. It never
 * fails for what it could not read (that is in the shard's `errors`); it fails only when the
 * shard cannot be written, and then the workflow records the unit as failed.
 */
import type { CollectionError, Resource } from '../../checks/types.ts';
import type { Collector, ScanUnit } from '../collect/collector.ts';
import { CollectRuntime } from '../collect/runtime.ts';
import { collectUnit, runtimeSettings } from '../collect/scan.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { InputError } from '../errors.ts';
import { type CollectEvent, type CollectResult, stagingKeys } from './contract.ts';
import { checkRunKey } from './plan.ts';
import type { StagingStore } from './staging.ts';

/** One unit's shard, as staged. */
export interface StagedShard {
  schema: 'pci-posture/shard@1';
  index: number;
  label: string;
  resources: Resource[];
  errors: CollectionError[];
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
  const settings = runtimeSettings(deps.config);
  const budgetMs = Math.max(1000, Math.min(settings.budgetMs, deps.budgetMs ?? settings.budgetMs));
  const rt = new CollectRuntime({ ...settings, budgetMs });
  const started = Date.now();
  let shard: Awaited<ReturnType<typeof collectUnit>>;
  try {
    shard = await collectUnit(
      { provider: event.provider, label: event.label, unit: event.unit as ScanUnit },
      deps.collectors,
      rt,
    );
  } finally {
    rt.close();
  }
  const shardKey = stagingKeys(runKey).shard(event.index);
  const staged: StagedShard = {
    schema: 'pci-posture/shard@1',
    index: event.index,
    label: event.label,
    resources: shard.resources,
    errors: shard.errors,
    calls: Object.fromEntries(rt.calls),
    durationMs: Date.now() - started,
  };
  await deps.staging.putJson(shardKey, staged);
  return {
    index: event.index,
    shardKey,
    resources: shard.resources.length,
    errors: shard.errors.length,
  };
}
