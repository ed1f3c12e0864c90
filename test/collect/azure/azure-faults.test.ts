/**
 * Faults of ARM and Entra against the Azure collector (real SDK pipeline: retries, Retry-After,
 * timeouts): each failure is an error as narrow as what it leaves unknown, never an exception,
 * and one subscription's failure never stops another's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AZURE_TYPES } from '../../../functions/collect/azure/index.ts';
import {
  type AzureFault,
  type AzureServer,
  fixtureEstate,
  startAzureServer,
} from '../../helpers/azure-server.ts';
import {
  azureClients,
  CLIENT_ID,
  CLIENT_SECRET,
  collectAzure,
  collectWith,
  SETTINGS,
} from './harness.ts';

const estate = fixtureEstate();
const [SUB_A, SUB_B] = estate.subscriptions.map((s) => s.subscription.subscriptionId) as [
  string,
  string,
];
const count = (sub: string) => {
  const s = estate.subscriptions.find((e) => e.subscription.subscriptionId === sub)!;
  return {
    'azure.aks.managed-cluster': s.clusters.length,
    'azure.authorization.role-assignment': s.roleAssignments.length,
    'azure.authorization.role-definition': s.roleDefinitions.length,
  };
};

let server: AzureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(faults: AzureFault[], over: Parameters<typeof collectAzure>[1] = {}) {
  server = await startAzureServer({
    faults,
    credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
  });
  const result = await collectAzure(server, { subscriptions: [SUB_A, SUB_B], ...over });
  const types = (sub: string) => {
    const out: Record<string, number> = {};
    for (const r of result.resources.filter((r) => r.scope.subscription === sub)) {
      out[r.type] = (out[r.type] ?? 0) + 1;
    }
    return out;
  };
  expect(result.text).not.toContain(CLIENT_SECRET);
  for (const t of server.issuedTokens) expect(result.text).not.toContain(t);
  expect(server.unsupportedApiVersions()).toEqual([]);
  return { ...result, types };
}

const requestsOf = (s: AzureServer, operation: string, sub?: string) =>
  s.requests.filter((r) => r.operation === operation && (!sub || r.subscription === sub));

describe('Azure collection faults', () => {
  it('a 403 on role assignments leaves that type unknown in that subscription only', async () => {
    const r = await run([
      { operation: 'RoleAssignments_ListForScope', subscription: SUB_A, kind: 'forbidden' },
    ]);
    expect(r.errors).toEqual([
      {
        provider: 'azure',
        scope: { subscription: SUB_A },
        types: ['azure.authorization.role-assignment'],
        operation: 'RoleAssignments_ListForScope',
        message: expect.stringMatching(
          /^ArmRequestFailed: AuthorizationFailed: The client '.*' does not have authorization .* \(HTTP 403\)$/,
        ),
      },
    ]);
    const { 'azure.authorization.role-assignment': _, ...rest } = count(SUB_A);
    expect(r.types(SUB_A)).toEqual(rest);
    expect(r.types(SUB_B)).toEqual(count(SUB_B));
    // A 403 is not retried.
    expect(requestsOf(server!, 'RoleAssignments_ListForScope', SUB_A)).toHaveLength(1);
  });

  it('a subscription denied everything never stops the other', async () => {
    const r = await run(
      (
        ['ManagedClusters_List', 'RoleAssignments_ListForScope', 'RoleDefinitions_List'] as const
      ).map((operation) => ({ operation, subscription: SUB_B, kind: 'forbidden' as const })),
    );
    expect(r.types(SUB_A)).toEqual(count(SUB_A));
    expect(r.types(SUB_B)).toEqual({});
    expect(r.errors.map((e) => [e.scope, e.types]).sort()).toEqual(
      [
        [{ subscription: SUB_B }, ['azure.aks.managed-cluster']],
        [{ subscription: SUB_B }, ['azure.authorization.role-assignment']],
        [{ subscription: SUB_B }, ['azure.authorization.role-definition']],
      ].sort(),
    );
  });

  it('a 429 is retried after its Retry-After, then collected', async () => {
    const r = await run([
      {
        operation: 'ManagedClusters_List',
        subscription: SUB_A,
        kind: 'throttled',
        retryAfterSeconds: 1,
      },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.types(SUB_A)).toEqual(count(SUB_A));
    const tries = requestsOf(server!, 'ManagedClusters_List', SUB_A);
    expect(tries.map((t) => t.status)).toEqual([429, 200]);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a 500 is retried, then collected; a 500 that stays is an error after maxAttempts', async () => {
    const once = await run([
      { operation: 'RoleDefinitions_List', subscription: SUB_B, kind: 'server-error' },
    ]);
    expect(once.errors).toEqual([]);
    expect(once.types(SUB_B)).toEqual(count(SUB_B));
    expect(requestsOf(server!, 'RoleDefinitions_List', SUB_B).map((t) => t.status)).toEqual([
      500, 200,
    ]);
    await server!.close();

    const always = await run([
      { operation: 'RoleDefinitions_List', subscription: SUB_B, kind: 'server-error', times: 99 },
    ]);
    expect(always.errors).toEqual([
      expect.objectContaining({
        scope: { subscription: SUB_B },
        types: ['azure.authorization.role-definition'],
        message:
          'ArmRequestFailed: InternalServerError: Encountered internal server error. (HTTP 500)',
      }),
    ]);
    expect(requestsOf(server!, 'RoleDefinitions_List', SUB_B)).toHaveLength(SETTINGS.maxAttempts);
  });

  it('malformed JSON is an error for that list; a malformed later page keeps the good pages', async () => {
    const first = await run([
      { operation: 'ManagedClusters_List', subscription: SUB_A, kind: 'malformed' },
    ]);
    expect(first.errors).toEqual([
      expect.objectContaining({
        scope: { subscription: SUB_A },
        types: ['azure.aks.managed-cluster'],
        operation: 'ManagedClusters_List',
        message: expect.stringMatching(/^ArmAnswerUnreadable: the answer is not the JSON/),
      }),
    ]);
    expect(first.types(SUB_A)['azure.aks.managed-cluster']).toBeUndefined();
    expect(first.types(SUB_B)).toEqual(count(SUB_B));
    await server!.close();

    server = await startAzureServer({
      pageSize: 1,
      faults: [
        {
          operation: 'RoleAssignments_ListForScope',
          subscription: SUB_A,
          kind: 'malformed',
          page: 1,
        },
      ],
    });
    const later = await collectAzure(server, { subscriptions: [SUB_A] });
    expect(later.errors).toEqual([
      expect.objectContaining({
        types: ['azure.authorization.role-assignment'],
        message: expect.stringMatching(/^ArmAnswerUnreadable/),
      }),
    ]);
    // The first page's assignment still counts (a FAIL it proves stays FAIL).
    expect(
      later.resources.filter((r) => r.type === 'azure.authorization.role-assignment'),
    ).toHaveLength(1);
  });

  it('a nextLink to another origin is not followed (the bearer token would go with it)', async () => {
    server = await startAzureServer({ pageSize: 1, nextLinkBase: 'https://attacker.example' });
    const r = await collectAzure(server, { subscriptions: [SUB_A] });
    expect(r.errors.map((e) => e.operation).sort()).toEqual([
      'ManagedClusters_List',
      'RoleAssignments_ListForScope',
      'RoleDefinitions_List',
    ]);
    expect(r.errors[0]!.message).toMatch(
      /^MalformedPage: .*nextLink that is not a URL on https:\/\/127\.0\.0\.1:/,
    );
    // One item per list: the first page, kept.
    expect(r.resources).toHaveLength(3);
    expect(server.requests.every((q) => !q.query.$skiptoken)).toBe(true);
  });

  it('a refused token makes every read of every subscription an error, without the secret', async () => {
    server = await startAzureServer({ refuseTokens: true });
    const r = await collectAzure(server, { subscriptions: [SUB_A, SUB_B] });
    expect(r.resources).toEqual([]);
    expect(r.errors).toHaveLength(6);
    for (const e of r.errors) {
      expect(e.message).toMatch(/^AzureAuthenticationFailed: .*AADSTS7000215/);
    }
    expect(r.text).not.toContain(CLIENT_SECRET);
    // No ARM request went out without a token.
    expect(server.requests.filter((q) => q.operation)).toEqual([]);
  });

  it('a denied Subscriptions_List is one unscoped error covering every Azure type', async () => {
    const r = await run([{ operation: 'Subscriptions_List', kind: 'forbidden' }], {
      subscriptions: 'all',
    });
    expect(r.units).toEqual([]);
    expect(r.errors).toEqual([
      expect.objectContaining({
        provider: 'azure',
        scope: {},
        types: [...AZURE_TYPES],
        operation: 'Subscriptions_List',
        message: expect.stringMatching(/AuthorizationFailed.*\(HTTP 403\)$/),
      }),
    ]);
  });

  it('an ARM that does not answer in time is retried per attempt, then an error, not a hang', async () => {
    server = await startAzureServer({ latencyMs: 3000 });
    const started = Date.now();
    const r = await collectAzure(
      server,
      { subscriptions: [SUB_A] },
      {},
      { ...SETTINGS, callTimeoutMs: 300, maxAttempts: 2 },
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(r.resources).toEqual([]);
    expect(r.errors.map((e) => e.message)).toEqual(
      Array(3).fill('CallTimeout: ARM did not answer within 0.3 s, in each of its attempts'),
    );
    // Each list was tried twice (a timed-out attempt is retried like a dropped connection).
    expect(server.requests.filter((q) => q.operation)).toHaveLength(6);
  });

  it('a token request that hangs fails the lists waiting on it in bounded time, and the next request starts afresh', async () => {
    server = await startAzureServer({
      hangTokens: 1,
      credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
    });
    // One subscription's three lists at a time: the first subscription's share the hung request.
    const settings = { ...SETTINGS, concurrency: 3, callTimeoutMs: 300, maxAttempts: 2 };
    const { targets, clients } = azureClients(
      server,
      { subscriptions: [SUB_A, SUB_B] },
      {},
      settings,
    );
    const started = Date.now();
    const first = await collectWith(targets, clients, settings);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(first.errors).toHaveLength(3);
    for (const e of first.errors) {
      expect(e.scope).toEqual({ subscription: SUB_A });
      expect(e.message).toBe(
        'CallTimeout: Microsoft Entra ID did not answer the token request within 0.6 s',
      );
    }
    // The hung request was dropped: the second subscription's lists asked for a token again.
    const types = (run: typeof first, sub: string) => {
      const out: Record<string, number> = {};
      for (const r of run.resources.filter((r) => r.scope.subscription === sub)) {
        out[r.type] = (out[r.type] ?? 0) + 1;
      }
      return out;
    };
    expect(types(first, SUB_B)).toEqual(count(SUB_B));
    const tokenRequests = server.requests.filter((q) => q.form);
    expect(tokenRequests.map((q) => q.error)).toEqual(['hung', undefined]);

    // A later scan with the same clients (a warm Lambda) collects both.
    const second = await collectWith(targets, clients, settings);
    expect(second.errors).toEqual([]);
    expect(types(second, SUB_A)).toEqual(count(SUB_A));
    expect(types(second, SUB_B)).toEqual(count(SUB_B));
    expect(second.text).not.toContain(CLIENT_SECRET);
  });
});
