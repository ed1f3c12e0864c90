/**
 * What the `plan` and AWS `collect` functions make from their environment on first use: the scan
 * configuration, the staging bucket, and the AWS collector's clients, every client traced.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type AwsClientFactory, awsClientFactory } from '../collect/aws/clients.ts';
import { runtimeSettings } from '../collect/scan.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { ENV } from '../pipeline/contract.ts';
import { configFromEnv, requiredEnv } from '../pipeline/request.ts';
import { StagingStore } from '../pipeline/staging.ts';
import type { Observability } from './observability.ts';

/**
 * The config, staging store and AWS clients of a collecting function.
 *
 * @example const deps = lazy(() => awsCollectingDeps(process.env, obs));
 */
export function awsCollectingDeps(
  env: NodeJS.ProcessEnv,
  obs: Observability,
): { config: ScanConfig; staging: StagingStore; aws?: AwsClientFactory } {
  const config = configFromEnv(env);
  const s3 = obs.tracer.captureAWSv3Client(new S3Client({}));
  return {
    config,
    staging: new StagingStore(s3, requiredEnv(env, ENV.stagingBucket)),
    ...(config.aws
      ? {
          aws: awsClientFactory(config.aws, runtimeSettings(config), {
            decorate: (c) => obs.tracer.captureAWSv3Client(c),
          }),
        }
      : {}),
  };
}
