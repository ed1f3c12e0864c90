/**
 * The Kubernetes collector against a local API server (https, test CA) serving the payments
 * estate: what is read and how it is stored, paging, and each fault the issue names (401, a 403 on
 * one kind, a hung kind, a continue token that expires, an unreachable server, the cluster's
 * budget). Table-driven where the outcome is per kind.
 */

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../../../checks/types.ts';
import { clusterAuth } from '../../../functions/collect/kubernetes/auth.ts';
import { collectClusters } from '../../../functions/collect/kubernetes/collector.ts';
import { kubernetesCollectorFrom } from '../../../functions/collect/kubernetes/from-config.ts';
import { KIND_LISTS } from '../../../functions/collect/kubernetes/kinds.ts';
import { directTarget } from '../../../functions/collect/kubernetes/targets.ts';
import { KUBERNETES_TYPES } from '../../../functions/collect/resource-types.ts';
import { CollectRuntime } from '../../../functions/collect/runtime.ts';
import { collectScan } from '../../../functions/collect/scan.ts';
import { scanConfigSchema } from '../../../functions/config/scan-config.ts';
import { evaluate } from '../../../functions/engine/evaluate.ts';
import { PAYMENTS_ESTATE_FACTS as FACTS, paymentsEstate } from '../../helpers/kubernetes-estate.ts';
import {
  type KubernetesFaults,
  type KubernetesServer,
  startKubernetesServer,
} from '../../helpers/kubernetes-server.ts';

const TOKEN = 'k8s-test-token-4f1c2d9e8b7a6c5d';
const CLUSTER = 'onprem';
let server: KubernetesServer;

beforeAll(async () => {
  server = await startKubernetesServer({ objects: paymentsEstate(), tokens: [TOKEN] });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.setTokens([TOKEN]);
  server.requests.length = 0;
});

async function scan(
  options: {
    faults?: KubernetesFaults;
    token?: string;
    endpoint?: string;
    pageSize?: number;
    budgetSeconds?: number;
  } = {},
): Promise<Inventory> {
  if (options.faults) server.setFaults(options.faults);
  const config = scanConfigSchema().parse({
    kubernetes: {
      pageSize: options.pageSize ?? 4,
      clusterBudgetSeconds: options.budgetSeconds ?? 60,
      clusters: [
        {
          name: CLUSTER,
          endpoint: options.endpoint ?? server.url,
          caData: server.caData,
          token: { env: 'ONPREM_TOKEN' },
        },
      ],
    },
    collection: { callTimeoutSeconds: 1, maxAttempts: 2 },
  });
  const k8s = kubernetesCollectorFrom(config, {
    kubernetes: { env: { ONPREM_TOKEN: options.token ?? TOKEN } },
  });
  const { inventory } = await collectScan(config, { collectors: [k8s!] });
  return inventory;
}

/** A port nothing listens on (fetch refuses some well-known ports outright). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const estateCount = (kind: string) =>
  (paymentsEstate() as Record<string, unknown[]>)[kind]?.length ?? 0;
const ofType = (inv: Inventory, kind: string) =>
  inv.resources.filter((r) => r.type === `kubernetes.${kind}`);

describe('a cluster listed in the config, read whole', () => {
  let inv: Inventory;
  let requests: KubernetesServer['requests'];
  beforeAll(async () => {
    inv = await scan();
    requests = [...server.requests];
  });

  it.each(KIND_LISTS.map((k) => [k.kind, k.apiVersion]))(
    'reads every %s, stored with kind and apiVersion %s',
    (kind, apiVersion) => {
      const got = ofType(inv, kind);
      expect(got).toHaveLength(estateCount(kind));
      expect(got.length).toBeGreaterThan(0);
      for (const r of got) {
        const data = r.data as {
          kind: string;
          apiVersion: string;
          metadata: { name: string; namespace?: string };
        };
        expect(data.kind).toBe(kind);
        expect(data.apiVersion).toBe(apiVersion);
        expect(r.provider).toBe('kubernetes');
        expect(r.scope).toEqual({ cluster: CLUSTER });
        expect(r.id).toBe(
          `${CLUSTER}/${data.metadata.namespace ?? '_cluster'}/${kind}/${data.metadata.name}`,
        );
      }
    },
  );

  it('records no error and reads the cluster once', () => {
    expect(inv.errors).toEqual([]);
    expect(new Set(inv.resources.map((r) => `${r.type}/${r.id}`)).size).toBe(inv.resources.length);
  });

  it('pages with limit and continue, lists only the 14 kinds cluster-wide, never Secrets', () => {
    const listed = new Set(requests.map((r) => r.path));
    expect(listed.size).toBe(14);
    expect(server.secretRequests()).toEqual([]);
    expect(requests.every((r) => r.query.limit === '4' && r.authorized)).toBe(true);
    const pods = requests.filter((r) => r.path === '/api/v1/pods');
    expect(pods.length).toBe(Math.ceil(estateCount('Pod') / 4));
    expect(pods.slice(1).every((r) => typeof r.query.continue === 'string')).toBe(true);
    // Namespaces are read first: the cluster's first answer says whether it can be read at all.
    expect(requests[0]?.path).toBe('/api/v1/namespaces');
  });

  it('drops managedFields and the last-applied annotation, and redacts secret literals', () => {
    const text = JSON.stringify(inv);
    expect(text).not.toContain('managedFields');
    expect(text).not.toContain('last-applied-configuration');
    expect(text).not.toContain(FACTS.secretLiteral);
    expect(text).not.toContain(TOKEN);
    const frontend = ofType(inv, 'Deployment').find((r) =>
      r.id.endsWith(`/${FACTS.secretLiteralDeployment.replace('/', '/Deployment/')}`),
    );
    expect(frontend).toBeDefined();
    const env = (
      frontend!.data as {
        spec: {
          template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } };
        };
      }
    ).spec.template.spec.containers.flatMap((c) => c.env ?? []);
    expect(env.find((e) => e.name === FACTS.secretEnvVar)?.value).toBe('[REDACTED]');
  });

  it('keeps timestamps as the API server sent them', () => {
    const ns = ofType(inv, 'Namespace')[0]?.data as { metadata: { creationTimestamp: string } };
    expect(ns.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('gives the checks what they judge: findings under the cluster', () => {
    const { findings } = evaluate(inv);
    const status = (checkId: string, suffix: string) =>
      findings.find((f) => f.checkId === checkId && f.resourceId?.endsWith(suffix))?.status;
    expect(
      status('k8s-cluster-admin-restricted', `/_cluster/ClusterRoleBinding/${FACTS.adminBinding}`),
    ).toBe('FAIL');
    expect(
      status('k8s-workload-no-added-capabilities', '/default/Pod/security-context-demo-4'),
    ).toBe('FAIL');
    // kube-system is a system namespace: its privileged DaemonSet is skipped, not judged.
    expect(status('k8s-workload-not-privileged', '/kube-system/DaemonSet/fluentd')).toBeUndefined();
    expect(status('k8s-namespace-default-deny-ingress', '/_cluster/Namespace/payments')).toBe(
      'PASS',
    );
    expect(status('k8s-namespace-default-deny-ingress', '/_cluster/Namespace/web')).toBe('FAIL');
    expect(status('k8s-workload-no-secret-literals', '/web/Deployment/frontend')).toBe('FAIL');
  });
});

describe('faults: errors for exactly the kinds left unknown', () => {
  it('401 (the token is refused): one error over every kind, nothing read', async () => {
    const inv = await scan({ token: 'not-the-token-0000' });
    expect(inv.resources).toEqual([]);
    expect(inv.errors).toHaveLength(1);
    expect(inv.errors[0]).toMatchObject({
      provider: 'kubernetes',
      scope: { cluster: CLUSTER },
      types: [...KUBERNETES_TYPES],
      operation: 'kubernetes:listNamespace',
    });
    expect(inv.errors[0]?.message).toMatch(
      /^cluster onprem: KubernetesApiError: Unauthorized: .*\(HTTP 401\)$/,
    );
    expect(JSON.stringify(inv)).not.toContain('not-the-token-0000');
    // Nothing more is asked of a cluster that refused the token.
    expect(server.requests).toHaveLength(1);
  });

  it('a 403 on Roles alone: an error for Roles only; secrets-access and cluster-admin never PASS', async () => {
    const inv = await scan({ faults: { forbidden: ['Role'] } });
    expect(inv.errors).toHaveLength(1);
    expect(inv.errors[0]).toMatchObject({
      types: ['kubernetes.Role'],
      scope: { cluster: CLUSTER },
    });
    expect(inv.errors[0]?.message).toContain('roles.rbac.authorization.k8s.io is forbidden');
    expect(ofType(inv, 'Role')).toEqual([]);
    expect(ofType(inv, 'ClusterRole').length).toBe(estateCount('ClusterRole'));
    const { findings, complete } = evaluate(inv);
    expect(complete).toBe(false);
    for (const checkId of ['k8s-secrets-access-restricted', 'k8s-cluster-admin-restricted']) {
      const mine = findings.filter((f) => f.checkId === checkId);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.filter((f) => f.status === 'PASS')).toEqual([]);
      expect(mine.some((f) => f.status === 'ERROR')).toBe(true);
    }
    // A FAIL the binding itself proves stays FAIL.
    expect(
      findings.find(
        (f) =>
          f.checkId === 'k8s-cluster-admin-restricted' &&
          f.resourceId?.endsWith(`/ClusterRoleBinding/${FACTS.adminBinding}`),
      )?.status,
    ).toBe('FAIL');
    // Checks that read nothing of Roles are unaffected.
    expect(
      findings.find(
        (f) =>
          f.checkId === 'k8s-workload-no-added-capabilities' &&
          f.resourceId?.endsWith('/Pod/security-context-demo-4'),
      )?.status,
    ).toBe('FAIL');
  });

  it('a kind whose list hangs: a time-out error for it after its attempts; the rest is read', async () => {
    const inv = await scan({ faults: { hang: ['Pod'] } });
    expect(inv.errors).toHaveLength(1);
    expect(inv.errors[0]).toMatchObject({
      types: ['kubernetes.Pod'],
      operation: 'kubernetes:listPod',
    });
    expect(inv.errors[0]?.message).toMatch(
      /CallTimeout: kubernetes:listPod did not answer within 1 s/,
    );
    expect(server.requests.filter((r) => r.path === '/api/v1/pods')).toHaveLength(2);
    expect(ofType(inv, 'Deployment').length).toBe(estateCount('Deployment'));
  });

  it('a continue token that expires (410): the list restarts once, consistent and whole', async () => {
    const inv = await scan({ faults: { expireContinue: ['Pod', 'ClusterRole'] } });
    expect(inv.errors).toEqual([]);
    expect(ofType(inv, 'Pod')).toHaveLength(estateCount('Pod'));
    expect(ofType(inv, 'ClusterRole')).toHaveLength(estateCount('ClusterRole'));
    const pods = server.requests.filter((r) => r.path === '/api/v1/pods');
    expect(pods.filter((r) => r.status === 410)).toHaveLength(1);
    // After the 410, a new list without continue.
    const after = pods.findIndex((r) => r.status === 410) + 1;
    expect(pods[after]?.query.continue).toBeUndefined();
  });

  it('an API server that cannot be reached: one error over every kind, naming the server', async () => {
    const port = await closedPort();
    const inv = await scan({ endpoint: `https://127.0.0.1:${port}` });
    expect(inv.resources).toEqual([]);
    expect(inv.errors).toHaveLength(1);
    expect(inv.errors[0]?.types).toEqual([...KUBERNETES_TYPES]);
    expect(inv.errors[0]?.message).toMatch(
      /ApiServerUnreachable: the API server 127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)/,
    );
  });

  it("the cluster's time budget: kinds not read by then are errors, with what was read kept", async () => {
    const inv = await scan({ faults: { hang: ['Job', 'CronJob'] }, budgetSeconds: 5 });
    // Each hung kind: 2 attempts of 1 s fit in the budget, so they end as time-outs; raise the
    // attempts so the budget ends them instead.
    expect(inv.errors.flatMap((e) => e.types).sort()).toEqual([
      'kubernetes.CronJob',
      'kubernetes.Job',
    ]);
    expect(ofType(inv, 'Pod')).toHaveLength(estateCount('Pod'));
  });
});

describe("several clusters: each cluster's budget measures its own reading", () => {
  it('clusters waiting for the pool are not charged for the wait', async () => {
    const slow = await startKubernetesServer({
      objects: paymentsEstate(),
      tokens: [TOKEN],
      latencyMs: 100,
    });
    try {
      const targets = ['a', 'b', 'c'].map((name) =>
        directTarget({
          name,
          endpoint: slow.url,
          caData: slow.caData,
          token: { env: 'T' },
        }),
      );
      // Concurrency 4: one cluster at a time, each well within 1.5 s, all three well past it.
      const rt = new CollectRuntime({
        concurrency: 4,
        callTimeoutMs: 5000,
        maxAttempts: 1,
        budgetMs: 60_000,
      });
      const started = Date.now();
      const part = await collectClusters(
        rt,
        targets,
        { auth: clusterAuth({ env: { T: TOKEN } }) },
        { pageSize: 4, clusterBudgetMs: 1500, maxAttempts: 1, callTimeoutMs: 5000 },
      );
      rt.close();
      expect(Date.now() - started).toBeGreaterThan(1500);
      expect(part.errors).toEqual([]);
      expect(part.clusters).toEqual(['a', 'b', 'c']);
    } finally {
      await slow.close();
    }
  });
});
