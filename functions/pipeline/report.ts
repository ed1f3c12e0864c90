/**
 * The workflow's last step: merge the plan and the shards into one inventory (a unit with no
 * shard is a collection error: never a silent gap), evaluate, write the signed run into the
 * archive under Object Lock, and tell the topic.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { Inventory } from '../../checks/types.ts';
import { openArchive } from '../archive/open.ts';
import type { Signer } from '../archive/signer.ts';
import { type WrittenRun, writeRun } from '../archive/write-run.ts';
import { clusterUnread } from '../collect/resource-types.ts';
import type { Collected } from '../collect/runtime.ts';
import { assembleInventory, type PlannedUnit, unitError } from '../collect/scan.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { evaluate } from '../engine/evaluate.ts';
import { clusterIds } from '../engine/scope.ts';
import { validateInventory } from '../inventory/load.ts';
import {
  type FailedUnit,
  type ReportEvent,
  type ReportResult,
  stagingKeys,
  type UnitItem,
} from './contract.ts';
import { type Notification, runNotification } from './notify.ts';
import { checkRunKey, type StagedPlan } from './plan.ts';
import { archivePrefix } from './request.ts';
import { StagingError, type StagingStore } from './staging.ts';

/** What the report step is given. */
export interface ReportDeps {
  config: ScanConfig;
  staging: StagingStore;
  archive: {
    client: S3Client;
    bucket: string;
    /** The archive's SSE-KMS key. @default - the bucket's default encryption */
    sseKmsKeyId?: string;
  };
  /** The signer (the KMS key in the stack). */
  signer: () => Promise<Signer>;
  /** The KMS key id auditors verify with, for the message. @default - the archive's public key file */
  verifyKeyId?: string;
  /** Tells the topic; a failure to notify is returned, never thrown (the run is written). */
  notify?: (n: Notification) => Promise<void>;
  /** Shards read at once. @default 16 */
  readConcurrency?: number;
}

/** The written run, the step's result, and whether the topic was told. */
export interface ReportOutcome {
  result: ReportResult;
  /** The run written by this call; absent when a retried step found it already written. */
  run?: WrittenRun;
  /** Why the topic could not be told; absent when it was (or there is none). */
  notifyFailure?: string;
}

/** A failure record's cause, without stack traces: the Lambda error's type and message. */
function failureCause(failed: FailedUnit): string {
  let cause = failed.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorType?: string; errorMessage?: string };
    if (parsed.errorMessage || parsed.errorType) {
      cause = [parsed.errorType, parsed.errorMessage].filter(Boolean).join(': ');
    }
  } catch {
    // A plain-text cause (States.Timeout) stays as it is.
  }
  const parts = [failed.Error, cause].filter(Boolean);
  // `Sandbox.Timedout: Sandbox.Timedout: ...` says the type once.
  if (failed.Error && cause.startsWith(`${failed.Error}: `)) parts.shift();
  const text = parts.join(': ') || 'no cause given';
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

function asPlan(value: unknown, key: string): StagedPlan {
  const plan = value as Partial<StagedPlan> | undefined;
  if (plan?.schema !== 'pci-posture/plan@1' || !Array.isArray(plan.errors)) {
    throw new StagingError(
      `${key}: ${value === undefined ? 'missing' : 'not a staged plan'}: the plan step did not finish for this run`,
    );
  }
  return plan as StagedPlan;
}

function asShard(value: unknown): Collected | undefined {
  const shard = value as Partial<Collected> | undefined;
  if (!shard || !Array.isArray(shard.resources) || !Array.isArray(shard.errors)) return undefined;
  return {
    resources: shard.resources,
    errors: shard.errors,
    ...(Array.isArray(shard.clusters) ? { clusters: shard.clusters } : {}),
  };
}

/**
 * The Kubernetes part of a cloud unit whose shard found clusters: its Kubernetes shard, or, when
 * the Kubernetes function failed, an error for each of those clusters with the failure's cause.
 * Without either, nothing: the inventory then records each of those clusters as not read.
 */
async function kubernetesPart(
  staging: StagingStore,
  keys: ReturnType<typeof stagingKeys>,
  item: UnitItem,
  shard: Collected,
  present: ReadonlySet<string>,
): Promise<Collected | undefined> {
  const clusters = clusterIds(shard.resources);
  if (clusters.length === 0) return undefined;
  const key = keys.kubernetes(item.index);
  if (present.has(key)) {
    const part = asShard(await staging.getJson(key));
    if (part) return part;
  }
  const failedKey = keys.kubernetesFailed(item.index);
  const why = present.has(failedKey)
    ? `the Kubernetes collect function failed: ${failureCause(((await staging.getJson(failedKey)) as FailedUnit | undefined) ?? { index: item.index })}`
    : present.has(key)
      ? 'its Kubernetes shard is not a shard'
      : undefined;
  if (!why) return undefined;
  return {
    resources: [],
    errors: clusters.map((cluster) =>
      clusterUnread(cluster, 'kubernetes:collect', `${item.label}: ${why}`),
    ),
    clusters,
  };
}

/**
 * Reads every unit's shard; a unit without one becomes an error covering its whole scope, with
 * the workflow's failure record when there is one.
 */
async function readShards(
  staging: StagingStore,
  runKey: string,
  items: readonly UnitItem[],
  concurrency: number,
): Promise<Collected[]> {
  const keys = stagingKeys(runKey);
  const [shardKeys, failedKeys, kubernetesKeys, kubernetesFailedKeys] = await Promise.all([
    staging.keys(keys.shards),
    staging.keys(keys.failures),
    staging.keys(keys.kubernetesShards),
    staging.keys(keys.kubernetesFailures),
  ]);
  const present = new Set([...shardKeys, ...kubernetesKeys]);
  const failed = new Set(failedKeys);
  const kubernetes = new Set([...kubernetesKeys, ...kubernetesFailedKeys]);
  // A cluster listed directly is a unit whose shard is with the Kubernetes objects.
  const shardOf = (item: UnitItem) =>
    item.provider === 'kubernetes' ? keys.kubernetes(item.index) : keys.shard(item.index);
  const limit = pLimit(concurrency);
  const parts = await Promise.all(
    items.map((item) =>
      limit(async (): Promise<Collected[]> => {
        const planned: PlannedUnit = {
          provider: item.provider,
          label: item.label,
          unit: item.unit as PlannedUnit['unit'],
        };
        const lost = (why: string): Collected => ({
          resources: [],
          errors: [unitError(planned, 'collect', new Error(`${item.label}: ${why}`))],
        });
        if (present.has(shardOf(item))) {
          const shard = asShard(await staging.getJson(shardOf(item)));
          if (!shard) return [lost('its inventory shard is not a shard')];
          const k8s = await kubernetesPart(staging, keys, item, shard, kubernetes);
          return k8s ? [shard, k8s] : [shard];
        }
        if (failed.has(keys.failed(item.index))) {
          const record = (await staging.getJson(keys.failed(item.index))) as FailedUnit | undefined;
          return [
            lost(`the collect function failed: ${failureCause(record ?? { index: item.index })}`),
          ];
        }
        return [lost('no inventory shard was written (its collect function did not finish)')];
      }),
    ),
  );
  return parts.flat();
}

/**
 * The run's inventory, from its staged plan and shards.
 *
 * @example const { inventory, plan } = await stagedInventory(config, staging, 'nightly-1');
 */
export async function stagedInventory(
  config: ScanConfig,
  staging: StagingStore,
  runKey: string,
  readConcurrency = 16,
): Promise<{ inventory: Inventory; plan: StagedPlan }> {
  const keys = stagingKeys(runKey);
  const plan = asPlan(await staging.getJson(keys.plan), keys.plan);
  const items = await staging.getJson(keys.units);
  if (!Array.isArray(items)) {
    throw new StagingError(
      `${keys.units}: missing or not a list: the plan step did not finish for this run`,
    );
  }
  const shards = await readShards(staging, runKey, items as UnitItem[], readConcurrency);
  const inventory = assembleInventory(config, plan.collectedAt, [
    { resources: [], errors: plan.errors },
    ...shards,
  ]);
  return { inventory: validateInventory(inventory, `the staged inventory of run ${runKey}`), plan };
}

/**
 * Writes the signed run of a staged collection and tells the topic.
 *
 * @example const { result } = await runReport({ runKey }, { config, staging, archive, signer });
 */
export async function runReport(event: ReportEvent, deps: ReportDeps): Promise<ReportOutcome> {
  const runKey = checkRunKey(event.runKey);
  const resultKey = stagingKeys(runKey).result;
  // A retried step (the workflow retries Lambda service errors, which can come after the function
  // ran) returns the run already written instead of signing a second one.
  const earlier = (await deps.staging.getJson(resultKey)) as ReportResult | undefined;
  if (earlier?.runId) return { result: { ...earlier, replayed: true } };
  const { inventory, plan } = await stagedInventory(
    deps.config,
    deps.staging,
    runKey,
    deps.readConcurrency,
  );
  const wanted = plan.request.checks ? new Set(plan.request.checks) : undefined;
  const evaluation = evaluate(inventory, {
    config: deps.config.checks ?? {},
    ...(wanted ? { checks: ALL_CHECKS.filter((c) => wanted.has(c.meta.id)) } : {}),
  });
  const prefix = archivePrefix(plan.request);
  const location = `s3://${deps.archive.bucket}${prefix ? `/${prefix}` : ''}`;
  const store = await openArchive(
    location,
    { s3: () => deps.archive.client },
    deps.archive.sseKmsKeyId ? { sseKmsKeyId: deps.archive.sseKmsKeyId } : {},
  );
  const { assessment, checks, accounts, projects, subscriptions } = plan.request;
  const run = await writeRun({
    store,
    signer: await deps.signer(),
    evaluation,
    ...(assessment
      ? {
          assessment: {
            name: assessment,
            ...(checks ? { checks } : {}),
            ...(accounts ? { accounts } : {}),
            ...(projects ? { projects } : {}),
            ...(subscriptions ? { subscriptions } : {}),
          },
        }
      : {}),
  });
  const r = run.report;
  const result: ReportResult = {
    runId: r.runId,
    location: run.location,
    complete: r.complete,
    summary: r.summary,
    errors: r.errors.length,
    ...(plan.request.assessment ? { assessment: plan.request.assessment } : {}),
  };
  await deps.staging.putJson(resultKey, result);
  let notifyFailure: string | undefined;
  if (deps.notify) {
    const verify = `npx pci-posture verify ${location}${deps.verifyKeyId ? ` --kms-key-id ${deps.verifyKeyId}` : ''}`;
    try {
      await deps.notify(runNotification(run, verify));
    } catch (err) {
      notifyFailure = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }
  return { result, run, ...(notifyFailure ? { notifyFailure } : {}) };
}
