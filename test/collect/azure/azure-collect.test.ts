/**
 * The Azure collector against the local Azure server (real SDK clients, real credential path):
 * what it asks ARM for, and that it stores ARM's wire JSON.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AZURE_OPERATIONS, AZURE_TYPES } from '../../../functions/collect/azure/index.ts';
import {
  type AzureServer,
  FIXTURE_API_VERSIONS,
  fixtureEstate,
  startAzureServer,
} from '../../helpers/azure-server.ts';
import { CLIENT_ID, CLIENT_SECRET, collectAzure } from './harness.ts';

const [SUB_A, SUB_B] = fixtureEstate().subscriptions.map((s) => s.subscription.subscriptionId) as [
  string,
  string,
];

let server: AzureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const arm = (s: AzureServer) => s.requests.filter((r) => r.operation !== undefined);

describe('Azure collection from the fixtures', () => {
  it('reads two listed subscriptions: every list paged to its end, with the SDK api-versions', async () => {
    server = await startAzureServer({
      pageSize: 1,
      credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
    });
    const run = await collectAzure(server, { subscriptions: [SUB_B, SUB_A] });

    expect(run.errors).toEqual([]);
    expect(run.units).toEqual([
      { provider: 'azure', subscription: SUB_A },
      { provider: 'azure', subscription: SUB_B },
    ]);
    expect(server.unsupportedApiVersions()).toEqual([]);
    expect(AZURE_OPERATIONS).toEqual(FIXTURE_API_VERSIONS);
    // Listed subscriptions are not discovered.
    expect(arm(server).some((r) => r.operation === 'Subscriptions_List')).toBe(false);
    // Every ARM request carried a token the server issued; all answered 200.
    expect(arm(server).every((r) => r.bearer && r.status === 200)).toBe(true);

    for (const sub of [SUB_A, SUB_B]) {
      const of = (operation: string) =>
        arm(server!).filter((r) => r.subscription === sub && r.operation === operation);
      // pageSize 1: 2 clusters, 3 assignments, 2 custom roles, each page one request.
      expect(of('ManagedClusters_List').map((r) => [r.path, r.query])).toEqual([
        [
          `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters`,
          { 'api-version': '2026-06-01' },
        ],
        [
          `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters`,
          { 'api-version': '2026-06-01', $skiptoken: '1' },
        ],
      ]);
      expect(of('RoleAssignments_ListForScope').map((r) => [r.path, r.query])).toEqual(
        ['0', '1', '2'].map((page) => [
          `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments`,
          {
            'api-version': '2022-04-01',
            $filter: 'atScope()',
            ...(page === '0' ? {} : { $skiptoken: page }),
          },
        ]),
      );
      expect(of('RoleDefinitions_List').map((r) => [r.path, r.query])).toEqual(
        ['0', '1'].map((page) => [
          `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions`,
          {
            'api-version': '2022-04-01',
            $filter: "type eq 'CustomRole'",
            ...(page === '0' ? {} : { $skiptoken: page }),
          },
        ]),
      );
    }
    expect(Object.fromEntries(run.calls)).toEqual({
      ManagedClusters_List: 4,
      RoleAssignments_ListForScope: 6,
      RoleDefinitions_List: 4,
    });
    // One token for the whole collection (the three clients share the credential's cache).
    const tokens = server.requests.filter((r) => r.form);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      scope: `${server.url}/.default`,
    });
  });

  it('stores the wire JSON of every object, properties kept and ARM names unchanged', async () => {
    server = await startAzureServer({ pageSize: 1 });
    const estate = fixtureEstate();
    const run = await collectAzure(server, { subscriptions: [SUB_A, SUB_B] });
    expect(run.errors).toEqual([]);

    const expected = estate.subscriptions.flatMap((s) => {
      const subscription = s.subscription.subscriptionId;
      return [
        ...s.clusters.map((c) => ({
          type: 'azure.aks.managed-cluster',
          id: c.id,
          scope: {
            subscription,
            resourceGroup: /\/resourceGroups\/([^/]+)\//.exec(String(c.id))?.[1],
          },
          data: c,
        })),
        ...s.roleAssignments.map((a) => ({
          type: 'azure.authorization.role-assignment',
          id: a.id,
          scope: { subscription },
          data: a,
        })),
        ...s.roleDefinitions.map((d) => ({
          type: 'azure.authorization.role-definition',
          id: d.id,
          scope: { subscription },
          data: d,
        })),
      ];
    });
    const key = (r: { type: string; id: unknown; scope: unknown }) =>
      `${r.type} ${r.id} ${JSON.stringify(r.scope)}`;
    const sort = <T extends { type: string; id: unknown; scope: unknown }>(list: T[]) =>
      [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(run.resources)).toEqual(sort(expected.map((r) => ({ provider: 'azure', ...r }))));
    expect(new Set(run.resources.map((r) => r.type))).toEqual(new Set(AZURE_TYPES));

    // The fixture cluster, as the 2026-06-01 example has it: ARM spelling, properties nested.
    const cluster = run.resources.find((r) => r.id.endsWith('/managedClusters/clustername1'))!;
    const data = cluster.data as { properties: Record<string, unknown> };
    expect(data.properties.enableRBAC).toBe(false);
    expect(data.properties).not.toHaveProperty('enableRbac');
    expect(data.properties.diskEncryptionSetID).toMatch(/diskEncryptionSets\/des$/);
    expect(cluster.scope).toEqual({ subscription: SUB_A, resourceGroup: 'rg1' });
    const payments = run.resources.find((r) => r.id.includes('/resourceGroups/RG-Payments/'))!;
    expect(payments.scope.resourceGroup).toBe('RG-Payments');
    const assignment = run.resources.find((r) =>
      r.id.endsWith('/roleAssignments/b0f43c54-e787-4862-89b1-a653fa9cf747'),
    )!;
    expect(assignment.data).toMatchObject({
      properties: {
        principalType: 'User',
        scope: `/subscriptions/${assignment.scope.subscription}`,
      },
    });
  });

  it('discovers every subscription whose resources run (Enabled, Warned), paged, for subscriptions: all, skipping Disabled', async () => {
    const estate = fixtureEstate();
    const disabled = structuredClone(estate.subscriptions[0]!);
    disabled.subscription = {
      ...disabled.subscription,
      subscriptionId: '5f3a0c1e-0000-4000-8000-00000000dead',
      state: 'Disabled',
    };
    const warned = structuredClone(estate.subscriptions[0]!);
    warned.subscription = {
      ...warned.subscription,
      subscriptionId: '5f3a0c1e-0000-4000-8000-00000000beef',
      state: 'Warned',
    };
    estate.subscriptions.push(disabled, warned);
    server = await startAzureServer({ estate, pageSize: 1 });
    const run = await collectAzure(server, { subscriptions: 'all' });

    expect(run.errors).toEqual([]);
    expect(run.units.map((u) => u.subscription)).toEqual(
      [SUB_A, SUB_B, '5f3a0c1e-0000-4000-8000-00000000beef'].sort(),
    );
    const listed = arm(server).filter((r) => r.operation === 'Subscriptions_List');
    expect(listed.map((r) => r.query)).toEqual([
      { 'api-version': '2022-12-01' },
      { 'api-version': '2022-12-01', $skiptoken: '1' },
      { 'api-version': '2022-12-01', $skiptoken: '2' },
      { 'api-version': '2022-12-01', $skiptoken: '3' },
    ]);
    expect(arm(server).some((r) => r.subscription?.endsWith('dead'))).toBe(false);
    expect(server.unsupportedApiVersions()).toEqual([]);
  });

  it('records an unscoped error covering every Azure type when no subscription is Enabled', async () => {
    const estate = fixtureEstate();
    for (const s of estate.subscriptions) s.subscription.state = 'Disabled';
    server = await startAzureServer({ estate });
    const run = await collectAzure(server, { subscriptions: 'all' });
    expect(run.units).toEqual([]);
    expect(run.errors).toEqual([
      expect.objectContaining({
        provider: 'azure',
        scope: {},
        types: [...AZURE_TYPES],
        operation: 'Subscriptions_List',
        message: expect.stringMatching(/no Enabled, Warned or PastDue subscription/),
      }),
    ]);
  });

  it('answers an api-version it has no fixture for with 400, and records it', async () => {
    server = await startAzureServer();
    const token = await fetchToken(server);
    const res = await fetchWithCa(
      server,
      `/subscriptions/${SUB_A}/providers/Microsoft.ContainerService/managedClusters?api-version=2024-01-01`,
      token,
    );
    expect(res.status).toBe(400);
    expect(server.unsupportedApiVersions()).toHaveLength(1);
    expect(server.unsupportedApiVersions()[0]!.apiVersion).toBe('2024-01-01');
  });
});

async function fetchToken(server: AzureServer): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: CLIENT_ID,
    client_secret: 'anything',
    scope: `${server.url}/.default`,
  }).toString();
  const res = await fetchWithCa(server, `/${server.tenantId}/oauth2/v2.0/token`, undefined, body);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

async function fetchWithCa(
  server: AzureServer,
  path: string,
  token?: string,
  form?: string,
): Promise<{ status: number; body: string }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        ca: server.ca,
        method: form ? 'POST' : 'GET',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(form);
  });
}
