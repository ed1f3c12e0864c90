/**
 * The GCP and Azure part of `npm run bench` (alone: `node test/bench/cloud-bench.ts`):
 * `collectScan` over 50 GCP projects and 50 Azure subscriptions of 4 clusters each, discovered
 * (an organization's folders; `subscriptions: all`), through the real credential paths (a
 * service-account key's signed JWT; an Entra client secret over https with a test CA), against
 * the local servers adding 50 ms to every API answer, at the default concurrency. It reports the
 * wall time against the ideal for that concurrency, `API requests x 50 ms / concurrency`
 * (goal: at most 1.3x for both clouds together, the issue's estate), for each cloud alone and
 * both together, median of 3, with the time of the plan (discovery: folder levels and
 * subscription pages are listed one after the other) before the first unit's request.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import { azureClientFactory } from '../../functions/collect/azure/clients.ts';
import { collectScan, runtimeSettings } from '../../functions/collect/scan.ts';
import { COLLECTION_DEFAULTS, scanConfigSchema } from '../../functions/config/scan-config.ts';
import { validate } from '../../functions/inventory/load.ts';
import { azureEstate, startAzureServer } from '../helpers/azure-server.ts';
import { gcpEstate, makeServiceAccountKey, startGcpServer } from '../helpers/gcp-server.ts';

/** The estate: projects and subscriptions, clusters in each. */
export const CLOUD_ESTATE = { scopes: 50, clustersPerScope: 4 } as const;
const LATENCY_MS = 50;
const CONCURRENCY = COLLECTION_DEFAULTS.concurrency;
const GOAL_X_IDEAL = 1.3;
const REPEAT = 3;
const CLIENT_ID = '0f6d8a55-31f1-4c2b-9a5a-1b2c3d4e5f60';
const CLIENT_SECRET = 'bench-client-secret';

/** One measured collection. */
interface Sample {
  ms: number;
  /** From the start to the first request of a unit (clusters or managed clusters). */
  planMs: number;
  requests: number;
  resources: number;
  errors: number;
}

/** What the cloud bench measured, per case. */
export interface CloudBenchCase {
  case: string;
  units: number;
  resources: number;
  errors: number;
  requests: number;
  planMs: number;
  medianMs: number;
  idealMs: number;
  xIdeal: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Measures GCP alone, Azure alone and both, against the ideal for the default concurrency.
 *
 * @example const cases = await benchClouds();
 */
export async function benchClouds(log = (m: string) => process.stderr.write(`${m}\n`)) {
  const dir = await mkdtemp(join(tmpdir(), 'pci-cloud-bench-'));
  const sa = makeServiceAccountKey();
  const gcp = await startGcpServer({
    estate: gcpEstate({
      projects: CLOUD_ESTATE.scopes,
      clustersPerProject: CLOUD_ESTATE.clustersPerScope,
    }),
    serviceAccounts: { [sa.email]: sa.publicKey },
    latencyMs: LATENCY_MS,
  });
  const azure = await startAzureServer({
    estate: azureEstate({
      subscriptions: CLOUD_ESTATE.scopes,
      clustersPerSubscription: CLOUD_ESTATE.clustersPerScope,
    }),
    credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
    latencyMs: LATENCY_MS,
  });
  try {
    const keyFile = join(dir, 'gcp-key.json');
    writeFileSync(keyFile, JSON.stringify(sa.key));
    const sections = {
      gcp: {
        projects: { organization: 'organizations/1' },
        credentials: { type: 'service-account-key', file: keyFile },
        endpoints: { container: gcp.url, resourceManager: gcp.url },
      },
      azure: {
        subscriptions: 'all',
        tenantId: azure.tenantId,
        clientId: CLIENT_ID,
        credentials: { type: 'secret', env: 'BENCH_AZURE_SECRET' },
        cloud: { authorityHost: azure.url, resourceManager: azure.url },
      },
    };
    const measure = async (which: ('gcp' | 'azure')[]): Promise<Sample> => {
      const config = validate(
        scanConfigSchema(),
        {
          ...Object.fromEntries(which.map((w) => [w, sections[w]])),
          kubernetes: { enabled: false },
        },
        'the bench config',
      );
      const gcpBefore = gcp.requests.length;
      const azureBefore = azure.requests.filter((r) => r.operation).length;
      const clients = config.azure
        ? {
            azure: azureClientFactory(config.azure, runtimeSettings(config), {
              tlsCa: azure.ca,
              env: { BENCH_AZURE_SECRET: CLIENT_SECRET },
            }),
          }
        : {};
      const started = Date.now();
      const t0 = performance.now();
      const result = await collectScan(config, {
        collectors: await allCollectors(config, clients),
      });
      const ms = performance.now() - t0;
      const firstUnit = Math.min(
        ...gcp.requests
          .slice(gcpBefore)
          .filter((r) => r.path.endsWith('/locations/-/clusters'))
          .map((r) => r.at),
        ...azure.requests
          .filter((r) => r.operation === 'ManagedClusters_List')
          .map((r) => r.at)
          .filter((at) => at >= started),
      );
      const requests =
        gcp.requests.length -
        gcpBefore +
        azure.requests.filter((r) => r.operation).length -
        azureBefore;
      return {
        ms,
        planMs: firstUnit - started,
        requests,
        resources: result.inventory.resources.length,
        errors: result.inventory.errors.length,
      };
    };
    const cases: CloudBenchCase[] = [];
    for (const [name, which] of [
      ['GCP', ['gcp']],
      ['Azure', ['azure']],
      ['GCP and Azure', ['gcp', 'azure']],
    ] as const) {
      await measure([...which]); // warm-up: module loads, first TLS handshakes
      const samples: Sample[] = [];
      for (let i = 0; i < REPEAT; i++) {
        log(`  clouds: ${name} #${i + 1}...`);
        samples.push(await measure([...which]));
      }
      const mid = samples.find((s) => s.ms === median(samples.map((x) => x.ms)))!;
      const idealMs = (mid.requests * LATENCY_MS) / CONCURRENCY;
      cases.push({
        case: name,
        units: which.length * CLOUD_ESTATE.scopes,
        resources: mid.resources,
        errors: mid.errors,
        requests: mid.requests,
        planMs: Math.round(mid.planMs),
        medianMs: Math.round(mid.ms),
        idealMs: Math.round(idealMs),
        xIdeal: Number((mid.ms / idealMs).toFixed(2)),
      });
    }
    console.log(
      `\nclouds: ${CLOUD_ESTATE.scopes} GCP projects and ${CLOUD_ESTATE.scopes} Azure subscriptions of ${CLOUD_ESTATE.clustersPerScope} clusters each, discovered, behind ${LATENCY_MS} ms per API answer; concurrency ${CONCURRENCY}; median of ${REPEAT}; ideal = API requests x ${LATENCY_MS} ms / ${CONCURRENCY}`,
    );
    console.table(cases);
    const both = cases.at(-1)!;
    const ok = both.xIdeal <= GOAL_X_IDEAL && cases.every((c) => c.errors === 0);
    console.log(
      `goal (both clouds <= ${GOAL_X_IDEAL}x ideal, no error): ${ok ? 'met' : 'NOT met'} (${both.xIdeal}x; alone: ${cases
        .slice(0, -1)
        .map((c) => `${c.case} ${c.xIdeal}x, of which the plan ${c.planMs} ms`)
        .join('; ')})`,
    );
    return cases;
  } finally {
    await gcp.close();
    await azure.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchClouds();
