/**
 * The AWS collector of a scan configuration, with its clients: what the CLI, the `plan` function
 * and the AWS `collect` function scan AWS with.
 */
import type { ScanConfig } from '../../config/scan-config.ts';
import type { Collector, CollectorClients } from '../collector.ts';
import { runtimeSettings } from '../scan.ts';
import { awsClientFactory } from './clients.ts';
import { awsCollector } from './collector.ts';

/**
 * The AWS collector of a config, or `undefined` when the config has no `aws` section.
 *
 * @example const aws = awsCollectorFrom(config, { aws: factoryPointingAtMoto });
 */
export function awsCollectorFrom(
  config: ScanConfig,
  clients: CollectorClients = {},
): Collector | undefined {
  if (!config.aws) return undefined;
  const factory =
    clients.aws ?? awsClientFactory(config.aws, runtimeSettings(config), clients.awsOptions);
  const reportWaitMs = config.collection.credentialReportWaitSeconds * 1000;
  return awsCollector(config.aws, factory, reportWaitMs) as Collector;
}
