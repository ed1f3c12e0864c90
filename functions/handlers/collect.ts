/**
 * The `collect` handler every provider's function shares: reads one scan unit and stages its
 * inventory shard. Each provider's entry file (`collect-aws.ts`, `collect-gcp.ts`,
 * `collect-azure.ts`, `collect-kubernetes.ts`) gives it that provider's collector only, so each
 * bundle carries one SDK. Given a {@link ClustersEvent} (a cloud unit's shard key), it reads the
 * clusters that shard found instead (the Kubernetes function).
 */
import type { Context } from 'aws-lambda';
import { type CollectDeps, runClusters, runCollect } from '../pipeline/collect.ts';
import type { ClustersEvent, CollectEvent, CollectResult } from '../pipeline/contract.ts';
import { errorLine, MetricUnit, type Observability } from './observability.ts';

/** Time kept back from the function's timeout to write the shard. */
export const SHARD_WRITE_MARGIN_MS = 60_000;

/**
 * The handler over injected dependencies.
 *
 * @example const handler = createCollectHandler(() => ({ config, staging, collectors: [gcp] }), observability('collect-gcp'));
 */
export function createCollectHandler(
  deps: () => CollectDeps | Promise<CollectDeps>,
  obs: Observability,
) {
  const { logger, metrics } = obs;
  return async (event: CollectEvent | ClustersEvent, context?: Context): Promise<CollectResult> => {
    if (context) logger.addContext(context);
    const remaining = context?.getRemainingTimeInMillis();
    // The Kubernetes function is also run after a cloud unit, on the clusters its shard found.
    const run = 'shardKey' in event && event.shardKey !== undefined ? runClusters : runCollect;
    try {
      const result = await run(event as ClustersEvent, {
        ...(await deps()),
        ...(remaining ? { budgetMs: remaining - SHARD_WRITE_MARGIN_MS } : {}),
      });
      logger.info('collected', {
        runKey: event.runKey,
        unit: event.label,
        resources: result.resources,
        errors: result.errors,
      });
      // Per unit; the report step counts the run's total as CollectionErrors.
      metrics.addMetric('UnitCollectionErrors', MetricUnit.Count, result.errors);
      return result;
    } catch (err) {
      logger.error('collect failed', {
        runKey: event?.runKey,
        unit: event?.label,
        error: errorLine(err),
      });
      throw err;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
