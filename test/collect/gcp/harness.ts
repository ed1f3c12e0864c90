/**
 * What the GCP collector tests share: a scan of the local server (test/helpers/gcp-server.ts)
 * through the real client factory, with the targets given as a config's `gcp` section.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import type { Inventory } from '../../../checks/types.ts';
import { type GcpDeps, gcpClientFactory } from '../../../functions/collect/gcp/clients.ts';
import { gcpCollector } from '../../../functions/collect/gcp/collector.ts';
import { CollectRuntime, type RuntimeSettings } from '../../../functions/collect/runtime.ts';
import { type GcpTargets, scanConfigSchema } from '../../../functions/config/scan-config.ts';
import type { GcpServer } from '../../helpers/gcp-server.ts';

/** Fast settings: 3 attempts of at most 2 s. */
export const SETTINGS: RuntimeSettings = {
  concurrency: 4,
  callTimeoutMs: 2000,
  maxAttempts: 3,
  budgetMs: 60_000,
};

/**
 * A config's `gcp` section, parsed (defaults applied), with every endpoint on the server.
 *
 * @example const targets = targetsFor(server, { projects: ['shop-prod'], credentials: { type: 'service-account-key', file } });
 */
export function targetsFor(server: GcpServer, gcp: Record<string, unknown>): GcpTargets {
  const config = scanConfigSchema().parse({
    gcp: {
      ...gcp,
      endpoints: {
        container: server.url,
        resourceManager: server.url,
        sts: server.url,
        iamCredentials: server.url,
        ...(gcp.endpoints as object | undefined),
      },
    },
  });
  return config.gcp!;
}

/**
 * Plans and collects every unit, as `collectScan` would, into an inventory.
 *
 * @example const { inventory, units } = await scanGcp(targets, { readSecret });
 */
export async function scanGcp(
  targets: GcpTargets,
  deps: GcpDeps = {},
  settings: RuntimeSettings = SETTINGS,
): Promise<{ inventory: Inventory; rt: CollectRuntime; units: string[] }> {
  const rt = new CollectRuntime(settings);
  try {
    const gcp = gcpCollector(targets, gcpClientFactory(targets, settings, deps));
    const plan = await gcp.plan(rt);
    const shards = await Promise.all(plan.units.map((u) => gcp.collect(rt, u)));
    return {
      rt,
      units: plan.units.map((u) => gcp.label(u)),
      inventory: {
        schema: 'pci-posture/inventory@1',
        collectedAt: '2026-11-26T02:00:00Z',
        resources: shards.flatMap((s) => s.resources),
        errors: [...plan.errors, ...shards.flatMap((s) => s.errors)],
      },
    };
  } finally {
    rt.close();
  }
}

/**
 * A google-auth-library client that sends `token` as it is (the `auth` test hook).
 *
 * @example await scanGcp(targets, { auth: tokenAuth('test-access-token') });
 */
export function tokenAuth(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token });
  return client;
}

/**
 * A fresh temporary folder.
 *
 * @example const dir = tempDir();
 */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pci-posture-gcp-'));
}

/**
 * Writes `value` as JSON into a new temporary file and returns its path.
 *
 * @example const file = jsonFile('key.json', sa.key);
 */
export function jsonFile(name: string, value: unknown): string {
  const file = join(tempDir(), name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}
