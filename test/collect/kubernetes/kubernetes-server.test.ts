/**
 * The local Kubernetes API server answers as kube-apiserver does: paged lists without item
 * kind/apiVersion, 401/403/404/410 Status bodies, and it records every request.
 */
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import {
  PAYMENTS_ESTATE_FACTS,
  paymentsEstate,
  syntheticEstate,
} from '../../helpers/kubernetes-estate.ts';
import {
  KUBERNETES_KINDS,
  KUBERNETES_LISTS,
  type KubernetesServer,
  startKubernetesServer,
} from '../../helpers/kubernetes-server.ts';

const TOKEN = 'test-kubernetes-token-9f2c';

type Body = Record<string, unknown> & {
  metadata: Record<string, unknown>;
  items?: Record<string, unknown>[];
};

function get(
  server: KubernetesServer,
  path: string,
  token: string | null = TOKEN,
): Promise<{ status: number; type: string; body: Body }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { ca: server.ca, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type']),
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function withServer(
  options: Partial<Parameters<typeof startKubernetesServer>[0]>,
  fn: (server: KubernetesServer) => Promise<void>,
) {
  const server = await startKubernetesServer({
    objects: paymentsEstate(),
    tokens: [TOKEN],
    ...options,
  });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

describe('kubernetes test server', () => {
  it('pages a list with limit and continue; items carry no kind or apiVersion', async () => {
    const estate = paymentsEstate();
    await withServer({ objects: estate }, async (server) => {
      const names: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const q = `?limit=4${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
        const { status, type, body } = await get(server, `/api/v1/pods${q}`);
        expect(status).toBe(200);
        expect(type).toBe('application/json');
        expect(body.kind).toBe('PodList');
        expect(body.apiVersion).toBe('v1');
        expect(body.items!.length).toBeLessThanOrEqual(4);
        for (const item of body.items!) {
          expect(item).not.toHaveProperty('kind');
          expect(item).not.toHaveProperty('apiVersion');
          names.push(`${(item.metadata as { name: string }).name}`);
        }
        next = body.metadata.continue as string | undefined;
        if (next) expect(body.metadata.remainingItemCount).toBeGreaterThan(0);
        pages++;
      } while (next);
      expect(pages).toBe(Math.ceil(estate.Pod.length / 4));
      expect(names).toEqual(estate.Pod.map((p) => p.metadata.name));

      const all = await get(server, '/apis/apps/v1/deployments');
      expect(all.body.items).toHaveLength(estate.Deployment.length);
      expect(all.body.metadata.continue).toBeUndefined();
      const frontend = all.body.items!.find(
        (d) => (d.metadata as { name: string }).name === 'frontend',
      )!;
      expect(JSON.stringify(frontend)).toContain(PAYMENTS_ESTATE_FACTS.secretLiteral);
      expect(frontend.metadata).toHaveProperty('managedFields');
      expect(frontend.metadata).toHaveProperty([
        'annotations',
        'kubectl.kubernetes.io/last-applied-configuration',
      ]);

      // A token from one list is refused by another.
      const first = await get(server, '/api/v1/pods?limit=1');
      const other = await get(
        server,
        `/api/v1/namespaces?limit=1&continue=${first.body.metadata.continue}`,
      );
      expect(other.status).toBe(400);
      expect(other.body.reason).toBe('BadRequest');
      expect((await get(server, '/api/v1/pods?limit=1&continue=garbage')).status).toBe(400);
      expect(server.requests.every((r) => r.authorized && !JSON.stringify(r).includes(TOKEN))).toBe(
        true,
      );
    });
  });

  it('answers 401 without an accepted token, 404 off the lists, 403 for secrets', async () => {
    await withServer({}, async (server) => {
      const anonymous = await get(server, '/api/v1/namespaces', null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
      server.setTokens(['rotated']);
      expect((await get(server, '/api/v1/namespaces')).status).toBe(401);
      expect((await get(server, '/api/v1/namespaces', 'rotated')).status).toBe(200);
      server.setTokens([TOKEN]);

      const missing = await get(server, '/apis/apps/v1/controllerrevisions');
      expect(missing.status).toBe(404);
      expect(missing.body.reason).toBe('NotFound');
      expect((await get(server, '/api/v1/namespaces/payments/pods')).status).toBe(404);

      expect(server.secretRequests()).toEqual([]);
      expect((await get(server, '/api/v1/namespaces/payments/secrets')).status).toBe(403);
      expect(server.secretRequests()).toHaveLength(1);
      expect(server.requests.map((r) => r.authorized)).toEqual([
        false,
        false,
        true,
        true,
        true,
        true,
      ]);
    });
  });

  it('answers the faults: 403 forbidden, 410 once on a continued list, 500, hang', async () => {
    await withServer(
      { faults: { forbidden: ['Role'], expireContinue: ['Pod'], status500: ['Job'] } },
      async (server) => {
        const roles = await get(server, KUBERNETES_LISTS.Role.path);
        expect(roles.status).toBe(403);
        expect(roles.body).toMatchObject({
          kind: 'Status',
          reason: 'Forbidden',
          code: 403,
          message:
            'roles.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:pci-posture:scanner" cannot list resource "roles" in API group "rbac.authorization.k8s.io" at the cluster scope',
          details: { group: 'rbac.authorization.k8s.io', kind: 'roles' },
        });

        const first = await get(server, '/api/v1/pods?limit=3');
        const token = first.body.metadata.continue as string;
        const expired = await get(server, `/api/v1/pods?limit=3&continue=${token}`);
        expect(expired.status).toBe(410);
        expect(expired.body.reason).toBe('Expired');
        const fresh = expired.body.metadata.continue as string;
        expect(fresh).toBeTruthy();
        const resumed = await get(server, `/api/v1/pods?limit=3&continue=${fresh}`);
        expect(resumed.status).toBe(200);
        expect(resumed.body.items![0]).toEqual((await get(server, '/api/v1/pods')).body.items![3]);
        expect((await get(server, `/api/v1/pods?limit=3&continue=${token}`)).status).toBe(200);

        expect((await get(server, '/apis/batch/v1/jobs')).status).toBe(500);

        server.setFaults({ hang: ['Namespace'] });
        expect((await get(server, KUBERNETES_LISTS.Role.path)).status).toBe(200);
        const hung = get(server, '/api/v1/namespaces').catch((err: Error) => err);
        await new Promise((r) => setTimeout(r, 50));
        expect(server.requests.at(-1)).toMatchObject({ kind: 'Namespace', status: 0 });
        await server.close();
        expect(await hung).toBeInstanceOf(Error);
      },
    );
  });

  it('serves a 20,000-object synthetic estate in pages of 500', async () => {
    const estate = syntheticEstate(20_000);
    expect(KUBERNETES_KINDS.reduce((n, k) => n + estate[k].length, 0)).toBe(20_000);
    await withServer({ objects: estate }, async (server) => {
      let items = 0;
      let next: string | undefined;
      do {
        const q = `?limit=500${next ? `&continue=${next}` : ''}`;
        const { body } = await get(server, `/apis/apps/v1/replicasets${q}`);
        items += body.items!.length;
        next = body.metadata.continue as string | undefined;
      } while (next);
      expect(items).toBe(estate.ReplicaSet.length);
    });
  });
});
