/**
 * The deployed workflow's item processor, as the pipeline tests run it in-process: for each item
 * of `units.json`, `WhichCollector` calls the unit's provider function; when its result names
 * clusters, `HasClusters` → `CollectClusters` calls the Kubernetes function on the unit's shard.
 * A step that fails gets what its Catch state writes (a {@link FailedUnit} record with the Lambda
 * error as Step Functions reports it), or, for a step whose execution is lost, nothing at all.
 * One place mirrors the state machine that `infra/pci-posture-checker.ts` builds.
 */
import { awsCollectorFrom } from '../../functions/collect/aws/from-config.ts';
import { azureCollectorFrom } from '../../functions/collect/azure/from-config.ts';
import type { Collector, CollectorClients } from '../../functions/collect/collector.ts';
import { gcpCollectorFrom } from '../../functions/collect/gcp/from-config.ts';
import { kubernetesCollectorFrom } from '../../functions/collect/kubernetes/from-config.ts';
import type { ScanConfig } from '../../functions/config/scan-config.ts';
import { createCollectHandler } from '../../functions/handlers/collect.ts';
import { type Observability, observability } from '../../functions/handlers/observability.ts';
import type {
  ClustersEvent,
  CollectEvent,
  CollectProvider,
  CollectResult,
  FailedUnit,
  UnitItem,
} from '../../functions/pipeline/contract.ts';
import { stagingKeys } from '../../functions/pipeline/contract.ts';
import type { StagingStore } from '../../functions/pipeline/staging.ts';

/** A collect function's handler. */
export type CollectHandler = (event: CollectEvent | ClustersEvent) => Promise<CollectResult>;

/** What becomes of a step: its Catch state's record, or nothing (its execution was lost). */
export type StepFault = 'record' | 'vanish';

/** The record the Catch state writes for a Lambda that timed out. */
export function timedOut(index: number): FailedUnit {
  return {
    index,
    Error: 'Sandbox.Timedout',
    Cause: JSON.stringify({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 900.00 seconds',
      trace: ['at secret place'],
    }),
  };
}

/**
 * Runs every item as the Distributed Map does, one after the other, and returns each collect
 * result by item index (items whose unit step failed have none).
 *
 * @example const results = await collectItems(staging, 'nightly-1', items, { aws, kubernetes });
 */
export async function collectItems(
  staging: StagingStore,
  runKey: string,
  items: readonly UnitItem[],
  handlers: Partial<Record<CollectProvider, CollectHandler>>,
  faults: {
    /** The unit's collect function fails. */
    unit?: (item: UnitItem) => StepFault | undefined;
    /** The Kubernetes function on the unit's clusters fails. */
    clusters?: (item: UnitItem) => StepFault | undefined;
  } = {},
): Promise<Map<number, CollectResult>> {
  const keys = stagingKeys(runKey);
  const results = new Map<number, CollectResult>();
  for (const item of items) {
    const unitFault = faults.unit?.(item);
    if (unitFault) {
      if (unitFault === 'record')
        await staging.putJson(keys.failed(item.index), timedOut(item.index));
      continue;
    }
    // WhichCollector: the unit's provider function.
    const handler = handlers[item.provider];
    if (!handler) throw new Error(`no ${item.provider} function is deployed in this test`);
    const result = await handler({ ...item, runKey });
    results.set(item.index, result);
    // HasClusters → CollectClusters, on the same item; without a Kubernetes function
    // (`kubernetes.enabled: false`) the construct has no such states.
    if (!handlers.kubernetes || !(result.clusters > 0)) continue;
    const clustersFault = faults.clusters?.(item);
    if (clustersFault === 'record') {
      await staging.putJson(keys.kubernetesFailed(item.index), timedOut(item.index));
    } else if (!clustersFault) {
      await handlers.kubernetes({ ...item, runKey, shardKey: result.shardKey });
    }
  }
  return results;
}

/**
 * An observability whose logs go to `sink` (one JSON line per call) and whose metrics go nowhere:
 * what a handler run in a test is given.
 *
 * @example const obs = capturedObservability('collect-aws', (line) => (logged += line));
 */
export function capturedObservability(fn: string, sink: (line: string) => void): Observability {
  const obs = observability(fn);
  obs.metrics.addMetric = () => obs.metrics;
  obs.metrics.publishStoredMetrics = () => obs.metrics;
  for (const level of ['info', 'warn', 'error'] as const) {
    obs.logger[level] = ((...args: unknown[]) => {
      sink(`${JSON.stringify(args)}\n`);
    }) as never;
  }
  return obs;
}

/**
 * The collect functions the construct deploys for a config, as handlers: one per configured cloud
 * (each with its own provider's collector only) and the Kubernetes one unless
 * `kubernetes.enabled` is false.
 *
 * @example const collect = deployedCollectHandlers(config, staging, clients, (fn) => capturedObservability(fn, sink));
 */
export function deployedCollectHandlers(
  config: ScanConfig,
  staging: StagingStore,
  clients: CollectorClients,
  obs: (fn: string) => Observability,
): Partial<Record<CollectProvider, CollectHandler>> {
  const makers: Record<CollectProvider, (() => Collector | undefined) | undefined> = {
    aws: config.aws ? () => awsCollectorFrom(config, clients) : undefined,
    gcp: config.gcp ? () => gcpCollectorFrom(config, clients) : undefined,
    azure: config.azure ? () => azureCollectorFrom(config, clients) : undefined,
    kubernetes: config.kubernetes.enabled
      ? () => kubernetesCollectorFrom(config, clients) as Collector | undefined
      : undefined,
  };
  const handlers: Partial<Record<CollectProvider, CollectHandler>> = {};
  for (const [provider, make] of Object.entries(makers) as [CollectProvider, typeof makers.aws][]) {
    if (!make) continue;
    handlers[provider] = createCollectHandler(
      () => {
        const collector = make();
        return { config, staging, collectors: collector ? [collector] : [] };
      },
      obs(`collect-${provider}`),
    );
  }
  return handlers;
}
