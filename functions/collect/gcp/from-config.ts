/**
 * The GCP collector of a scan configuration, with its clients: what the CLI, the `plan` function
 * and the GCP `collect` function scan GCP with.
 */
import type { ScanConfig } from '../../config/scan-config.ts';
import type { Collector, CollectorClients } from '../collector.ts';
import { runtimeSettings } from '../scan.ts';
import { gcpClientFactory } from './clients.ts';
import { gcpCollector } from './collector.ts';

/**
 * The GCP collector of a config, or `undefined` when the config has no `gcp` section. The
 * credentials are made once, on first use, for the plan and every project of the scan.
 *
 * @example const gcp = gcpCollectorFrom(config, { readSecret });
 */
export function gcpCollectorFrom(
  config: ScanConfig,
  clients: CollectorClients = {},
): Collector | undefined {
  if (!config.gcp) return undefined;
  const factory =
    clients.gcp ??
    gcpClientFactory(config.gcp, runtimeSettings(config), {
      ...(clients.readSecret ? { readSecret: clients.readSecret } : {}),
    });
  return gcpCollector(config.gcp, factory) as Collector;
}
