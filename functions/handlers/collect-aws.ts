/**
 * The AWS `collect` function: reads one account (one scan unit) and stages its inventory shard.
 * Its bundle carries only the AWS SDK clients the AWS collector uses.
 */
import type { Context } from 'aws-lambda';
import { awsCollectorFrom } from '../collect/aws/collector.ts';
import { lazy } from '../lazy.ts';
import { type CollectDeps, runCollect } from '../pipeline/collect.ts';
import type { CollectEvent, CollectResult } from '../pipeline/contract.ts';
import { collectingDeps } from './collecting-deps.ts';
import { errorLine, MetricUnit, type Observability, observability } from './observability.ts';

/** Time kept back from the function's timeout to write the shard. */
export const SHARD_WRITE_MARGIN_MS = 60_000;

/**
 * The handler over injected dependencies.
 *
 * @example const handler = createCollectHandler(() => ({ config, staging, aws }), observability('collect-aws'));
 */
export function createCollectHandler(deps: () => CollectDeps, obs: Observability) {
  const { logger, metrics } = obs;
  return async (event: CollectEvent, context?: Context): Promise<CollectResult> => {
    if (context) logger.addContext(context);
    const remaining = context?.getRemainingTimeInMillis();
    try {
      const result = await runCollect(event, {
        ...deps(),
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

const obs = observability('collect-aws');

/** The Lambda entry point. */
export const handler = createCollectHandler(
  lazy(() =>
    collectingDeps(process.env, obs, (config, clients) =>
      [awsCollectorFrom(config, clients)].filter((c) => c !== undefined),
    ),
  ),
  obs,
);
