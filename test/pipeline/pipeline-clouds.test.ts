/**
 * The deployed pipeline over AWS, GCP and Azure in-process: the plan, collect and report handlers
 * the construct deploys, each collect function with its own provider's collector only (as its
 * bundle), invoked as the workflow's Choice routes each unit; moto for S3, KMS and Secrets
 * Manager; the local GCP and Azure servers for the clouds. GCP is read keyless (workload identity
 * federation from the AWS credentials of the environment), Azure with a client secret read from
 * Secrets Manager by ARN, over https with a test CA added to the process's default CAs (as a
 * trusted CA would be). A GCP unit whose function failed and an Azure subscription that denies
 * its role assignments become ERROR for exactly their scope; every other finding stands.
 *
 * Kubernetes collection is on (the default): after each cloud unit whose shard holds clusters,
 * the Kubernetes function reads them (`HasClusters`, a ClustersEvent with the unit's shard key).
 * The Entra-integrated AKS clusters (`payments-1`) are read: their user kubeconfig names a local
 * Kubernetes API server and the test CA, which accepts the Entra token issued for the AKS server
 * application. The others cannot be read (the GKE fixture's endpoint is 0.0.0.0; `clustername1`
 * has no Entra ID, so it is never contacted): each is ERROR for every Kubernetes check with that
 * reason, for that cluster only. GKE clusters that answer are pipeline-kubernetes.test.ts's.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KmsSigner } from '../../functions/archive/kms-signer.ts';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import type { CollectorClients } from '../../functions/collect/collector.ts';
import { AKS_SERVER_APP_ID } from '../../functions/collect/kubernetes/auth.ts';
import { runtimeSettings } from '../../functions/collect/scan.ts';
import { secretsManagerReader } from '../../functions/collect/secrets.ts';
import type { Observability } from '../../functions/handlers/observability.ts';
import { createPlanHandler } from '../../functions/handlers/plan.ts';
import { createReportHandler } from '../../functions/handlers/report.ts';
import {
  ENV,
  type ReportResult,
  type RunRequest,
  stagingKeys,
  type UnitItem,
} from '../../functions/pipeline/contract.ts';
import type { Notification } from '../../functions/pipeline/notify.ts';
import { configFromEnv } from '../../functions/pipeline/request.ts';
import { StagingStore } from '../../functions/pipeline/staging.ts';
import type { Report } from '../../functions/report/report.ts';
import {
  type AzureServer,
  fixtureEstate as azureFixtureEstate,
  startAzureServer,
} from '../helpers/azure-server.ts';
import {
  type GcpServer,
  fixtureEstate as gcpFixtureEstate,
  startGcpServer,
} from '../helpers/gcp-server.ts';
import { PAYMENTS_ESTATE_FACTS, paymentsEstate } from '../helpers/kubernetes-estate.ts';
import { type KubernetesServer, startKubernetesServer } from '../helpers/kubernetes-server.ts';
import { createLockedBucket, createSigningKey, motoClients, motoSecrets } from '../helpers/moto.ts';
import { motoCollectorClients, motoEndpoints } from '../helpers/moto-estate.ts';
import { schemaErrors } from '../helpers/report-schema.ts';
import {
  capturedObservability,
  collectItems,
  deployedCollectHandlers,
} from '../helpers/workflow.ts';

const ACCOUNT = '300000000004';
const ARCHIVE = 'pipeline-archive-300000000004';
const STAGING = 'pipeline-staging-300000000004';
const AUDIENCE =
  '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pci-posture/providers/aws-scanner';
const SERVICE_ACCOUNT = 'pci-posture-reader@shop-sec.iam.gserviceaccount.com';
const CLIENT_ID = '0f6d8a55-31f1-4c2b-9a5a-1b2c3d4e5f60';
const CLIENT_SECRET = 'pipeline-client-secret-9Z~not-a-real-one';
const SUB_DENIED = '72ac930a-f34e-42d8-b06d-dc2a9e12ed71';
const SUB_A = '291bba3f-e0a5-47bc-a099-3bdcb2a50a05';
const GKE_PROD =
  '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/test-cluster';
const aks = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
/** The clusters the cloud units of the first run find, whose Kubernetes APIs cannot be read. */
const CLUSTERS = [
  GKE_PROD,
  aks(SUB_A, 'rg1', 'clustername1'),
  aks(SUB_DENIED, 'rg1', 'clustername1'),
];
/** The Entra-integrated AKS clusters, read from the local Kubernetes API server. */
const ENTRA_CLUSTERS = [
  aks(SUB_A, 'RG-Payments', 'payments-1'),
  aks(SUB_DENIED, 'RG-Payments', 'payments-1'),
];
/** The Entra token the local Azure issues for the AKS server application. */
const AKS_TOKEN = 'aks-server-app-token-pipeline-not-a-real-one';
/** The AWS credentials of "the Lambda's role", as Lambda puts them in the environment. */
const LAMBDA_ENV = {
  AWS_ACCESS_KEY_ID: 'ASIAPIPELINEFAKE0001',
  AWS_SECRET_ACCESS_KEY: 'pipeline-fake-secret-access-key',
  AWS_SESSION_TOKEN: 'pipeline-fake-session-token',
  AWS_REGION: 'eu-west-1',
};

const { s3, kms } = motoClients(ACCOUNT);
const secrets = motoSecrets(ACCOUNT);
const staging = new StagingStore(s3, STAGING);

let gcp: GcpServer;
let azure: AzureServer;
let k8s: KubernetesServer;
const notifications: Notification[] = [];
let result: ReportResult;
let report: Report;
let items: UnitItem[];
/** One execution, as the workflow runs it; `fail` units get the Catch state's record instead. */
let execute: (
  runKey: string,
  request?: RunRequest,
  fail?: (item: UnitItem) => boolean,
) => Promise<{ result: ReportResult; report: Report; items: UnitItem[] }>;
let logged = '';
const savedEnv: Record<string, string | undefined> = {};
const savedCas = getCACertificates('default');

function quiet(fn: string): Observability {
  return capturedObservability(fn, (line) => {
    logged += line;
  });
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(LAMBDA_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  gcp = await startGcpServer({
    estate: gcpFixtureEstate(),
    federation: { audience: AUDIENCE, serviceAccounts: [SERVICE_ACCOUNT] },
  });
  k8s = await startKubernetesServer({ objects: paymentsEstate(), tokens: [AKS_TOKEN] });
  azure = await startAzureServer({
    estate: azureFixtureEstate(),
    kubeconfigServer: () => k8s.url,
    tokenForScope: { [`${AKS_SERVER_APP_ID}/.default`]: AKS_TOKEN },
    credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
    faults: [
      { subscription: SUB_DENIED, operation: 'RoleAssignments_ListForScope', kind: 'forbidden' },
    ],
  });
  // As if the test CA were a trusted one: the Azure SDK and MSAL use Node's default CAs.
  setDefaultCACertificates([...savedCas, azure.ca]);

  await createLockedBucket(s3, ARCHIVE);
  await s3.send(
    new CreateBucketCommand({
      Bucket: STAGING,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
  const keyId = await createSigningKey(kms);
  const secretArn = (
    await secrets.send(
      new CreateSecretCommand({ Name: 'pci-posture/azure-app', SecretString: CLIENT_SECRET }),
    )
  ).ARN!;

  // The construct puts the validated config in the environment; the handlers read it there.
  const config = configFromEnv({
    [ENV.config]: JSON.stringify({
      aws: {
        accounts: 'current',
        regions: ['eu-west-1'],
        endpoints: motoEndpoints(inject('motoEndpoint')),
      },
      gcp: {
        projects: { organization: 'organizations/1' },
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
      azure: {
        subscriptions: 'all',
        tenantId: azure.tenantId,
        clientId: CLIENT_ID,
        credentials: { type: 'secret', secretArn },
        cloud: { authorityHost: azure.url, resourceManager: azure.url },
      },
    }),
  });
  // What collectingDeps gives each function: secrets from Secrets Manager; moto for AWS.
  const clients: CollectorClients = {
    aws: motoCollectorClients(ACCOUNT)(config.aws!, runtimeSettings(config)),
    readSecret: secretsManagerReader(() => secrets), // moto: one region
  };
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
      notify: async (n) => {
        notifications.push(n);
      },
    }),
    quiet('report'),
  );

  execute = async (runKey, request = {}, fail = () => false) => {
    const planned = await plan({ runKey, startedAt: new Date().toISOString(), request });
    const units = (await staging.getJson(planned.unitsKey)) as UnitItem[];
    await collectItems(staging, runKey, units, collect, {
      unit: (item) => (fail(item) ? 'record' : undefined),
    });
    const written = await reportHandler({ runKey });
    const key = `${written.location.slice(`s3://${ARCHIVE}/`.length)}/report.json`;
    const got = await s3.send(new GetObjectCommand({ Bucket: ARCHIVE, Key: key }));
    return {
      result: written,
      report: JSON.parse(await got.Body!.transformToString()) as Report,
      items: units,
    };
  };
  ({ result, report, items } = await execute('clouds-1', {}, (i) => i.label === 'gcp shop-dev'));
}, 120_000);

afterAll(async () => {
  setDefaultCACertificates(savedCas);
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await gcp?.close();
  await azure?.close();
  await k8s?.close();
});

const statusesIn = (r: Report, checkId: string) =>
  Object.fromEntries(
    r.findings.filter((f) => f.checkId === checkId).map((f) => [f.resourceId, f.status]),
  );
const statusesOf = (checkId: string) => statusesIn(report, checkId);

describe('a night over AWS, GCP and Azure', () => {
  it('plans one unit per account, project and subscription, each routed to its provider', () => {
    expect(items.map((i) => `${i.provider} ${i.label}`)).toEqual([
      `aws aws ${ACCOUNT}`,
      'gcp gcp shop-data',
      'gcp gcp shop-dev',
      'gcp gcp shop-prod',
      'azure azure 291bba3f-e0a5-47bc-a099-3bdcb2a50a05',
      `azure azure ${SUB_DENIED}`,
    ]);
  });

  it('reads GCP keyless: one STS exchange of the signed AWS request, then impersonation', () => {
    const exchanges = gcp.requests.filter((r) => r.path === '/v1/token');
    expect(exchanges.length).toBeGreaterThanOrEqual(1);
    expect(gcp.exchanges[0]?.subjectToken.url).toContain('Action=GetCallerIdentity');
    expect(
      gcp.requests.filter((r) => r.path.endsWith(`${SERVICE_ACCOUNT}:generateAccessToken`)).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('signs an incomplete run: the failed project, the denied list and the unreadable clusters are ERROR, nothing else', () => {
    expect(result.complete).toBe(false);
    expect(report.complete).toBe(false);
    const errors = report.findings.filter((f) => f.status === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    for (const f of errors) {
      const where = JSON.stringify(f);
      expect(
        where.includes('shop-dev') ||
          (where.includes(SUB_DENIED) && f.checkId.startsWith('azure-rbac-')) ||
          (f.checkId.startsWith('k8s-') && CLUSTERS.includes(f.resourceId)),
        where,
      ).toBe(true);
    }
  });

  it('runs the Kubernetes function after each unit that found clusters, and nowhere else', async () => {
    const index = (label: string) => items.find((i) => i.label === label)!.index;
    const staged = await staging.keys('runs/clouds-1/kubernetes');
    expect(staged.sort()).toEqual(
      ['gcp shop-prod', `azure ${SUB_A}`, `azure ${SUB_DENIED}`]
        .map((l) => stagingKeys('clouds-1').kubernetes(index(l)))
        .sort(),
    );
  });

  it('makes each cluster whose Kubernetes API cannot be read an error of that cluster, with the reason', () => {
    const k8sErrors = Object.fromEntries(
      report.errors
        .filter((e) => e.provider === 'kubernetes')
        .map((e) => [e.scope.cluster ?? JSON.stringify(e.scope), e.message]),
    );
    expect(Object.keys(k8sErrors).sort()).toEqual(
      [...CLUSTERS, JSON.stringify({ project: 'shop-dev' })].sort(),
    );
    // The fixture's endpoint (0.0.0.0) has no API server: reached with a Google token, refused.
    expect(k8sErrors[GKE_PROD]).toMatch(
      /^gke test-cluster \(shop-prod\/europe-west2\): ApiServerUnreachable: the API server 0\.0\.0\.0 could not be reached/,
    );
    // Without Entra ID an AKS cluster allows local accounts only: never contacted, and its
    // user kubeconfig (which would hold a local-account credential) is never asked for.
    for (const sub of [SUB_A, SUB_DENIED]) {
      expect(k8sErrors[aks(sub, 'rg1', 'clustername1')]).toContain(
        'not reachable: the cluster has no Microsoft Entra ID integration',
      );
    }
    // The failed project's clusters were never found: their Kubernetes objects are unknown too.
    expect(k8sErrors[JSON.stringify({ project: 'shop-dev' })]).toMatch(
      /^the Kubernetes objects of clusters not found are unknown: .*gcp shop-dev: the collect function failed/,
    );
    // Each Kubernetes check is ERROR for each cluster, never a PASS over nothing read.
    const privileged = statusesOf('k8s-workload-not-privileged');
    // (Beside the objects of the clusters that were read.)
    const read = (id: string) => ENTRA_CLUSTERS.some((c) => id.startsWith(`${c}/`));
    expect(Object.fromEntries(Object.entries(privileged).filter(([id]) => !read(id)))).toEqual(
      Object.fromEntries([...CLUSTERS, 'kubernetes:shop-dev'].map((c) => [c, 'ERROR'])),
    );
    expect(
      report.findings.find(
        (f) => f.checkId === 'k8s-cluster-admin-restricted' && f.resourceId === GKE_PROD,
      )?.message,
    ).toContain('could not be reached');
  });

  it('reads the Entra-integrated AKS clusters with the Entra token, and judges their objects under them', () => {
    const F = PAYMENTS_ESTATE_FACTS;
    // Only the Entra clusters' user kubeconfigs were asked for (server and CA, no secret).
    expect(
      azure.requests
        .filter((r) => r.operation === 'ManagedClusters_ListClusterUserCredentials')
        .map((r) => r.path.split('/managedClusters/')[1]),
    ).toEqual(['payments-1/listClusterUserCredential', 'payments-1/listClusterUserCredential']);
    const admin = statusesOf('k8s-cluster-admin-restricted');
    const [cns, cname] = F.capabilitiesPod.split('/');
    const capabilities = statusesOf('k8s-workload-no-added-capabilities');
    for (const cluster of ENTRA_CLUSTERS) {
      expect(admin[`${cluster}/_cluster/ClusterRoleBinding/${F.adminBinding}`]).toBe('FAIL');
      expect(admin[`${cluster}/_cluster/ClusterRoleBinding/cluster-admin`]).toBe('PASS');
      expect(capabilities[`${cluster}/${cns}/Pod/${cname}`]).toBe('FAIL');
      const ops = report.findings.find(
        (f) => f.resourceId === `${cluster}/_cluster/ClusterRoleBinding/${F.adminBinding}`,
      );
      expect(ops?.scope).toMatchObject({ resourceGroup: 'RG-Payments', cluster });
    }
    // Every list of both clusters with the token; never a Secret.
    expect(k8s.requests.length).toBeGreaterThanOrEqual(2 * 14);
    expect(k8s.requests.every((r) => r.authorized && r.status === 200)).toBe(true);
    expect(k8s.secretRequests()).toEqual([]);
  });

  it('keeps the findings of everything read', () => {
    expect(
      statusesOf('gke-node-metadata-protected')[
        '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/test-cluster'
      ],
    ).toBe('FAIL');
    expect(statusesOf('gcp-iam-audit-logging')).toEqual({
      '//cloudresourcemanager.googleapis.com/projects/shop-data': 'PASS',
      '//cloudresourcemanager.googleapis.com/projects/shop-prod': 'PASS',
      'gcp:shop-dev': 'ERROR',
    });
    const aksRbac = statusesOf('aks-rbac-enabled');
    expect(Object.values(aksRbac).sort()).toEqual(['FAIL', 'FAIL', 'PASS', 'PASS']);
    expect(statusesOf('azure-rbac-owners-limited')).toEqual({
      '/subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05': 'PASS',
      [`azure:${SUB_DENIED}`]: 'ERROR',
    });
  });

  it('keeps the Azure secret, the AWS keys and the tokens out of logs, shards and the report', async () => {
    const staged = await Promise.all(
      (await staging.keys('runs/clouds-1/')).map(async (k) =>
        JSON.stringify(await staging.getJson(k)),
      ),
    );
    const everything = [logged, JSON.stringify(report), ...staged].join('\n');
    for (const secret of [
      CLIENT_SECRET,
      LAMBDA_ENV.AWS_SECRET_ACCESS_KEY,
      LAMBDA_ENV.AWS_SESSION_TOKEN,
      ...gcp.issuedTokens,
      ...azure.issuedTokens,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('an assessment over some projects and subscriptions', () => {
  it('collects exactly the scopes named, records them in the signed report, and errs on one not targeted', async () => {
    const NOT_TARGETED = '00000000-0000-4000-8000-00000000abcd';
    const run = await execute('clouds-q4', {
      assessment: 'q4-clouds',
      projects: ['shop-prod'],
      subscriptions: [SUB_A, NOT_TARGETED],
    });
    // No AWS list was given: the AWS account is left out; only the named scopes are read.
    expect(run.items.map((i) => i.label)).toEqual(['gcp shop-prod', `azure ${SUB_A}`]);
    expect(run.result.location).toMatch(
      new RegExp(`^s3://${ARCHIVE}/assessments/q4-clouds/reports/`),
    );
    expect(run.report.assessment).toEqual({
      name: 'q4-clouds',
      projects: ['shop-prod'],
      subscriptions: [SUB_A, NOT_TARGETED],
    });
    expect(schemaErrors(run.report)).toEqual([]);
    expect(notifications.at(-1)?.message).toContain(
      `Assessment q4-clouds, only projects shop-prod, only subscriptions ${SUB_A}, ${NOT_TARGETED}`,
    );
    const html = await s3.send(
      new GetObjectCommand({
        Bucket: ARCHIVE,
        Key: `${run.result.location.slice(`s3://${ARCHIVE}/`.length)}/report.html`,
      }),
    );
    expect(await html.Body!.transformToString()).toContain(
      `Assessment <b>q4-clouds</b> (only projects shop-prod; subscriptions ${SUB_A}, ${NOT_TARGETED})`,
    );
    // The subscription asked for but not targeted is an error of its scope, never a silent gap.
    expect(run.report.complete).toBe(false);
    expect(statusesIn(run.report, 'azure-rbac-owners-limited')).toEqual({
      [`/subscriptions/${SUB_A}`]: 'PASS',
      [`azure:${NOT_TARGETED}`]: 'ERROR',
    });
    expect(Object.keys(statusesIn(run.report, 'gcp-iam-audit-logging'))).toEqual([
      '//cloudresourcemanager.googleapis.com/projects/shop-prod',
    ]);
  });

  it('takes a subscription id in any case (a GUID) and leaves the planning errors of clouds left out', async () => {
    const run = await execute('clouds-q4-case', {
      assessment: 'q4-case',
      subscriptions: [SUB_A.toUpperCase()],
    });
    expect(run.items.map((i) => i.label)).toEqual([`azure ${SUB_A}`]);
    // The only error is the Kubernetes API of its cluster without Entra ID.
    expect(run.report.errors.map((e) => [e.provider, e.scope.cluster])).toEqual([
      ['kubernetes', aks(SUB_A, 'rg1', 'clustername1')],
    ]);
    expect(run.report.complete).toBe(false);
    for (const f of run.report.findings.filter((x) => x.status === 'ERROR')) {
      expect(f.checkId).toMatch(/^k8s-/);
      expect(f.resourceId).toBe(aks(SUB_A, 'rg1', 'clustername1'));
    }
  });
});
