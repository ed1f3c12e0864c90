/**
 * The `collect` handler every provider's function shares: reads one scan unit and stages its
 * inventory shard. Each provider's entry file (`collect-aws.ts`, `collect-gcp.ts`,
 * `collect-azure.ts`) gives it that provider's collector only, so each bundle carries one SDK.
 */
import type { Context } from 'aws-lambda';
import { type CollectDeps, runCollect } from '../pipeline/collect.ts';
import type { CollectEvent, CollectResult } from '../pipeline/contract.ts';
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
  return async (event: CollectEvent, context?: Context): Promise<CollectResult> => {
    if (context) logger.addContext(context);
    const remaining = context?.getRemainingTimeInMillis();
    try {
      const result = await runCollect(event, {
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
