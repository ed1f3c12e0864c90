/**
 * The Azure collector of a scan configuration, with its clients: what the CLI, the `plan` function
 * and the Azure `collect` function scan Azure with.
 */
import type { ScanConfig } from '../../config/scan-config.ts';
import type { Collector, CollectorClients } from '../collector.ts';
import { runtimeSettings } from '../scan.ts';
import { azureClientFactory } from './clients.ts';
import { azureCollector } from './collector.ts';

/**
 * The Azure collector of a config, or `undefined` when the config has no `azure` section. The
 * credential is made once, on first use, for the plan and every subscription of the scan.
 *
 * @example const azure = azureCollectorFrom(config, { readSecret });
 */
export function azureCollectorFrom(
  config: ScanConfig,
  clients: CollectorClients = {},
): Collector | undefined {
  if (!config.azure) return undefined;
  const factory =
    clients.azure ??
    azureClientFactory(config.azure, runtimeSettings(config), {
      ...(clients.readSecret ? { readSecret: clients.readSecret } : {}),
    });
  return azureCollector(config.azure, factory) as Collector;
}
