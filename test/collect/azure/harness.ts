/**
 * Runs the Azure collector (the real SDK clients and credentials) against the local Azure
 * server: plan, then every unit, as a scan does.
 */
import type { CollectionError, Resource } from '../../../checks/types.ts';
import {
  type AzureClientFactory,
  type AzureDeps,
  type AzureScanUnit,
  azureClientFactory,
  azureCollector,
} from '../../../functions/collect/azure/index.ts';
import { CollectRuntime, type RuntimeSettings } from '../../../functions/collect/runtime.ts';
import type { AzureTargets } from '../../../functions/config/scan-config.ts';
import type { AzureServer } from '../../helpers/azure-server.ts';

export const CLIENT_ID = '00000000-0000-0000-0000-0000000000c1';
export const CLIENT_SECRET = 'pci-posture-test-client-secret-Zq8~x';
export const SECRET_ENV = 'PCI_POSTURE_TEST_AZURE_SECRET';

export const SETTINGS: RuntimeSettings = {
  concurrency: 4,
  callTimeoutMs: 5000,
  maxAttempts: 3,
  budgetMs: 60_000,
};

/**
 * Targets pointing at the server, with a client secret from an environment variable.
 *
 * @example const targets = targetsFor(server, { subscriptions: [sub] });
 */
export function targetsFor(server: AzureServer, over: Partial<AzureTargets> = {}): AzureTargets {
  return {
    subscriptions: 'all',
    tenantId: server.tenantId,
    clientId: CLIENT_ID,
    credentials: { type: 'secret', env: SECRET_ENV },
    cloud: { authorityHost: server.url, resourceManager: server.url },
    ...over,
  };
}

/** What one collection gave. */
export interface AzureRun {
  units: AzureScanUnit[];
  resources: Resource[];
  errors: CollectionError[];
  calls: Map<string, number>;
  /** Everything the collection produced, as text (to search for secrets). */
  text: string;
}

/**
 * The client factory `collectAzure` uses, for a test that scans more than once with one factory
 * (as a warm Lambda does).
 *
 * @example const { targets, clients } = azureClients(server, { subscriptions: [sub] }); await collectWith(targets, clients);
 */
export function azureClients(
  server: AzureServer,
  over: Partial<AzureTargets> = {},
  deps: AzureDeps = {},
  settings: RuntimeSettings = SETTINGS,
): { targets: AzureTargets; clients: AzureClientFactory } {
  const targets = targetsFor(server, over);
  const clients = azureClientFactory(targets, settings, {
    tlsCa: server.ca,
    env: { [SECRET_ENV]: CLIENT_SECRET },
    retryDelayMs: 50,
    ...deps,
  });
  return { targets, clients };
}

/**
 * Plans and collects every unit with the given clients, as `collectScan` would.
 *
 * @example const run = await collectWith(targets, clients);
 */
export async function collectWith(
  targets: AzureTargets,
  clients: AzureClientFactory,
  settings: RuntimeSettings = SETTINGS,
): Promise<AzureRun> {
  const collector = azureCollector(targets, clients);
  const rt = new CollectRuntime(settings);
  try {
    const plan = await collector.plan(rt);
    const shards = await Promise.all(plan.units.map((u) => collector.collect(rt, u)));
    const resources = shards.flatMap((s) => s.resources);
    const errors = [...plan.errors, ...shards.flatMap((s) => s.errors)];
    return {
      units: plan.units,
      resources,
      errors,
      calls: rt.calls,
      text: JSON.stringify({ units: plan.units, resources, errors }),
    };
  } finally {
    rt.close();
  }
}

/**
 * Plans and collects every unit, as `collectScan` would, with a new client factory.
 *
 * @example const run = await collectAzure(server, { subscriptions: 'all' }); expect(run.errors).toEqual([]);
 */
export async function collectAzure(
  server: AzureServer,
  over: Partial<AzureTargets> = {},
  deps: AzureDeps = {},
  settings: RuntimeSettings = SETTINGS,
): Promise<AzureRun> {
  const { targets, clients } = azureClients(server, over, deps, settings);
  return collectWith(targets, clients, settings);
}
