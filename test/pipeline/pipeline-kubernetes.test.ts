/**
 * The deployed pipeline reading Kubernetes, in-process: plan, then for each unit its provider's
 * collect function, and after a cloud unit whose shard holds clusters the Kubernetes function on
 * that shard (`HasClusters`: a ClustersEvent with the unit's shard key), then report; each
 * function with its own collector only, as its bundle. moto for S3 (staging, Object Lock
 * archive), KMS (signing) and Secrets Manager; the local GCP server for a project whose GKE
 * cluster's endpoint is the local Kubernetes API server (https, the test CA as the cluster's
 * `masterAuth.clusterCaCertificate`), which accepts the Google access token GCP federation gives
 * the Kubernetes function; and a cluster listed directly, its bearer token in Secrets Manager.
 *
 * The findings of both clusters' objects are in the signed run under their cluster, the archive
 * holds no managedFields, no last-applied annotation, no secret literal and no token. When the
 * Kubernetes function failed on a unit (the workflow's failure record) or left nothing, that
 * unit's cluster is ERROR for every Kubernetes check, and the run is incomplete.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { KmsSigner } from '../../functions/archive/kms-signer.ts';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import type { CollectorClients } from '../../functions/collect/collector.ts';
import { secretsManagerReader } from '../../functions/collect/secrets.ts';
import type { Observability } from '../../functions/handlers/observability.ts';
import { createPlanHandler } from '../../functions/handlers/plan.ts';
import { createReportHandler } from '../../functions/handlers/report.ts';
import {
  type CollectResult,
  ENV,
  type ReportResult,
  stagingKeys,
  type UnitItem,
} from '../../functions/pipeline/contract.ts';
import { configFromEnv } from '../../functions/pipeline/request.ts';
import { StagingStore } from '../../functions/pipeline/staging.ts';
import type { Report } from '../../functions/report/report.ts';
import { runCli } from '../helpers/cli.ts';
import type { GcpServer } from '../helpers/gcp-server.ts';
import { startGkeCluster } from '../helpers/gke-cluster.ts';
import { PAYMENTS_ESTATE_FACTS as F } from '../helpers/kubernetes-estate.ts';
import type { KubernetesServer } from '../helpers/kubernetes-server.ts';
import { createLockedBucket, createSigningKey, motoClients, motoSecrets } from '../helpers/moto.ts';
import { schemaErrors } from '../helpers/report-schema.ts';
import {
  capturedObservability,
  collectItems,
  deployedCollectHandlers,
  type StepFault,
} from '../helpers/workflow.ts';

const ACCOUNT = '300000000005';
const ARCHIVE = 'pipeline-archive-300000000005';
const STAGING = 'pipeline-staging-300000000005';
const AUDIENCE =
  '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pci-posture/providers/aws-scanner';
const SERVICE_ACCOUNT = 'pci-posture-reader@shop-sec.iam.gserviceaccount.com';
/** The bearer token of the cluster listed directly (in Secrets Manager). */
const ONPREM_TOKEN = 'onprem-scanner-token-5Kq9-not-a-real-one';
const PROJECT = 'shop-prod';
const GKE = `//container.googleapis.com/projects/${PROJECT}/locations/europe-west2/clusters/test-cluster`;
const ONPREM = 'onprem';
/** The AWS credentials of "the Lambda's role" (GCP federation signs with them). */
const LAMBDA_ENV = {
  AWS_ACCESS_KEY_ID: 'ASIAKUBERNETESFAKE01',
  AWS_SECRET_ACCESS_KEY: 'kubernetes-fake-secret-access-key',
  AWS_SESSION_TOKEN: 'kubernetes-fake-session-token',
  AWS_REGION: 'eu-west-1',
};
const PAGE_SIZE = 4;

const { s3, kms } = motoClients(ACCOUNT);
const secrets = motoSecrets(ACCOUNT);
const staging = new StagingStore(s3, STAGING);

let gcp: GcpServer;
let k8s: KubernetesServer;
let keyId: string;
let logged = '';
/** The tokens the Kubernetes API server accepted as Google tokens (the GKE cluster's). */
let googleTokensSeen: Set<string>;
const savedEnv: Record<string, string | undefined> = {};

/** What the workflow does with one unit's clusters after its collect step. */

interface Execution {
  result: ReportResult;
  report: Report;
  items: UnitItem[];
  collected: Map<string, CollectResult>;
}

let execute: (
  runKey: string,
  clusters?: (item: UnitItem) => StepFault | undefined,
) => Promise<Execution>;

function quiet(fn: string): Observability {
  return capturedObservability(fn, (line) => {
    logged += line;
  });
}

/** Every object in the archive bucket, as text, by key. */
async function archived(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: ARCHIVE, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: ARCHIVE, Key: o.Key }));
      files.set(o.Key!, await got.Body!.transformToString());
    }
    token = page.NextContinuationToken;
  } while (token);
  return files;
}

/** Every staged object of a run, as text. */
async function stagedText(runKey: string): Promise<string> {
  const keys = await staging.keys(`runs/${runKey}/`);
  const all = await Promise.all(keys.map(async (k) => JSON.stringify(await staging.getJson(k))));
  return all.join('\n');
}

async function runFile(location: string, name: string): Promise<string> {
  const key = `${location.slice(`s3://${ARCHIVE}/`.length)}/${name}`;
  const got = await s3.send(new GetObjectCommand({ Bucket: ARCHIVE, Key: key }));
  return got.Body!.transformToString();
}

const statusesIn = (r: Report, checkId: string) =>
  Object.fromEntries(
    r.findings.filter((f) => f.checkId === checkId).map((f) => [f.resourceId, f.status]),
  );

beforeAll(async () => {
  for (const [k, v] of Object.entries(LAMBDA_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  // The API server of both clusters: the GKE one accepts the Google tokens of its project.
  ({
    gcp,
    k8s,
    googleTokens: googleTokensSeen,
  } = await startGkeCluster({
    project: PROJECT,
    audience: AUDIENCE,
    serviceAccount: SERVICE_ACCOUNT,
    tokens: [ONPREM_TOKEN],
  }));

  await createLockedBucket(s3, ARCHIVE);
  await s3.send(
    new CreateBucketCommand({
      Bucket: STAGING,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
  keyId = await createSigningKey(kms);
  const secretArn = (
    await secrets.send(
      new CreateSecretCommand({ Name: 'pci-posture/onprem-token', SecretString: ONPREM_TOKEN }),
    )
  ).ARN!;

  // The construct puts the validated config in the environment; the handlers read it there.
  const config = configFromEnv({
    [ENV.config]: JSON.stringify({
      gcp: {
        projects: [PROJECT],
        credentials: {
          type: 'workload-identity-federation',
          audience: AUDIENCE,
          serviceAccount: SERVICE_ACCOUNT,
        },
        endpoints: {
          container: gcp.url,
          resourceManager: gcp.url,
          sts: gcp.url,
          iamCredentials: gcp.url,
        },
      },
      kubernetes: {
        pageSize: PAGE_SIZE,
        clusters: [{ name: ONPREM, endpoint: k8s.url, caData: k8s.caData, token: { secretArn } }],
      },
    }),
  });
  // What collectingDeps gives each function: secrets from Secrets Manager (moto: one region).
  const clients: CollectorClients = { readSecret: secretsManagerReader(() => secrets) };
  const collectors = await allCollectors(config, clients);
  const plan = createPlanHandler(() => ({ config, staging, collectors }), quiet('plan'));
  // The functions the construct deploys for this config.
  const collect = deployedCollectHandlers(config, staging, clients, quiet);
  const signer = await KmsSigner.create(kms, keyId);
  const reportHandler = createReportHandler(
    () => ({
      config,
      staging,
      archive: { client: s3, bucket: ARCHIVE },
      signer: async () => signer,
      verifyKeyId: signer.keyId,
    }),
    quiet('report'),
  );

  execute = async (runKey, clusters = () => undefined) => {
    const planned = await plan({ runKey, startedAt: new Date().toISOString(), request: {} });
    const units = (await staging.getJson(planned.unitsKey)) as UnitItem[];
    const results = await collectItems(staging, runKey, units, collect, { clusters });
    const collected = new Map(units.map((u) => [u.label, results.get(u.index)!] as const));
    const result = await reportHandler({ runKey });
    const report = JSON.parse(await runFile(result.location, 'report.json')) as Report;
    return { result, report, items: units, collected };
  };
}, 120_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await gcp?.close();
  await k8s?.close();
});

describe('a night over a GKE cluster and a cluster listed directly', () => {
  let run: Execution;
  let requestsBefore: number;
  const inGke = (path: string) => `${GKE}/${path}`;
  const inOnprem = (path: string) => `${ONPREM}/${path}`;

  beforeAll(async () => {
    requestsBefore = k8s.requests.length;
    run = await execute('kube-1');
  }, 120_000);

  it('plans the project and the listed cluster; the project finds its cluster, read after it', async () => {
    expect(run.items.map((i) => `${i.provider} ${i.label}`).sort()).toEqual([
      `gcp gcp ${PROJECT}`,
      `kubernetes kubernetes ${ONPREM}`,
    ]);
    const gcpItem = run.items.find((i) => i.provider === 'gcp')!;
    expect(run.collected.get(gcpItem.label)?.clusters).toBe(1);
    const part = (await staging.getJson(stagingKeys('kube-1').kubernetes(gcpItem.index))) as {
      clusters: string[];
      resources: { scope: Record<string, string> }[];
      errors: unknown[];
    };
    expect(part.clusters).toEqual([GKE]);
    expect(part.errors).toEqual([]);
    expect(part.resources.length).toBeGreaterThan(40);
    // Each object keeps the cloud scope of its cluster.
    expect(part.resources[0]!.scope).toEqual({
      project: PROJECT,
      location: 'europe-west2',
      cluster: GKE,
    });
    // The direct cluster is a unit of its own, staged with the Kubernetes objects (the Kubernetes
    // function writes no cloud shard).
    const onpremItem = run.items.find((i) => i.provider === 'kubernetes')!;
    expect(run.collected.get(onpremItem.label)?.clusters).toBe(0);
    expect(
      (
        (await staging.getJson(stagingKeys('kube-1').kubernetes(onpremItem.index))) as {
          clusters: string[];
        }
      ).clusters,
    ).toEqual([ONPREM]);
    expect(await staging.getJson(stagingKeys('kube-1').shard(onpremItem.index))).toBeUndefined();
  });

  it('signs a complete run that verify accepts', async () => {
    expect(run.result.complete).toBe(true);
    expect(run.report.complete).toBe(true);
    expect(run.report.errors).toEqual([]);
    expect(schemaErrors(run.report)).toEqual([]);
    const verified = await runCli(['verify', `s3://${ARCHIVE}`, '--kms-key-id', keyId], {
      s3: () => s3,
      kms: () => kms,
    });
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
  });

  it.each([
    ['GKE', inGke, { project: PROJECT, location: 'europe-west2', cluster: GKE }],
    ['listed', inOnprem, { cluster: ONPREM }],
  ] as const)('judges the objects of the %s cluster under that cluster', (_, at, scope) => {
    const admin = run.report.findings.find(
      (f) =>
        f.checkId === 'k8s-cluster-admin-restricted' &&
        f.resourceId === at(`_cluster/ClusterRoleBinding/${F.adminBinding}`),
    );
    expect(admin?.status).toBe('FAIL');
    expect(admin?.message).toContain(F.adminUser);
    expect(admin?.scope).toEqual(scope);
    // The privileged fluentd DaemonSet and its pods are in kube-system: a system namespace, listed
    // as skipped for the cluster, never judged by the workload checks.
    expect(run.report.skipped[scope.cluster]).toContain('kube-system');
    const privileged = statusesIn(run.report, 'k8s-workload-not-privileged');
    expect(Object.keys(privileged).filter((id) => id.startsWith(at('kube-system/')))).toEqual([]);
    const [hns, hname] = F.hardenedDeployment.split('/');
    expect(privileged[at(`${hns}/Deployment/${hname}`)]).toBe('PASS');
    const [cns, cname] = F.capabilitiesPod.split('/');
    expect(
      statusesIn(run.report, 'k8s-workload-no-added-capabilities')[at(`${cns}/Pod/${cname}`)],
    ).toBe('FAIL');
    expect(
      statusesIn(run.report, 'k8s-secrets-access-restricted')[
        at(`payments/RoleBinding/${F.secretReaderBinding.split('/')[1]}`)
      ],
    ).toBe('FAIL');
    const [lns, lname] = F.secretLiteralDeployment.split('/');
    expect(
      statusesIn(run.report, 'k8s-workload-no-secret-literals')[at(`${lns}/Deployment/${lname}`)],
    ).toBe('FAIL');
    expect(
      statusesIn(run.report, 'k8s-namespace-default-deny-ingress')[
        at(`_cluster/Namespace/${F.cardholderNamespace}`)
      ],
    ).toBe('PASS');
  });

  it('keeps the GKE cluster findings of the cloud collector', () => {
    expect(statusesIn(run.report, 'gke-node-metadata-protected')).toEqual({ [GKE]: 'FAIL' });
  });

  it('read every kind of both clusters page by page, with their own tokens, and never a secret', () => {
    const requests = k8s.requests.slice(requestsBefore);
    expect(requests.every((r) => r.authorized && r.status === 200)).toBe(true);
    expect(k8s.secretRequests()).toEqual([]);
    // The GKE cluster got the Google access token of the impersonated service account.
    expect(googleTokensSeen.size).toBeGreaterThan(0);
    for (const t of googleTokensSeen) {
      expect(t).toMatch(/^ya29\.local-/);
      expect(gcp.issuedTokens).toContain(t);
    }
    expect(requests.every((r) => r.query.limit === String(PAGE_SIZE))).toBe(true);
    const continued = requests.filter((r) => r.query.continue);
    expect(continued.length).toBeGreaterThan(0);
    // Each kind's first page, once per cluster.
    const firsts = requests.filter((r) => !r.query.continue).map((r) => r.kind);
    expect(firsts).toHaveLength(28);
    expect(new Set(firsts).size).toBe(14);
  });

  it('archives no managedFields, no last-applied annotation, no secret literal and no token', async () => {
    const files = await archived();
    const inventory = JSON.parse(await runFile(run.result.location, 'inventory.json')) as Inventory;
    const objects = inventory.resources.filter((r) => r.provider === 'kubernetes');
    expect(objects.length).toBeGreaterThan(80);
    expect(new Set(objects.map((r) => r.scope.cluster))).toEqual(new Set([GKE, ONPREM]));
    for (const o of objects) {
      const meta = (o.data as { metadata?: Record<string, unknown> }).metadata ?? {};
      expect(meta.managedFields, o.id).toBeUndefined();
      expect(
        (meta.annotations as Record<string, string> | undefined)?.[
          'kubectl.kubernetes.io/last-applied-configuration'
        ],
        o.id,
      ).toBeUndefined();
    }
    const everything = [...files.values(), await stagedText('kube-1'), logged].join('\n');
    expect(everything).not.toContain('managedFields');
    expect(everything).not.toContain('last-applied-configuration');
    expect(everything).not.toContain(F.secretLiteral);
    for (const secret of [
      ONPREM_TOKEN,
      LAMBDA_ENV.AWS_SECRET_ACCESS_KEY,
      LAMBDA_ENV.AWS_SESSION_TOKEN,
      ...gcp.issuedTokens,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('when the Kubernetes function does not read the clusters of a unit', () => {
  it('fails: the cluster is ERROR for every Kubernetes check with the cause; the rest stands', async () => {
    const run = await execute('kube-2', (item) => (item.provider === 'gcp' ? 'record' : undefined));
    expect(run.result.complete).toBe(false);
    expect(run.report.complete).toBe(false);
    expect(run.report.errors).toEqual([
      {
        provider: 'kubernetes',
        scope: { cluster: GKE },
        types: expect.arrayContaining(['kubernetes.ClusterRoleBinding', 'kubernetes.Pod']),
        operation: 'kubernetes:collect',
        message: `gcp ${PROJECT}: the Kubernetes collect function failed: Sandbox.Timedout: Task timed out after 900.00 seconds`,
      },
    ]);
    const k8sChecks = new Set(
      run.report.findings.filter((f) => f.checkId.startsWith('k8s-')).map((f) => f.checkId),
    );
    expect(k8sChecks.size).toBeGreaterThan(10);
    for (const checkId of k8sChecks) {
      const gke = run.report.findings.filter(
        (f) =>
          f.checkId === checkId && (f.resourceId === GKE || f.resourceId.startsWith(`${GKE}/`)),
      );
      expect(
        gke.map((f) => [f.resourceId, f.status]),
        checkId,
      ).toEqual([[GKE, 'ERROR']]);
      expect(gke[0]!.message).toContain('the Kubernetes collect function failed: Sandbox.Timedout');
    }
    // The listed cluster and the cloud findings are untouched.
    expect(
      statusesIn(run.report, 'k8s-cluster-admin-restricted')[
        `${ONPREM}/_cluster/ClusterRoleBinding/${F.adminBinding}`
      ],
    ).toBe('FAIL');
    expect(statusesIn(run.report, 'gke-node-metadata-protected')).toEqual({ [GKE]: 'FAIL' });
    for (const f of run.report.findings.filter((x) => x.status === 'ERROR')) {
      expect(f.resourceId).toBe(GKE);
    }
  });

  it('leaves nothing: the cluster is recorded as not read, never a silent gap', async () => {
    const run = await execute('kube-3', (item) => (item.provider === 'gcp' ? 'vanish' : undefined));
    expect(run.report.complete).toBe(false);
    expect(run.report.errors.map((e) => [e.provider, e.scope, e.message])).toEqual([
      [
        'kubernetes',
        { cluster: GKE },
        expect.stringContaining("the cluster's Kubernetes API was not read"),
      ],
    ]);
    expect(statusesIn(run.report, 'k8s-cluster-admin-restricted')).toMatchObject({
      [GKE]: 'ERROR',
      [`${ONPREM}/_cluster/ClusterRoleBinding/${F.adminBinding}`]: 'FAIL',
    });
  });
});
