/**
 * The `plan` function: expands the configured targets into scan units and stages them for the
 * Distributed Map. Thin: the work is `runPlan` (functions/pipeline/plan.ts), as in the CLI.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { awsClientFactory } from '../collect/aws/clients.ts';
import { runtimeSettings } from '../collect/scan.ts';
import { ENV, type PlanEvent, type PlanResult } from '../pipeline/contract.ts';
import { type PlanDeps, runPlan } from '../pipeline/plan.ts';
import { configFromEnv, requiredEnv } from '../pipeline/request.ts';
import { StagingStore } from '../pipeline/staging.ts';
import { errorLine, lazy, MetricUnit, type Observability, observability } from './observability.ts';

/**
 * The handler over injected dependencies (tests point them at moto).
 *
 * @example const handler = createPlanHandler(() => ({ config, staging }), observability('plan'));
 */
export function createPlanHandler(deps: () => PlanDeps, obs: Observability) {
  const { logger, metrics } = obs;
  return async (event: PlanEvent, context?: Context): Promise<PlanResult> => {
    if (context) logger.addContext(context);
    try {
      const result = await runPlan(event, deps());
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
  lazy(() => {
    const config = configFromEnv(process.env);
    const s3 = obs.tracer.captureAWSv3Client(new S3Client({}));
    return {
      config,
      staging: new StagingStore(s3, requiredEnv(process.env, ENV.stagingBucket)),
      ...(config.aws
        ? {
            aws: awsClientFactory(config.aws, runtimeSettings(config), {
              decorate: (c) => obs.tracer.captureAWSv3Client(c),
            }),
          }
        : {}),
    };
  }),
  obs,
);
