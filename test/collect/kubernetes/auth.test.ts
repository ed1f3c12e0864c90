/**
 * How the collector reaches each kind of cluster, end to end on 127.0.0.1: the real token makers
 * (EKS presigning with credentials from moto, a Google access token, an Entra token for the AKS
 * server application through @azure/identity against the local Entra) and the real API client
 * against the local API server; and the token sources of clusters listed in the config.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MiddlewareStack } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Resource } from '../../../checks/types.ts';
import { awsClientFactory } from '../../../functions/collect/aws/clients.ts';
import { azureClientFactory } from '../../../functions/collect/azure/clients.ts';
import { azureCredential } from '../../../functions/collect/azure/credentials.ts';
import {
  AKS_SERVER_APP_ID,
  ClusterCredentialError,
  clusterAuth,
} from '../../../functions/collect/kubernetes/auth.ts';
import {
  collectClusters,
  type KubernetesSettings,
} from '../../../functions/collect/kubernetes/collector.ts';
import { eksToken } from '../../../functions/collect/kubernetes/eks-token.ts';
import {
  type ClusterTarget,
  clustersFound,
  directTarget,
} from '../../../functions/collect/kubernetes/targets.ts';
import { KUBERNETES_TYPES } from '../../../functions/collect/resource-types.ts';
import { CollectRuntime } from '../../../functions/collect/runtime.ts';
import {
  type AzureServer,
  fixtureEstate,
  LOCAL_ACCOUNT_SECRET,
  startAzureServer,
} from '../../helpers/azure-server.ts';
import { paymentsEstate } from '../../helpers/kubernetes-estate.ts';
import { type KubernetesServer, startKubernetesServer } from '../../helpers/kubernetes-server.ts';
import { FAKE_CREDENTIALS } from '../../helpers/moto.ts';
import { inAccount } from '../../helpers/moto-estate.ts';
import { CLIENT_ID, CLIENT_SECRET, SECRET_ENV, targetsFor } from '../azure/harness.ts';
import { tokenAuth } from '../gcp/harness.ts';

const ACCOUNT = '300000000006';
const NOW = new Date('2026-11-27T02:00:00Z');
const SETTINGS: KubernetesSettings = {
  pageSize: 50,
  clusterBudgetMs: 30_000,
  maxAttempts: 2,
  callTimeoutMs: 5000,
};
const runtime = () =>
  new CollectRuntime({ concurrency: 8, callTimeoutMs: 5000, maxAttempts: 2, budgetMs: 60_000 });

let k8s: KubernetesServer;
beforeAll(async () => {
  k8s = await startKubernetesServer({ objects: paymentsEstate(), tokens: [] });
});
afterAll(() => k8s.close());

const typesRead = (resources: readonly Resource[]) => new Set(resources.map((r) => r.type)).size;

/** What each STS call of the moto clients was asked (AssumeRole inputs). */
const stsInputs: Record<string, unknown>[] = [];

function motoAws() {
  return awsClientFactory(
    { endpoints: { sts: inject('motoEndpoint') }, useFipsEndpoints: false },
    { concurrency: 4, callTimeoutMs: 5000, maxAttempts: 2, budgetMs: 60_000 },
    {
      credentials: FAKE_CREDENTIALS,
      decorate: (client) => {
        inAccount(client, ACCOUNT);
        (client.middlewareStack as MiddlewareStack<object, object>).add(
          (next) => async (args) => {
            stsInputs.push((args as { input: Record<string, unknown> }).input);
            return next(args);
          },
          { step: 'initialize', name: 'recordInput' },
        );
      },
    },
  );
}

function eksCluster(name: string): Resource {
  const arn = `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/${name}`;
  return {
    provider: 'aws',
    type: 'aws.eks.cluster',
    id: arn,
    scope: { account: ACCOUNT, region: 'eu-west-1' },
    data: {
      name,
      arn,
      status: 'ACTIVE',
      endpoint: k8s.url,
      certificateAuthority: { data: k8s.caData },
    },
  };
}

describe('EKS: a presigned GetCallerIdentity as the bearer token', () => {
  it("reads the cluster with the token of the function's own credentials (the vector algorithm)", async () => {
    const expected = await eksToken({
      clusterName: 'payments',
      region: 'eu-west-1',
      credentials: FAKE_CREDENTIALS,
      now: () => NOW,
    });
    k8s.setTokens([expected.token]);
    const auth = clusterAuth({ aws: motoAws(), now: () => NOW });
    const rt = runtime();
    const part = await collectClusters(
      rt,
      clustersFound({ provider: 'aws', account: ACCOUNT }, [eksCluster('payments')]),
      { auth },
      SETTINGS,
    );
    rt.close();
    expect(part.errors).toEqual([]);
    expect(typesRead(part.resources)).toBe(14);
    expect(JSON.stringify(part)).not.toContain(expected.token);
  });

  it("with a member role: AssumeRole once for the account's clusters, the session's token signed in", async () => {
    const auth = clusterAuth({ aws: motoAws(), now: () => NOW });
    const unit = {
      provider: 'aws',
      account: ACCOUNT,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/PciPostureReadOnly`,
    };
    const targets = clustersFound(unit, [eksCluster('payments'), eksCluster('ledger')]);
    const rt = runtime();
    const tokens = await Promise.all(targets.map(async (t) => (await auth.connect(t, rt)).token()));
    rt.close();
    expect(rt.calls.get('sts:AssumeRole')).toBe(1);
    // The session may do nothing but sign GetCallerIdentity, whatever the member role allows.
    const assumed = stsInputs.find((i) => i.RoleArn === unit.roleArn);
    expect(JSON.parse(String(assumed?.Policy))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    for (const [i, token] of tokens.entries()) {
      expect(token.startsWith('k8s-aws-v1.')).toBe(true);
      const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString());
      expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
      expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
      expect(url.searchParams.get('X-Amz-Credential')).not.toContain(FAKE_CREDENTIALS.accessKeyId);
      expect(url.searchParams.get('X-Amz-Security-Token')).toBeTruthy();
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
      expect(targets[i]?.access).toMatchObject({ clusterName: i === 0 ? 'payments' : 'ledger' });
    }
  });

  it('a role that cannot be assumed: one error over every kind, naming the role, no credential', async () => {
    const auth = clusterAuth({
      aws: awsClientFactory(
        { endpoints: { sts: 'https://127.0.0.1:9' }, useFipsEndpoints: false },
        { concurrency: 1, callTimeoutMs: 1000, maxAttempts: 1, budgetMs: 10_000 },
        { credentials: FAKE_CREDENTIALS },
      ),
    });
    const unit = { account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/Missing` };
    const rt = runtime();
    const part = await collectClusters(
      rt,
      clustersFound(unit, [eksCluster('payments')]),
      { auth },
      SETTINGS,
    );
    rt.close();
    expect(part.resources).toEqual([]);
    expect(part.errors).toHaveLength(1);
    expect(part.errors[0]?.types).toEqual([...KUBERNETES_TYPES]);
    expect(part.errors[0]?.message).toContain(
      `arn:aws:iam::${ACCOUNT}:role/Missing cannot be assumed`,
    );
    expect(JSON.stringify(part)).not.toContain(FAKE_CREDENTIALS.secretAccessKey);
  });
});

describe('GKE: a Google access token from the GKE collector credentials', () => {
  it('reads the cluster at its endpoint with its CA', async () => {
    k8s.setTokens(['ya29.gke-test-access-token']);
    const auth = clusterAuth({ gcpAuth: async () => tokenAuth('ya29.gke-test-access-token') });
    const gke: Resource = {
      provider: 'gcp',
      type: 'gcp.gke.cluster',
      id: '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/payments',
      scope: { project: 'shop-prod', location: 'europe-west2' },
      data: {
        name: 'payments',
        status: 'RUNNING',
        endpoint: new URL(k8s.url).host,
        masterAuth: { clusterCaCertificate: k8s.caData },
      },
    };
    const rt = runtime();
    const part = await collectClusters(rt, clustersFound({}, [gke]), { auth }, SETTINGS);
    rt.close();
    expect(part.errors).toEqual([]);
    expect(typesRead(part.resources)).toBe(14);
    expect(part.resources[0]?.scope).toEqual({ ...gke.scope, cluster: gke.id });
  });
});

describe('AKS: an Entra ID token for the AKS server application', () => {
  const AKS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.aks-test-token';
  let azure: AzureServer;
  let clusters: Resource[];
  beforeAll(async () => {
    const estate = fixtureEstate();
    const sub = estate.subscriptions[0]!;
    const base = sub.clusters[0] as { id: string; name: string; properties: object };
    const entra = {
      ...base,
      id: base.id.replace(/clustername1$/, 'entra1'),
      name: 'entra1',
      properties: { ...base.properties, aadProfile: { managed: true, enableAzureRBAC: true } },
    };
    sub.clusters = [base, entra];
    azure = await startAzureServer({
      estate,
      kubeconfigServer: () => k8s.url,
      tokenForScope: { [`${AKS_SERVER_APP_ID}/.default`]: AKS_TOKEN },
    });
    clusters = sub.clusters.map((c) => ({
      provider: 'azure',
      type: 'azure.aks.managed-cluster',
      id: String(c.id),
      scope: { subscription: sub.subscription.subscriptionId, resourceGroup: 'rg1' },
      data: c,
    }));
  });
  afterAll(() => azure.close());

  it('reads an Entra-integrated cluster; a local-accounts-only one is not reachable, and its credentials are never asked for', async () => {
    k8s.setTokens([AKS_TOKEN]);
    const targets = targetsFor(azure);
    const settings = { concurrency: 4, callTimeoutMs: 5000, maxAttempts: 2, budgetMs: 60_000 };
    const deps = { tlsCa: azure.ca, env: { [SECRET_ENV]: CLIENT_SECRET } };
    const credential = azureCredential(targets, settings, deps);
    const auth = clusterAuth({
      azure: async () => ({
        clients: azureClientFactory(targets, settings, deps),
        credential,
        scrub: (t) => credential.scrub(t),
      }),
    });
    const rt = runtime();
    const part = await collectClusters(rt, clustersFound({}, clusters), { auth }, SETTINGS);
    rt.close();
    const [local, entra] = clusters;
    expect(part.errors).toHaveLength(1);
    expect(part.errors[0]).toMatchObject({
      scope: { cluster: local!.id },
      types: [...KUBERNETES_TYPES],
    });
    expect(part.errors[0]?.message).toMatch(/not reachable: .*no Microsoft Entra ID integration/);
    expect(part.resources.every((r) => r.scope.cluster === entra!.id)).toBe(true);
    expect(typesRead(part.resources)).toBe(14);
    const asked = azure.requests.filter(
      (r) => r.operation === 'ManagedClusters_ListClusterUserCredentials',
    );
    expect(asked.map((r) => r.path)).toEqual([`${entra!.id}/listClusterUserCredential`]);
    expect(asked[0]?.query.format).toBe('exec');
    const tokenScopes = azure.requests.flatMap((r) => (r.form?.scope ? [r.form.scope] : []));
    expect(tokenScopes).toContain(`${AKS_SERVER_APP_ID}/.default`);
    const text = JSON.stringify(part);
    for (const secret of [AKS_TOKEN, CLIENT_SECRET, LOCAL_ACCOUNT_SECRET]) {
      expect(text).not.toContain(secret);
    }
    expect(CLIENT_ID).toBeTruthy();
  });
});

describe('clusters listed in the config: the token from the environment, a file or Secrets Manager', () => {
  const TOKEN = 'direct-cluster-token-5e4d3c2b1a';
  const dir = mkdtempSync(join(tmpdir(), 'pci-posture-k8s-'));
  const file = join(dir, 'token');
  writeFileSync(file, `${TOKEN}\n`);
  const ARN = 'arn:aws:secretsmanager:eu-west-1:300000000006:secret:k8s-onprem-AbCdEf';
  const target = (token: Extract<ClusterTarget['access'], { kind: 'direct' }>['token']) =>
    directTarget({ name: 'onprem', endpoint: k8s.url, caData: k8s.caData, token });

  it.each([
    ['env', { env: 'ONPREM_TOKEN' }],
    ['file', { file }],
    ['secretArn', { secretArn: ARN }],
  ] as const)('%s', async (_name, source) => {
    k8s.setTokens([TOKEN]);
    const auth = clusterAuth({
      env: { ONPREM_TOKEN: TOKEN },
      readSecret: async (arn) => {
        if (arn !== ARN) throw new Error('unexpected secret');
        return TOKEN;
      },
    });
    const rt = runtime();
    const part = await collectClusters(rt, [target(source)], { auth }, SETTINGS);
    rt.close();
    expect(part.errors).toEqual([]);
    expect(typesRead(part.resources)).toBe(14);
  });

  it.each([
    [
      'an unset variable',
      { env: 'NOT_SET' },
      /the bearer token cannot be read: Error: the environment variable NOT_SET is not set/,
    ],
    [
      'a missing file',
      { file: join(dir, 'none') },
      /the bearer token cannot be read: Error: ENOENT/,
    ],
    [
      'a secret that cannot be read',
      { secretArn: ARN },
      /the bearer token cannot be read: Error: denied/,
    ],
  ] as const)('%s: one error over every kind, nothing sent', async (_name, source, why) => {
    const before = k8s.requests.length;
    const auth = clusterAuth({
      env: {},
      readSecret: async () => Promise.reject(new Error('denied')),
    });
    const rt = runtime();
    const part = await collectClusters(rt, [target(source)], { auth }, SETTINGS);
    rt.close();
    expect(part.errors).toHaveLength(1);
    expect(part.errors[0]?.message).toMatch(why);
    expect(k8s.requests.length).toBe(before);
    expect(ClusterCredentialError.name).toBe('ClusterCredentialError');
  });
});
