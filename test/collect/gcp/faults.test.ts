/**
 * Faults, one project at a time, with a healthy project beside it: each failure becomes an
 * `errors` entry exactly as narrow as what it leaves unknown, retries follow throttling's
 * Retry-After and transient 5xx up to `maxAttempts`, a hanging API is cut off by the per-attempt
 * time limit, and the other project is always read in full.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GoogleApiError, gcpClientFactory } from '../../../functions/collect/gcp/clients.ts';
import { GCP_TYPES } from '../../../functions/collect/gcp/collector.ts';
import { evaluate } from '../../../functions/engine/evaluate.ts';
import {
  GCP_FIXTURES,
  type GcpFault,
  type GcpProjectEstate,
  type GcpServer,
  startGcpServer,
} from '../../helpers/gcp-server.ts';
import { SETTINGS, scanGcp, targetsFor, tokenAuth } from './harness.ts';

const TOKEN = 'test-access-token';
const auth = tokenAuth(TOKEN);
const CLUSTERS = 'container.projects.locations.clusters.list';
const POLICY = 'cloudresourcemanager.projects.getIamPolicy';
const clustersPath = (p: string) => `/v1/projects/${p}/locations/-/clusters`;
const policyPath = (p: string) => `/v3/projects/${p}:getIamPolicy`;

const healthy = (): GcpProjectEstate => ({
  clusters: GCP_FIXTURES.clusters,
  iamPolicy: GCP_FIXTURES.forsetiPolicy,
});

let server: GcpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scanWith(faulty: Partial<GcpProjectEstate>, settings = SETTINGS) {
  server = await startGcpServer({
    accessTokens: [TOKEN],
    estate: { projects: { 'shop-prod': healthy(), 'shop-faulty': { ...healthy(), ...faulty } } },
  });
  const targets = targetsFor(server, { projects: ['shop-prod', 'shop-faulty'] });
  const result = await scanGcp(targets, { auth }, settings);
  const requests = (path: string) => server!.requests.filter((r) => r.path === path);
  return { ...result, requests };
}

/** Every resource of the healthy project is there, whatever happened to the other. */
function expectHealthyProjectRead(resources: readonly { id: string }[]) {
  expect(resources.map((r) => r.id)).toEqual(
    expect.arrayContaining([
      '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/test-cluster',
      '//cloudresourcemanager.googleapis.com/projects/shop-prod',
    ]),
  );
}

describe('a failure is an error as narrow as what it leaves unknown', () => {
  it.each([
    {
      scenario: 'clusters denied (403): a GKE error for the project, its policy still read',
      faults: { clusters: { kind: 'denied' } },
      errors: [
        {
          types: ['gcp.gke.cluster'],
          operation: CLUSTERS,
          message: /^GoogleApiError: PERMISSION_DENIED: .* \(HTTP 403\)$/,
        },
      ],
      calls: { clusters: 1, policy: 1 },
      read: ['gcp.project.iam-policy'],
    },
    {
      scenario: 'policy denied (403): an IAM error for the project, its clusters still read',
      faults: { iamPolicy: { kind: 'denied' } },
      errors: [
        {
          types: ['gcp.project.iam-policy'],
          operation: POLICY,
          message: /PERMISSION_DENIED.*\(HTTP 403\)$/,
        },
      ],
      calls: { clusters: 1, policy: 1 },
      read: ['gcp.gke.cluster'],
    },
    {
      scenario: 'clusters answered with a body that is not JSON: an error, not retried',
      faults: { clusters: { kind: 'malformed' } },
      errors: [
        {
          types: ['gcp.gke.cluster'],
          operation: CLUSTERS,
          message:
            /^MalformedResponse: GET \/v1\/projects\/shop-faulty\/locations\/-\/clusters answered a body that is not JSON$/,
        },
      ],
      calls: { clusters: 1, policy: 1 },
      read: ['gcp.project.iam-policy'],
    },
    {
      scenario: 'policy 503 on every attempt: an error after maxAttempts (3) attempts',
      faults: { iamPolicy: { kind: 'server-error', status: 503, times: 10 } },
      errors: [
        {
          types: ['gcp.project.iam-policy'],
          operation: POLICY,
          message: /^GoogleApiError: UNAVAILABLE: .*\(HTTP 503\)$/,
        },
      ],
      calls: { clusters: 1, policy: 3 },
      read: ['gcp.gke.cluster'],
    },
    {
      scenario: 'clusters 500 once: retried, nothing lost',
      faults: { clusters: { kind: 'server-error', status: 500, times: 1 } },
      errors: [],
      calls: { clusters: 2, policy: 1 },
      read: ['gcp.gke.cluster', 'gcp.project.iam-policy'],
    },
    {
      scenario: 'policy 503 twice: retried, nothing lost',
      faults: { iamPolicy: { kind: 'server-error', status: 503, times: 2 } },
      errors: [],
      calls: { clusters: 1, policy: 3 },
      read: ['gcp.gke.cluster', 'gcp.project.iam-policy'],
    },
  ] as {
    scenario: string;
    faults: GcpProjectEstate['faults'];
    errors: { types: string[]; operation: string; message: RegExp }[];
    calls: { clusters: number; policy: number };
    read: string[];
  }[])('$scenario', async ({ faults, errors, calls, read }) => {
    const { inventory, requests } = await scanWith({ faults });
    expect(inventory.errors).toEqual(
      errors.map((e) => ({
        provider: 'gcp',
        scope: { project: 'shop-faulty' },
        types: e.types,
        operation: e.operation,
        message: expect.stringMatching(e.message),
      })),
    );
    expect(requests(clustersPath('shop-faulty'))).toHaveLength(calls.clusters);
    expect(requests(policyPath('shop-faulty'))).toHaveLength(calls.policy);
    const faultyTypes = inventory.resources
      .filter((r) => r.scope.project === 'shop-faulty')
      .map((r) => r.type);
    expect([...new Set(faultyTypes)].sort()).toEqual(read);
    expectHealthyProjectRead(inventory.resources);
  });

  it('a project the identity cannot see (403 on both): two errors, one per type', async () => {
    server = await startGcpServer({
      accessTokens: [TOKEN],
      estate: { projects: { 'shop-prod': healthy() } },
    });
    const { inventory } = await scanGcp(
      targetsFor(server, { projects: ['shop-prod', 'shop-hidden'] }),
      { auth },
    );
    const errors = inventory.errors.map((e) => [e.scope, e.types, e.operation]);
    expect(errors.sort((a, b) => String(a[2]).localeCompare(String(b[2])))).toEqual([
      [{ project: 'shop-hidden' }, ['gcp.project.iam-policy'], POLICY],
      [{ project: 'shop-hidden' }, ['gcp.gke.cluster'], CLUSTERS],
    ]);
    expectHealthyProjectRead(inventory.resources);
  });

  it('zones the listing could not reach: an error per zone, the clusters answered still stored', async () => {
    const { inventory } = await scanWith({ missingZones: ['us-east1-b', 'asia-east1-a'] });
    expect(inventory.errors).toEqual(
      ['us-east1-b', 'asia-east1-a'].map((zone) => ({
        provider: 'gcp',
        scope: { project: 'shop-faulty', location: zone },
        types: ['gcp.gke.cluster'],
        operation: CLUSTERS,
        message: `MissingZone: the GKE API could not reach ${zone}: its clusters are unknown (missingZones)`,
      })),
    );
    expect(inventory.resources.filter((r) => r.type === 'gcp.gke.cluster')).toHaveLength(2);
  });

  it('denied clusters make the GKE checks ERROR for the project; its IAM checks keep their verdicts', async () => {
    const { inventory } = await scanWith({ faults: { clusters: { kind: 'denied' } } });
    const { findings } = evaluate(inventory);
    const faulty = findings.filter((f) => f.scope.project === 'shop-faulty');
    const gke = faulty.filter((f) => f.resourceType === 'gcp.gke.cluster');
    expect(gke.length).toBeGreaterThan(0);
    for (const f of gke) expect([f.status, f.resourceId]).toEqual(['ERROR', 'gcp:shop-faulty']);
    const iam = faulty.filter((f) => f.resourceType === 'gcp.project.iam-policy');
    expect(iam.length).toBeGreaterThan(0);
    expect(iam.some((f) => f.status === 'FAIL')).toBe(true);
    expect(iam.every((f) => f.status !== 'ERROR')).toBe(true);
  });
});

describe('retries and time limits', () => {
  it('throttling (429 RESOURCE_EXHAUSTED) over REST is retried after the Retry-After the API sent', async () => {
    const fault: GcpFault = { kind: 'throttled', times: 1, retryAfterSeconds: 1 };
    const { inventory, requests } = await scanWith({ faults: { iamPolicy: fault } });
    expect(inventory.errors).toEqual([]);
    const [first, second] = requests(policyPath('shop-faulty'));
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('GKE throttling (gRPC RESOURCE_EXHAUSTED through gax) is retried after a jittered backoff: gax errors carry no Retry-After', async () => {
    const fault: GcpFault = { kind: 'throttled', times: 1, retryAfterSeconds: 1 };
    const { inventory, requests } = await scanWith({ faults: { clusters: fault } });
    expect(inventory.errors).toEqual([]);
    const [first, second] = requests(clustersPath('shop-faulty'));
    expect([first?.status, second?.status]).toEqual([429, 200]);
    // The first backoff is 100-200 ms.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(90);
    expect(inventory.resources.filter((r) => r.scope.project === 'shop-faulty')).toHaveLength(2);
  });

  it("gax's own retries are off: a GKE 503 on every attempt is tried exactly maxAttempts times", async () => {
    const fault: GcpFault = { kind: 'server-error', status: 503, times: 10 };
    const { inventory, requests } = await scanWith({ faults: { clusters: fault } });
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        scope: { project: 'shop-faulty' },
        types: ['gcp.gke.cluster'],
        message: 'GoogleApiError: UNAVAILABLE: Internal error encountered. (HTTP 503)',
      }),
    ]);
    expect(requests(clustersPath('shop-faulty'))).toHaveLength(SETTINGS.maxAttempts);
  });

  it('a GKE 403 is an error for that project with the API message, and no token in it', async () => {
    const { inventory } = await scanWith({ faults: { clusters: { kind: 'denied' } } });
    expect(inventory.errors.map((e) => e.message)).toEqual([
      'GoogleApiError: PERMISSION_DENIED: The caller does not have permission (shop-faulty/clusters) (HTTP 403)',
    ]);
    expect(JSON.stringify(inventory)).not.toContain(TOKEN);
  });

  it('throttling that outlasts maxAttempts ends as RESOURCE_EXHAUSTED', async () => {
    const fault: GcpFault = { kind: 'throttled', times: 10, retryAfterSeconds: 0 };
    const { inventory, requests } = await scanWith({ faults: { iamPolicy: fault } });
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        scope: { project: 'shop-faulty' },
        types: ['gcp.project.iam-policy'],
        message: expect.stringMatching(/^GoogleApiError: RESOURCE_EXHAUSTED: .*\(HTTP 429\)$/),
      }),
    ]);
    expect(requests(policyPath('shop-faulty'))).toHaveLength(SETTINGS.maxAttempts);
  });

  it('an API that never answers is cut off per attempt (callTimeoutMs), then given up', async () => {
    const settings = { ...SETTINGS, callTimeoutMs: 300, maxAttempts: 2 };
    const started = Date.now();
    const { inventory, requests } = await scanWith(
      { faults: { clusters: { kind: 'hang' } } },
      settings,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        scope: { project: 'shop-faulty' },
        types: ['gcp.gke.cluster'],
        message:
          'CallTimeout: GET /v1/projects/shop-faulty/locations/-/clusters did not answer within 0.3 s',
      }),
    ]);
    expect(requests(clustersPath('shop-faulty'))).toHaveLength(2);
    expectHealthyProjectRead(inventory.resources);
  });

  it('the collection budget stops a call waiting out a long Retry-After', async () => {
    const fault: GcpFault = { kind: 'throttled', times: 1, retryAfterSeconds: 15 };
    const started = Date.now();
    const { inventory } = await scanWith(
      { faults: { iamPolicy: fault } },
      { ...SETTINGS, budgetMs: 1000 },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        scope: { project: 'shop-faulty' },
        types: ['gcp.project.iam-policy'],
        message: expect.stringMatching(/^BudgetExceeded: /),
      }),
    ]);
  });

  it('the collection budget cancels a GKE call in flight (the runtime signal reaches gax)', async () => {
    const started = Date.now();
    const { inventory, requests } = await scanWith(
      { faults: { clusters: { kind: 'hang' } } },
      { ...SETTINGS, callTimeoutMs: 30_000, budgetMs: 800 },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(inventory.errors).toEqual([
      expect.objectContaining({
        scope: { project: 'shop-faulty' },
        types: ['gcp.gke.cluster'],
        message: expect.stringMatching(/^BudgetExceeded: /),
      }),
    ]);
    expect(requests(clustersPath('shop-faulty'))).toHaveLength(1);
  });
});

describe('a project whose Kubernetes Engine API is disabled', () => {
  const GET_PROJECT = 'cloudresourcemanager.projects.get';
  it.each([
    {
      scenario:
        'disabled in the project itself (consumer by number): no cluster and no error, learnt with one projects.get',
      fault: { kind: 'service-disabled' },
      errors: [],
      projectGets: 1,
    },
    {
      scenario:
        'disabled in the project itself (consumer by id): no cluster and no error, without projects.get',
      fault: { kind: 'service-disabled', consumer: 'projects/shop-faulty' },
      errors: [],
      projectGets: 0,
    },
    {
      scenario:
        'disabled in another project (a quota project mixed up): the GKE error stays for the project',
      fault: { kind: 'service-disabled', consumer: 'projects/999999999999' },
      errors: [
        /^GoogleApiError: PERMISSION_DENIED: container API has not been used in project 999999999999 .*\(HTTP 403\)$/,
      ],
      projectGets: 1,
    },
    {
      scenario: 'the project number cannot be read (projects.get denied): the GKE error stays',
      fault: { kind: 'service-disabled' },
      project: { kind: 'denied' },
      errors: [
        /^GoogleApiError: PERMISSION_DENIED: container API has not been used in project 100001 .*\(HTTP 403\)$/,
      ],
      projectGets: 1,
    },
  ] as {
    scenario: string;
    fault: GcpFault;
    project?: GcpFault;
    errors: RegExp[];
    projectGets: number;
  }[])('$scenario', async ({ fault, project, errors, projectGets }) => {
    const { inventory, requests, rt } = await scanWith({
      faults: { clusters: fault, ...(project ? { project } : {}) },
    });
    expect(inventory.errors).toEqual(
      errors.map((message) => ({
        provider: 'gcp',
        scope: { project: 'shop-faulty' },
        types: ['gcp.gke.cluster'],
        operation: CLUSTERS,
        message: expect.stringMatching(message),
      })),
    );
    // Not retried: one listing; the number read only when the consumer is a number.
    expect(requests(clustersPath('shop-faulty'))).toHaveLength(1);
    expect(requests('/v3/projects/shop-faulty')).toHaveLength(projectGets);
    expect(rt.calls.get(GET_PROJECT) ?? 0).toBe(projectGets);
    expect(requests('/v3/projects/shop-prod')).toEqual([]);
    const faulty = inventory.resources.filter((r) => r.scope.project === 'shop-faulty');
    expect(faulty.map((r) => r.type)).toEqual(['gcp.project.iam-policy']);
    expectHealthyProjectRead(inventory.resources);
  });

  it('a disabled API over REST keeps its ErrorInfo on the error: reason, domain, service, consumer', async () => {
    server = await startGcpServer({
      accessTokens: [TOKEN],
      estate: {
        projects: {
          'shop-prod': {
            ...healthy(),
            number: '123456789012',
            faults: { project: { kind: 'service-disabled' } },
          },
        },
      },
    });
    const targets = targetsFor(server, { projects: ['shop-prod'] });
    const client = await gcpClientFactory(targets, SETTINGS, { auth }).client();
    const error = await client
      .json(
        { api: 'resourceManager', method: 'GET', path: '/v3/projects/shop-prod' },
        AbortSignal.timeout(5000),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error).toMatchObject({
      status: 403,
      code: 'PERMISSION_DENIED',
      reason: 'SERVICE_DISABLED',
      domain: 'googleapis.com',
      service: 'cloudresourcemanager.googleapis.com',
      consumer: 'projects/123456789012',
    });
  });
});

describe('errors name no project they do not cover', () => {
  it('every error is scoped to a configured project', async () => {
    const { inventory } = await scanWith({
      faults: { clusters: { kind: 'denied' }, iamPolicy: { kind: 'denied' } },
    });
    for (const e of inventory.errors) expect(e.scope.project).toBe('shop-faulty');
    expect(new Set(inventory.errors.flatMap((e) => e.types))).toEqual(new Set(GCP_TYPES));
  });
});
