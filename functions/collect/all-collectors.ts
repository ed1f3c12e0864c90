/**
 * Every collector, made from a scan configuration with its clients: what the command line and the
 * `plan` function scan with. Each provider's module is loaded only when the config names that
 * provider, so an AWS-only scan never loads the Google or Azure libraries (and the `plan` bundle
 * initializes only what its config needs). A deployed `collect` function makes only its own
 * provider's collector (the `*CollectorFrom` functions), so its bundle carries no other SDK.
 */
import type { ScanConfig } from '../config/scan-config.ts';
import type { Collector, CollectorClients } from './collector.ts';

/**
 * A collector for every cloud provider the config names, each with one client factory for the
 * whole scan, and the Kubernetes collector unless `kubernetes.enabled` is false.
 *
 * @example const { inventory } = await collectScan(config, { collectors: await allCollectors(config) });
 */
export async function allCollectors(
  config: ScanConfig,
  clients: CollectorClients = {},
): Promise<Collector[]> {
  const made = await Promise.all([
    config.aws
      ? import('./aws/from-config.ts').then((m) => m.awsCollectorFrom(config, clients))
      : undefined,
    config.gcp
      ? import('./gcp/from-config.ts').then((m) => m.gcpCollectorFrom(config, clients))
      : undefined,
    config.azure
      ? import('./azure/from-config.ts').then((m) => m.azureCollectorFrom(config, clients))
      : undefined,
    config.kubernetes.enabled
      ? import('./kubernetes/from-config.ts').then((m) =>
          m.kubernetesCollectorFrom(config, clients),
        )
      : undefined,
  ]);
  return made.filter((c): c is Collector => c !== undefined);
}
