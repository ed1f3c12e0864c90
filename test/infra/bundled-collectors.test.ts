/**
 * The GCP collector as the functions' bundles run it: bundled with the functions' own esbuild
 * options, run from a folder without node_modules, against the local GCP server. The full
 * bundle (as collect-gcp) reads projects through the GKE library; the plan bundle, built without
 * that library (PLAN_EXCLUDED_MODULES), still discovers the projects under a folder. The
 * Kubernetes collector, bundled as collect-kubernetes is, reads a cluster through
 * `@kubernetes/client-node` against the local API server.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, PLAN_EXCLUDED_MODULES } from '../../infra/bundling.ts';
import {
  fixtureEstate,
  type GcpServer,
  makeServiceAccountKey,
  startGcpServer,
} from '../helpers/gcp-server.ts';
import { paymentsEstate } from '../helpers/kubernetes-estate.ts';
import { type KubernetesServer, startKubernetesServer } from '../helpers/kubernetes-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const ENTRY = 'test/infra/fixtures/bundled-scan-entry.ts';

let gcp: GcpServer;
let k8s: KubernetesServer | undefined;
let dir: string;
let config: string;

/** Bundles the entry (excluding `exclude`) and runs it in `dir`, where no node_modules is. */
async function runBundle(
  name: string,
  exclude: readonly string[],
  env: Record<string, string>,
  scanConfig = config,
) {
  const outfile = join(dir, name, 'index.mjs');
  await build({ ...esbuildOptions(ENTRY, outfile, exclude), logLevel: 'error' });
  const { stdout } = await run(process.execPath, [outfile], {
    cwd: dir,
    env: { PATH: process.env.PATH, SCAN_CONFIG: scanConfig, ...env },
  });
  return JSON.parse(stdout) as {
    plan: { units: { label: string }[]; errors: unknown[] };
    shards: { resources: { type: string; id: string }[]; errors: unknown[] }[];
  };
}

beforeAll(async () => {
  dir = tempDir('bundled-collectors');
  const sa = makeServiceAccountKey();
  gcp = await startGcpServer({
    estate: fixtureEstate(),
    serviceAccounts: { [sa.email]: sa.publicKey },
  });
  const keyFile = join(dir, 'key.json');
  writeFileSync(keyFile, JSON.stringify(sa.key));
  config = JSON.stringify({
    gcp: {
      projects: { folder: 'folders/100' },
      credentials: { type: 'service-account-key', file: keyFile },
      endpoints: { container: gcp.url, resourceManager: gcp.url },
    },
    kubernetes: { enabled: false },
  });
});

afterAll(async () => {
  await gcp?.close();
  await k8s?.close();
});

describe('the Kubernetes collector, bundled as collect-kubernetes is', () => {
  it('reads a cluster through @kubernetes/client-node from the bundle, with no node_modules', async () => {
    const token = 'bundled-k8s-token-7f3a9c1e';
    k8s = await startKubernetesServer({ objects: paymentsEstate(), tokens: [token] });
    const direct = JSON.stringify({
      kubernetes: {
        clusters: [
          { name: 'onprem', endpoint: k8s.url, caData: k8s.caData, token: { env: 'K8S_TOKEN' } },
        ],
      },
    });
    const { plan, shards } = await runBundle('kubernetes', [], { K8S_TOKEN: token }, direct);
    expect(plan.units.map((u) => u.label)).toEqual(['kubernetes onprem']);
    expect(shards.flatMap((s) => s.errors)).toEqual([]);
    const types = new Set(shards.flatMap((s) => s.resources.map((r) => r.type)));
    expect(types.size).toBe(14);
    expect(k8s.requests.every((r) => r.authorized)).toBe(true);
  }, 120_000);
});

describe('the GCP collector, bundled as the functions are', () => {
  it('collect-gcp: the full bundle lists clusters through the GKE library, with no node_modules', async () => {
    const { plan, shards } = await runBundle('full', [], {});
    expect(plan.units.map((u) => u.label)).toEqual([
      'gcp shop-data',
      'gcp shop-dev',
      'gcp shop-prod',
    ]);
    expect(plan.errors).toEqual([]);
    expect(shards.flatMap((s) => s.errors)).toEqual([]);
    expect(shards.flatMap((s) => s.resources.map((r) => r.type)).sort()).toEqual([
      'gcp.gke.cluster',
      'gcp.gke.cluster',
      'gcp.project.iam-policy',
      'gcp.project.iam-policy',
      'gcp.project.iam-policy',
    ]);
  }, 120_000);

  it('plan: the bundle without the GKE library still discovers every project', async () => {
    const { plan } = await runBundle('plan', PLAN_EXCLUDED_MODULES, { PLAN_ONLY: '1' });
    expect(plan.units.map((u) => u.label)).toEqual([
      'gcp shop-data',
      'gcp shop-dev',
      'gcp shop-prod',
    ]);
    expect(plan.errors).toEqual([]);
  }, 120_000);

  it('plan: had it ever listed clusters, the missing library is an error, never a PASS', async () => {
    const { shards } = await runBundle('plan-collecting', PLAN_EXCLUDED_MODULES, {});
    const errors = shards.flatMap((s) => s.errors) as { types: string[]; message: string }[];
    expect(errors.length).toBe(3);
    for (const e of errors) {
      expect(e.types).toEqual(['gcp.gke.cluster']);
      expect(e.message).toMatch(/@google-cloud\/container/);
    }
  }, 120_000);
});
