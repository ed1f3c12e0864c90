/**
 * The `plan` function: expands the configured targets into scan units and stages them for the
 * Distributed Map. Thin: the work is `runPlan` (functions/pipeline/plan.ts), as in the CLI.
 */
import type { Context } from 'aws-lambda';
import { allCollectors } from '../collect/all-collectors.ts';
import { lazy } from '../lazy.ts';
import type { PlanEvent, PlanResult } from '../pipeline/contract.ts';
import { type PlanDeps, runPlan } from '../pipeline/plan.ts';
import { collectingDeps } from './collecting-deps.ts';
import { errorLine, MetricUnit, type Observability, observability } from './observability.ts';

/**
 * The handler over injected dependencies (tests point them at moto).
 *
 * @example const handler = createPlanHandler(() => ({ config, staging }), observability('plan'));
 */
export function createPlanHandler(deps: () => PlanDeps | Promise<PlanDeps>, obs: Observability) {
  const { logger, metrics } = obs;
  return async (event: PlanEvent, context?: Context): Promise<PlanResult> => {
    if (context) logger.addContext(context);
    try {
      const result = await runPlan(event, await deps());
      logger.info('planned', { runKey: result.runKey, units: result.units });
      metrics.addMetric('ScanUnits', MetricUnit.Count, result.units);
      return result;
    } catch (err) {
      logger.error('plan failed', { runKey: event?.runKey, error: errorLine(err) });
      throw err;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

const obs = observability('plan');

/** The Lambda entry point. */
export const handler = createPlanHandler(
  lazy(() => collectingDeps(process.env, obs, allCollectors)),
  obs,
);
