/**
 * The deployed workflow's item processor, as the pipeline tests run it in-process: for each item
 * of `units.json`, `WhichCollector` calls the unit's provider function; when its result names
 * clusters, `HasClusters` → `CollectClusters` calls the Kubernetes function on the unit's shard.
 * A step that fails gets what its Catch state writes (a {@link FailedUnit} record with the Lambda
 * error as Step Functions reports it), or, for a step whose execution is lost, nothing at all.
 * One place mirrors the state machine that `infra/pci-posture-checker.ts` builds.
 */
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
