/**
 * Every collector, made from a scan configuration with its clients: what the command line and the
 * `plan` function scan with. A deployed `collect` function makes only its own provider's
 * collector (the `*CollectorFrom` functions), so its bundle carries no other provider's SDK.
 */
import type { ScanConfig } from '../config/scan-config.ts';
import { awsCollectorFrom } from './aws/from-config.ts';
import { azureCollectorFrom } from './azure/from-config.ts';
import type { Collector, CollectorClients } from './collector.ts';
import { gcpCollectorFrom } from './gcp/from-config.ts';

/**
 * A collector for every cloud provider the config names, each with one client factory for the
 * whole scan.
 *
 * @example const { inventory } = await collectScan(config, { collectors: allCollectors(config) });
 */
export function allCollectors(config: ScanConfig, clients: CollectorClients = {}): Collector[] {
  return [
    awsCollectorFrom(config, clients),
    gcpCollectorFrom(config, clients),
    azureCollectorFrom(config, clients),
  ].filter((c): c is Collector => c !== undefined);
}
