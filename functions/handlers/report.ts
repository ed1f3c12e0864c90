/**
 * The `report` function: merges the staged shards, evaluates, writes the signed run into the
 * Object Lock archive with the KMS key, and tells the topic. It returns normally once the run is
 * written (a notification that fails is logged and counted, not retried into a second run).
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { KmsSigner } from '../archive/kms-signer.ts';
import { lazy, lazyAsync } from '../lazy.ts';
import { ENV, METRICS, type ReportEvent, type ReportResult } from '../pipeline/contract.ts';
import { type ReportDeps, runReport } from '../pipeline/report.ts';
import { configFromEnv, requiredEnv } from '../pipeline/request.ts';
import { StagingStore } from '../pipeline/staging.ts';
import {
  errorLine,
  MetricUnit,
  type Observability,
  observability,
  redactText,
} from './observability.ts';

/**
 * The handler over injected dependencies.
 *
 * @example const handler = createReportHandler(() => ({ config, staging, archive, signer }), observability('report'));
 */
export function createReportHandler(deps: () => ReportDeps, obs: Observability) {
  const { logger, metrics } = obs;
  return async (event: ReportEvent, context?: Context): Promise<ReportResult> => {
    if (context) logger.addContext(context);
    try {
      const { result, run, notifyFailure } = await runReport(event, deps());
      if (!run) {
        logger.warn('the run was already written: returning its result', {
          runKey: event.runKey,
          runId: result.runId,
        });
        return result;
      }
      for (const w of run.warnings)
        logger.warn('run warning', { runKey: event.runKey, warning: redactText(w) });
      if (notifyFailure) {
        logger.error('the topic could not be told', {
          runId: result.runId,
          error: redactText(notifyFailure),
        });
        metrics.addMetric('NotificationFailed', MetricUnit.Count, 1);
      }
      logger.info('report written', { runKey: event.runKey, ...result });
      // The no-report alarm watches the nightly chain: an assessment must not silence it.
      metrics.addMetric(
        result.assessment ? 'AssessmentWritten' : METRICS.reportWritten,
        MetricUnit.Count,
        1,
      );
      metrics.addMetric(METRICS.findingsFail, MetricUnit.Count, result.summary.FAIL);
      metrics.addMetric(METRICS.findingsError, MetricUnit.Count, result.summary.ERROR);
      metrics.addMetric(METRICS.collectionErrors, MetricUnit.Count, result.errors);
      return result;
    } catch (err) {
      logger.error('report failed', { runKey: event?.runKey, error: errorLine(err) });
      throw err;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

const obs = observability('report');

/** The Lambda entry point. */
export const handler = createReportHandler(
  lazy((): ReportDeps => {
    const env = process.env;
    const config = configFromEnv(env);
    const s3 = obs.tracer.captureAWSv3Client(new S3Client({}));
    const kms = obs.tracer.captureAWSv3Client(new KMSClient({}));
    const sns = obs.tracer.captureAWSv3Client(new SNSClient({}));
    const keyArn = requiredEnv(env, ENV.signingKey);
    const topic = requiredEnv(env, ENV.topic);
    // Made once per container; a failure is not kept, so the next invocation tries again.
    const signer = lazyAsync(() => KmsSigner.create(kms, keyArn));
    return {
      config,
      staging: new StagingStore(s3, requiredEnv(env, ENV.stagingBucket)),
      archive: {
        client: s3,
        bucket: requiredEnv(env, ENV.archiveBucket),
        ...(env[ENV.archiveKmsKey] ? { sseKmsKeyId: env[ENV.archiveKmsKey] } : {}),
      },
      signer,
      verifyKeyId: keyArn,
      notify: async (n) => {
        await sns.send(
          new PublishCommand({ TopicArn: topic, Subject: n.subject, Message: n.message }),
        );
      },
    };
  }),
  obs,
);
