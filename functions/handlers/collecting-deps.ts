/**
 * What the `plan` and `collect` functions make from their environment on first use: the scan
 * configuration, the staging bucket, and the collectors with their clients, every AWS client
 * traced. Each function names the collectors it carries, so its bundle has no other SDK.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Collector, CollectorClients } from '../collect/collector.ts';
import { secretsManagerReader } from '../collect/secrets.ts';
import type { ScanConfig } from '../config/scan-config.ts';
import { ENV } from '../pipeline/contract.ts';
import { configFromEnv, requiredEnv } from '../pipeline/request.ts';
import { StagingStore } from '../pipeline/staging.ts';
import type { Observability } from './observability.ts';

/** Makes a function's collectors from the config and the clients it is given. */
export type MakeCollectors = (
  config: ScanConfig,
  clients: CollectorClients,
) => Collector[] | Promise<Collector[]>;

/**
 * The config, staging store and collectors of a collecting function.
 *
 * @example const deps = lazy(() => collectingDeps(process.env, obs, (c, clients) => [gcpCollectorFrom(c, clients)]));
 */
export async function collectingDeps(
  env: NodeJS.ProcessEnv,
  obs: Observability,
  make: MakeCollectors,
): Promise<{ config: ScanConfig; staging: StagingStore; collectors: Collector[] }> {
  const config = configFromEnv(env);
  const s3 = obs.tracer.captureAWSv3Client(new S3Client({}));
  return {
    config,
    staging: new StagingStore(s3, requiredEnv(env, ENV.stagingBucket)),
    collectors: await make(config, {
      awsOptions: { decorate: (c) => obs.tracer.captureAWSv3Client(c) },
      readSecret: secretsManagerReader((region) =>
        obs.tracer.captureAWSv3Client(new SecretsManagerClient({ region })),
      ),
    }),
  };
}
