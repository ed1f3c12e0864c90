/**
 * The GCP collector against the local server with the real fixtures: the calls it makes (GKE
 * through `@google-cloud/container` in REST mode, Resource Manager over REST), the inventory it
 * builds (the stored `data` is the fixture's REST JSON, field for field, less the fields the
 * library's protos do not know), and the checks' verdicts on it. Credentials: a service-account
 * key file made at test time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gkeClient } from '../../../functions/collect/gcp/clients.ts';
import { GCP_OPERATIONS } from '../../../functions/collect/gcp/permissions.ts';
import {
  loadContainerDescriptors,
  type ProtoMessage,
  protoMessage,
} from '../../../functions/collect/gcp/proto-json.ts';
import { evaluate } from '../../../functions/engine/evaluate.ts';
import {
  fixtureEstate,
  GCP_FIXTURES,
  type GcpServer,
  makeServiceAccountKey,
  startGcpServer,
} from '../../helpers/gcp-server.ts';
import { jsonFile, scanGcp, targetsFor, tokenAuth } from './harness.ts';

const sa = makeServiceAccountKey();
let server: GcpServer;
let keyFile: string;

beforeAll(async () => {
  server = await startGcpServer({
    estate: fixtureEstate(),
    serviceAccounts: { [sa.email]: sa.publicKey },
  });
  keyFile = jsonFile('key.json', sa.key);
});
afterAll(() => server.close());

const credentials = () => ({ type: 'service-account-key', file: keyFile });

await loadContainerDescriptors();
const CLUSTER = protoMessage('google.container.v1.Cluster');

/**
 * A REST JSON message less the fields its proto does not know (the library drops them when it
 * decodes), at any depth; `dropped` collects their paths.
 */
function knownToProto(
  type: ProtoMessage,
  value: Record<string, unknown>,
  dropped: string[] = [],
  at = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields.get(key);
    if (!field) {
      dropped.push(`${at}${key}`);
      continue;
    }
    const one = (x: unknown, path: string): unknown =>
      field.kind === 'message' &&
      !field.type.startsWith('google.protobuf.') &&
      x &&
      typeof x === 'object'
        ? knownToProto(protoMessage(field.type), x as Record<string, unknown>, dropped, `${path}.`)
        : x;
    if (field.repeated && Array.isArray(v)) out[key] = v.map((x, i) => one(x, `${at}${key}[${i}]`));
    else if (field.map && v && typeof v === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, one(x, `${at}${key}.${k}`)]),
      );
    } else out[key] = one(v, `${at}${key}`);
  }
  return out;
}

describe('collecting listed projects', () => {
  it('lists clusters over every location and reads each policy at version 3', async () => {
    server.requests.length = 0;
    const { inventory, units, rt } = await scanGcp(
      targetsFor(server, {
        projects: ['shop-prod', 'shop-dev', 'shop-data'],
        credentials: credentials(),
      }),
    );
    expect(units).toEqual(['gcp shop-data', 'gcp shop-dev', 'gcp shop-prod']);
    expect(inventory.errors).toEqual([]);

    const calls = server.requests.map((r) => `${r.method} ${r.path}`).sort();
    expect(calls).toEqual(
      ['shop-data', 'shop-dev', 'shop-prod']
        .flatMap((p) => [
          `GET /v1/projects/${p}/locations/-/clusters`,
          `POST /v3/projects/${p}:getIamPolicy`,
        ])
        .sort(),
    );
    for (const r of server.requests.filter((r) => r.method === 'GET')) {
      // gax in REST mode: enums asked for by number, its client header names the transport.
      expect(r.query).toEqual({ $alt: 'json;enum-encoding=int' });
      expect(r.headers['x-goog-api-client']).toMatch(/\bgapic\/7\.2\.0\b.*\brest\//);
    }
    for (const r of server.requests) {
      expect(r.status).toBe(200);
      // A self-signed JWT of the key, verified by the server; no token endpoint was called.
      expect(r.headers.authorization).toMatch(/^Bearer ey/);
      if (r.method === 'POST') {
        expect(JSON.parse(r.body)).toEqual({ options: { requestedPolicyVersion: 3 } });
        expect(r.headers['content-type']).toBe('application/json');
      }
    }
    const operations = [...rt.calls.keys()].filter((k) => k !== 'auth.accessToken').sort();
    expect(operations).toEqual([
      'cloudresourcemanager.projects.getIamPolicy',
      'container.projects.locations.clusters.list',
    ]);
    for (const o of operations) expect(GCP_OPERATIONS).toContain(o);
  });

  it('stores each cluster and policy as the REST JSON the API answered, with CONTRACTS ids and scopes', async () => {
    const { inventory } = await scanGcp(
      targetsFor(server, { projects: ['shop-prod'], credentials: credentials() }),
    );
    const [fixture] = GCP_FIXTURES.clusters;
    const dropped: string[] = [];
    const known = knownToProto(CLUSTER, fixture!, dropped);
    // Every field of cartography's cluster is in the library's protos (7.2.0): nothing is lost.
    expect(dropped).toEqual([]);
    expect(inventory.resources).toStrictEqual([
      {
        provider: 'gcp',
        type: 'gcp.gke.cluster',
        id: '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/test-cluster',
        scope: { project: 'shop-prod', location: 'europe-west2' },
        data: known,
      },
      {
        provider: 'gcp',
        type: 'gcp.project.iam-policy',
        id: '//cloudresourcemanager.googleapis.com/projects/shop-prod',
        scope: { project: 'shop-prod' },
        data: GCP_FIXTURES.forsetiPolicy,
      },
    ]);
    // Field for field, although the server answered enums by number and the library filled in
    // every default: enums by name, int64 as strings, empty messages kept, no default added.
    const data = inventory.resources[0]?.data as Record<string, unknown>;
    expect(data.status).toBe('RUNNING');
    expect(data.databaseEncryption).toStrictEqual({ state: 'DECRYPTED' });
    expect(data.defaultMaxPodsConstraint).toStrictEqual({ maxPodsPerNode: '10' });
    expect(data.legacyAbac).toStrictEqual({});
    expect(data.shieldedNodes).toStrictEqual({});
    expect(data.createTime).toBe('2019-01-01T00:00:00+00:00');
    expect(Object.keys(data).sort()).toEqual(Object.keys(fixture!).sort());
  });

  it('fields the protos do not know are dropped (the library decodes them away); presence and well-known types survive', async () => {
    const [base] = GCP_FIXTURES.clusters;
    const cluster = structuredClone(base!) as Record<string, unknown> & {
      nodePools: (Record<string, unknown> & { config: Record<string, unknown> })[];
      maintenancePolicy: { window: Record<string, unknown> };
    };
    cluster.futureSecurityFeature = { enabled: true };
    cluster.nodePools[0]!.config.futureNodeSetting = 'on';
    cluster.satisfiesPzs = false; // proto3 optional: sent, so kept even at its default
    cluster.maintenancePolicy.window.maintenanceExclusions = {
      freeze: { startTime: '2026-12-20T00:00:00Z', endTime: '2027-01-02T00:00:00.500Z' },
    };
    cluster.nodePools[0]!.upgradeSettings = {
      strategy: 'BLUE_GREEN',
      blueGreenSettings: { nodePoolSoakDuration: '3600s' },
    };
    const local = await startGcpServer({
      estate: { projects: { 'shop-new': { clusters: [cluster], iamPolicy: {} } } },
      serviceAccounts: { [sa.email]: sa.publicKey },
    });
    try {
      const { inventory } = await scanGcp(
        targetsFor(local, { projects: ['shop-new'], credentials: credentials() }),
      );
      expect(inventory.errors).toEqual([]);
      const dropped: string[] = [];
      const known = knownToProto(CLUSTER, cluster, dropped);
      expect(dropped.sort()).toEqual([
        'futureSecurityFeature',
        'nodePools[0].config.futureNodeSetting',
      ]);
      const stored = inventory.resources.find((r) => r.type === 'gcp.gke.cluster')?.data;
      expect(stored).toStrictEqual(known);
    } finally {
      await local.close();
    }
  });

  it('the checks read the collected fields: verdicts follow the fixtures', async () => {
    const { inventory } = await scanGcp(
      targetsFor(server, { projects: ['shop-prod', 'shop-dev'], credentials: credentials() }),
    );
    const { findings } = evaluate(inventory);
    const status = (check: string, resource: string) =>
      findings.find((f) => f.checkId === check && f.resourceId.includes(resource))?.status;
    const prod = 'projects/shop-prod/locations/europe-west2/clusters/test-cluster';
    const dev = 'projects/shop-dev/locations/us-central1/clusters/autopilot-1';
    const table: [string, string, string][] = [
      ['gke-private-nodes', prod, 'PASS'], // privateClusterConfig.enablePrivateNodes
      ['gke-control-plane-not-public', prod, 'PASS'], // enablePrivateEndpoint
      ['gke-network-policy-enforced', prod, 'PASS'], // networkPolicy.enabled
      ['gke-secrets-encrypted-kms', prod, 'FAIL'], // databaseEncryption DECRYPTED
      ['gke-workload-identity-enabled', prod, 'PASS'], // workloadPool
      ['gke-node-metadata-protected', prod, 'FAIL'], // no workloadMetadataConfig
      ['gke-shielded-nodes', prod, 'FAIL'], // shieldedNodes {}
      ['gke-legacy-abac-disabled', prod, 'PASS'], // legacyAbac {}
      ['gke-node-metadata-protected', dev, 'PASS'], // autopilot
      ['gcp-iam-no-basic-roles-for-people', 'projects/shop-prod', 'FAIL'], // owner to user:/group:
      ['gcp-iam-audit-logging', 'projects/shop-prod', 'PASS'], // allServices, all three types
      ['gcp-iam-audit-logging', 'projects/shop-dev', 'FAIL'], // an exempted member
    ];
    expect(table.map(([c, r]) => [c, r, status(c, r)])).toEqual(table);
  });
});

describe('the GKE client', () => {
  // An override taken apart into host, port and protocol is what every test above calls.
  it("is Google's endpoint by default; an override with a path is refused", async () => {
    const auth = tokenAuth('t');
    expect((await gkeClient(auth, undefined)).apiEndpoint).toBe('container.googleapis.com');
    await expect(gkeClient(auth, 'http://127.0.0.1:8123/')).resolves.toBeDefined();
    await expect(gkeClient(auth, 'https://proxy.example.com/container')).rejects.toThrow(
      /without a path/,
    );
  });
});
