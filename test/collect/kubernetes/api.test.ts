/**
 * The API client's edges, against a small https server on 127.0.0.1 that answers what the shared
 * test API server does not: a Status that quotes the request's token, a 429 with Retry-After, a
 * 200 that is not a list.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubernetesApiError,
  kubernetesApi,
  MalformedList,
  peekContinue,
} from '../../../functions/collect/kubernetes/api.ts';
import { clusterAuth } from '../../../functions/collect/kubernetes/auth.ts';
import { collectCluster } from '../../../functions/collect/kubernetes/collector.ts';
import { KIND_LISTS } from '../../../functions/collect/kubernetes/kinds.ts';
import { directTarget } from '../../../functions/collect/kubernetes/targets.ts';
import { CollectRuntime } from '../../../functions/collect/runtime.ts';
import { testCa } from '../../helpers/test-ca.ts';

const TOKEN = 'edge-token-1a2b3c4d5e6f';
let server: Server;
let url: string;
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const caData = Buffer.from(testCa().ca).toString('base64');

beforeAll(async () => {
  const { cert, key } = testCa();
  server = createServer({ cert, key }, (req, res) => answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const namespaces = KIND_LISTS[0]!;
const signal = () => AbortSignal.timeout(5000);

describe('the API client', () => {
  it('a Status quoting the token: the token is not in the error', async () => {
    answer = (req, res) =>
      json(res, 401, {
        kind: 'Status',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
        message: `token rejected: ${req.headers.authorization}`,
      });
    const err = await kubernetesApi({ server: url, caData })
      .list(namespaces, TOKEN, { limit: 10 }, signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubernetesApiError);
    expect((err as KubernetesApiError).status).toBe(401);
    expect((err as Error).message).toBe(
      'Unauthorized: token rejected: Bearer [REDACTED] (HTTP 401)',
    );
  });

  it('pages with one token reuse their TLS connections; a new token gets its own', async () => {
    let handshakes = 0;
    const count = () => handshakes++;
    server.on('secureConnection', count);
    answer = (_req, res) => json(res, 200, { kind: 'NamespaceList', metadata: {}, items: [] });
    const api = kubernetesApi({ server: url, caData });
    for (let i = 0; i < 8; i++) await api.list(namespaces, TOKEN, { limit: 10 }, signal());
    // undici may open a second connection while the first is being released: not one per page.
    expect(handshakes).toBeLessThanOrEqual(2);
    const before = handshakes;
    await api.list(namespaces, `${TOKEN}-refreshed`, { limit: 10 }, signal());
    expect(handshakes).toBe(before + 1);
    server.off('secureConnection', count);
  });

  it('429 carries its Retry-After', async () => {
    answer = (_req, res) =>
      json(
        res,
        429,
        { kind: 'Status', reason: 'TooManyRequests', message: 'slow down' },
        {
          'retry-after': '2',
        },
      );
    const err = (await kubernetesApi({ server: url, caData })
      .list(namespaces, TOKEN, { limit: 10 }, signal())
      .catch((e: unknown) => e)) as KubernetesApiError;
    expect(err.retryAfterSeconds).toBe(2);
  });

  it.each([
    ['not JSON', 'oops', /answered \/api\/v1\/namespaces with no JSON/],
    ['JSON without items', '{"kind":"NamespaceList"}', /without items/],
  ])('a 200 that is %s is a malformed list', async (_name, body, why) => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
    const err = await kubernetesApi({ server: url, caData })
      .list(namespaces, TOKEN, { limit: 10 }, signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedList);
    expect((err as Error).message).toMatch(why);
  });

  it('a page past the size limit is refused, not read into memory', async () => {
    answer = (_req, res) =>
      json(res, 200, { kind: 'PodList', metadata: {}, items: [{ big: 'x'.repeat(5000) }] });
    const err = await kubernetesApi({ server: url, caData }, { maxPageBytes: 1024 })
      .list(namespaces, TOKEN, { limit: 10 }, signal())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedList);
    expect((err as Error).message).toMatch(/sent a page larger than 1024 bytes/);
  });
});

describe('the next page, named before the page is parsed', () => {
  it.each([
    [
      'metadata before items (as API servers write it)',
      '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ=="},"items":[{"metadata":{"continue":"x"}}]}',
      'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ==',
    ],
    ['no continue', '{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[]}', undefined],
    ['items first: not guessed', '{"items":[],"metadata":{"continue":"abc"}}', undefined],
    [
      'a continue inside an item only',
      '{"kind":"PodList","items":[{"continue":"abc"}]}',
      undefined,
    ],
  ])('%s', (_name, text, want) => {
    expect(peekContinue(text)).toBe(want);
  });
});

describe('retries', () => {
  it('a 429 and a 503 are retried (after Retry-After); the kind is then read whole', async () => {
    let calls = 0;
    answer = (req, res) => {
      if (req.url?.startsWith('/api/v1/pods')) {
        calls++;
        if (calls === 1)
          return json(
            res,
            429,
            { kind: 'Status', reason: 'TooManyRequests' },
            { 'retry-after': '1' },
          );
        if (calls === 2) return json(res, 503, { kind: 'Status', reason: 'ServiceUnavailable' });
        return json(res, 200, {
          kind: 'PodList',
          metadata: {},
          items: [{ metadata: { name: 'p', namespace: 'n' } }],
        });
      }
      return json(res, 200, { kind: 'List', metadata: {}, items: [] });
    };
    const rt = new CollectRuntime({
      concurrency: 4,
      callTimeoutMs: 5000,
      maxAttempts: 3,
      budgetMs: 30_000,
    });
    const started = Date.now();
    const part = await collectCluster(
      rt,
      directTarget({ name: 'edge', endpoint: url, caData, token: { env: 'T' } }),
      { auth: clusterAuth({ env: { T: TOKEN } }) },
      {
        pageSize: 10,
        clusterBudgetMs: 30_000,
        maxAttempts: 3,
        callTimeoutMs: 5000,
        retryDelayMs: 10,
      },
    );
    rt.close();
    expect(part.errors).toEqual([]);
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(part.resources.map((r) => r.id)).toEqual(['edge/n/Pod/p']);
  });
});
