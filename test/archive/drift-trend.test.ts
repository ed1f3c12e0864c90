import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CollectionError, Inventory, Resource } from '../../checks/types.ts';
import {
  ensureLocalKeyPair,
  LocalPemSigner,
  publicKeyFingerprint,
} from '../../functions/archive/signer.ts';
import { LocalFolderStore } from '../../functions/archive/store.ts';
import { type WrittenRun, writeRun } from '../../functions/archive/write-run.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import type { Changes, Report } from '../../functions/report/report.ts';
import { eksCluster } from '../checks/harness.ts';
import { schemaErrors } from '../helpers/report-schema.ts';
import { tempDir } from '../helpers/tmp.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-10-01T02:00:00Z');
let signer: LocalPemSigner;
let publicPem: string;

const privateCluster = (name: string) =>
  eksCluster(name, { version: '1.33', resourcesVpcConfig: { endpointPublicAccess: false } });
const publicCluster = (name: string) =>
  eksCluster(name, {
    version: '1.33',
    resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
  });

const inventory = (resources: Resource[], errors: CollectionError[] = []): Inventory => ({
  schema: 'pci-posture/inventory@1',
  collectedAt: '2026-10-01T02:00:00Z',
  resources,
  errors,
});

const denied: CollectionError = {
  provider: 'gcp',
  scope: { project: 'shop-prod' },
  types: ['gcp.gke.cluster'],
  operation: 'projects.locations.clusters.list',
  message: 'PERMISSION_DENIED',
};

async function write(dir: string, inv: Inventory, day: number): Promise<WrittenRun> {
  return writeRun({
    store: new LocalFolderStore(dir),
    signer,
    evaluation: evaluate(inv),
    now: new Date(START + day * DAY),
  });
}

const stored = (run: WrittenRun): Report =>
  JSON.parse(readFileSync(join(run.location, 'report.json'), 'utf8')) as Report;

beforeAll(() => {
  const keys = tempDir('drift-keys');
  ensureLocalKeyPair(join(keys, 'key.pem'), join(keys, 'pub.pem'));
  signer = LocalPemSigner.fromFile(join(keys, 'key.pem'));
  publicPem = readFileSync(join(keys, 'pub.pem'), 'utf8');
});

describe('drift between consecutive runs of an archive', () => {
  let first: Report;
  let second: Report;

  beforeAll(async () => {
    const dir = tempDir('drift');
    first = stored(
      await write(dir, inventory([publicCluster('payments'), privateCluster('batch')]), 0),
    );
    second = stored(
      await write(
        dir,
        inventory([privateCluster('payments'), publicCluster('storefront')], [denied]),
        1,
      ),
    );
  });

  it('a first run has no changes and a trend of itself', () => {
    expect(first.changes).toBeNull();
    expect(first.trend).toEqual([
      { runId: first.runId, generatedAt: first.generatedAt, summary: first.summary },
    ]);
  });

  it('the next run names new and resolved failures, new and removed resources, new errors', () => {
    const changes = second.changes as Changes;
    expect(changes.since).toBe(first.runId);
    const ids = (list: Changes['newFailures']) => [
      ...new Set(list.map((f) => f.resourceId.split('/').pop())),
    ];
    expect(ids(changes.newFailures)).toEqual(['storefront']);
    // payments was fixed; batch is gone, so its failures are resolved with no status now.
    expect(ids(changes.resolvedFailures)).toEqual(['batch', 'payments']);
    const statusOf = (name: string) =>
      new Set(
        changes.resolvedFailures.filter((f) => f.resourceId.endsWith(name)).map((f) => f.status),
      );
    expect(statusOf('/payments')).toEqual(new Set(['PASS']));
    expect(statusOf('/batch')).toEqual(new Set([null]));
    expect(changes.newResources.map((r) => r.id.split('/').pop())).toEqual(['storefront']);
    expect(changes.removedResources.map((r) => r.id.split('/').pop())).toEqual(['batch']);
    expect(changes.newErrors).toEqual([denied]);
  });

  it('carries the trend forward and records the signing key', () => {
    expect(second.trend.map((t) => t.runId)).toEqual([first.runId, second.runId]);
    expect(second.signing).toEqual({
      keyId: signer.keyId,
      publicKeySha256: publicKeyFingerprint(publicPem),
    });
  });

  it('both reports validate against the shipped JSON Schema', () => {
    expect(schemaErrors(first)).toEqual([]);
    expect(schemaErrors(second)).toEqual([]);
  });
});

describe('drift from a previous run that does not match its SHA256SUMS', () => {
  it('is marked unavailable with the reason, and the run is still written and linked', async () => {
    const dir = tempDir('drift-tampered');
    const one = await write(dir, inventory([publicCluster('payments')]), 0);
    appendFileSync(join(one.location, 'inventory.json'), ' ');
    const two = stored(await write(dir, inventory([privateCluster('payments')]), 1));
    expect(two.previous?.runId).toBe(one.run.runId);
    expect(two.changes).toEqual({
      since: one.run.runId,
      unavailable: `${one.run.runId}: inventory.json does not match its SHA256SUMS (altered after the run was signed)`,
    });
    // report.json itself still matches: the trend carries on.
    expect(two.trend.map((t) => t.runId)).toEqual([one.run.runId, two.runId]);
    expect(schemaErrors(two)).toEqual([]);
  });
});

describe('the trend over a long archive', () => {
  it('keeps the last 30 runs, oldest first', async () => {
    const dir = tempDir('trend');
    const inv = inventory([publicCluster('payments')]);
    const runs: WrittenRun[] = [];
    for (let day = 0; day < 32; day++) runs.push(await write(dir, inv, day));
    const last = stored(runs.at(-1)!);
    expect(last.trend).toHaveLength(30);
    expect(last.trend.map((t) => t.runId)).toEqual(runs.slice(2).map((r) => r.run.runId));
    expect(last.trend.every((t) => t.summary.FAIL === last.summary.FAIL)).toBe(true);
  });
});
