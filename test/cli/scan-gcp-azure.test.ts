/**
 * `pci-posture scan` end to end over GCP and Azure: the real command line in its own process,
 * the real client libraries and credential paths (a service-account key whose signed JWT the
 * GCP server verifies; an Entra client secret from the environment, over https with a test CA
 * given through NODE_EXTRA_CA_CERTS) against local servers answering the providers' documented
 * JSON. The GKE, project IAM, AKS and Azure RBAC findings come out as the fixtures say.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../functions/report/report.ts';
import {
  type AzureServer,
  fixtureEstate as azureFixtureEstate,
  startAzureServer,
} from '../helpers/azure-server.ts';
import {
  type GcpServer,
  fixtureEstate as gcpFixtureEstate,
  makeServiceAccountKey,
  startGcpServer,
} from '../helpers/gcp-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const CLIENT_ID = '0f6d8a55-31f1-4c2b-9a5a-1b2c3d4e5f60';
const CLIENT_SECRET = 'local-test-client-secret-7Q~not-a-real-one';

let gcp: GcpServer;
let azure: AzureServer;
let dir: string;
let report: Report;
let stderr: string;
let code: number;

/** Every finding of a check, as `resourceId verdict`. */
const verdicts = (checkId: string) =>
  report.findings
    .filter((f) => f.checkId === checkId)
    .map((f) => `${f.resourceId} ${f.status}`)
    .sort();

beforeAll(async () => {
  dir = tempDir('pci-scan-clouds-');
  const sa = makeServiceAccountKey();
  gcp = await startGcpServer({
    estate: gcpFixtureEstate(),
    serviceAccounts: { [sa.email]: sa.publicKey },
  });
  azure = await startAzureServer({
    estate: azureFixtureEstate(),
    credential: { clientId: CLIENT_ID, secret: CLIENT_SECRET },
  });
  const keyFile = join(dir, 'gcp-key.json');
  writeFileSync(keyFile, JSON.stringify(sa.key));
  const caFile = join(dir, 'test-ca.pem');
  writeFileSync(caFile, azure.ca);
  const signingKey = join(dir, 'signing.pem');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const config = join(dir, 'scan.yaml');
  writeFileSync(
    config,
    [
      'gcp:',
      '  projects: { organization: organizations/1 }',
      `  credentials: { type: service-account-key, file: ${keyFile} }`,
      `  endpoints: { container: "${gcp.url}", resourceManager: "${gcp.url}" }`,
      'azure:',
      '  subscriptions: all',
      `  tenantId: ${azure.tenantId}`,
      `  clientId: ${CLIENT_ID}`,
      '  credentials: { type: secret, env: PCI_TEST_AZURE_SECRET }',
      `  cloud: { authorityHost: "${azure.url}", resourceManager: "${azure.url}" }`,
      'kubernetes: { enabled: false }',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'archive');
  const node = join(process.cwd(), 'node_modules/.bin/node');
  try {
    const done = await run(
      node,
      [
        'functions/cli/bin.ts',
        'scan',
        '--config',
        config,
        '--out',
        out,
        '--signing-key',
        signingKey,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          NODE_EXTRA_CA_CERTS: caFile,
          PCI_TEST_AZURE_SECRET: CLIENT_SECRET,
        },
      },
    );
    code = 0;
    stderr = done.stderr;
  } catch (err) {
    const e = err as { code: number; stderr: string };
    code = e.code;
    stderr = e.stderr;
  }
  const runDir = (root: string): string => {
    const entries = readdirSync(root, { withFileTypes: true });
    if (entries.some((e) => e.name === 'report.json')) return root;
    const sub = entries.find((e) => e.isDirectory() && e.name !== '.lock');
    if (!sub) throw new Error(`no run under ${root}: ${stderr}`);
    return runDir(join(root, sub.name));
  };
  report = JSON.parse(readFileSync(join(runDir(join(out, 'reports')), 'report.json'), 'utf8'));
}, 120_000);

afterAll(async () => {
  await gcp?.close();
  await azure?.close();
});

const SUB_1 = '/subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05';
const SUB_2 = '/subscriptions/72ac930a-f34e-42d8-b06d-dc2a9e12ed71';
const aks = (sub: string, rg: string, name: string) =>
  `${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
const GKE_PROD =
  '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/test-cluster';
const GKE_DEV =
  '//container.googleapis.com/projects/shop-dev/locations/us-central1/clusters/autopilot-1';
const project = (p: string) => `//cloudresourcemanager.googleapis.com/projects/${p}`;

describe('pci-posture scan over GCP and Azure (local servers)', () => {
  it('discovers and collects every project and subscription, complete, and exits 0', () => {
    expect(stderr).toContain('collecting 5 scan unit(s)');
    expect(code).toBe(0);
    expect(report.complete).toBe(true);
    expect(report.findings.filter((f) => f.status === 'ERROR')).toEqual([]);
    expect(report.findings.length).toBeGreaterThan(100);
  });

  it('reached GKE and project IAM with the signed key, and ARM with an Entra token', () => {
    const gke = gcp.requests.filter((r) => r.path.endsWith('/locations/-/clusters'));
    expect(gke.map((r) => r.path).sort()).toEqual(
      ['shop-data', 'shop-dev', 'shop-prod'].map((p) => `/v1/projects/${p}/locations/-/clusters`),
    );
    const iam = gcp.requests.filter((r) => r.path.endsWith(':getIamPolicy'));
    expect(iam).toHaveLength(3);
    for (const r of iam)
      expect(JSON.parse(r.body)).toEqual({ options: { requestedPolicyVersion: 3 } });
    expect(azure.issuedTokens.size).toBeGreaterThanOrEqual(1);
    expect(azure.unsupportedApiVersions()).toEqual([]);
  });

  it.each<[string, string[]]>([
    // The cartography cluster runs without GKE metadata; the Autopilot copy has it.
    ['gke-node-metadata-protected', [`${GKE_DEV} PASS`, `${GKE_PROD} FAIL`]],
    ['gke-secrets-encrypted-kms', [`${GKE_DEV} FAIL`, `${GKE_PROD} FAIL`]],
    // googleapis' policy exempts a member from allServices audit logs; forseti's logs all.
    [
      'gcp-iam-audit-logging',
      [
        `${project('shop-data')} PASS`,
        `${project('shop-dev')} FAIL`,
        `${project('shop-prod')} PASS`,
      ],
    ],
    // forseti's policy gives roles/owner to a group and a user.
    [
      'gcp-iam-no-basic-roles-for-people',
      [
        `${project('shop-data')} FAIL`,
        `${project('shop-dev')} PASS`,
        `${project('shop-prod')} FAIL`,
      ],
    ],
    // The spec's ManagedClustersList example: RBAC off, public API server, local accounts on.
    [
      'aks-rbac-enabled',
      [
        `${aks(SUB_1, 'RG-Payments', 'payments-1')} PASS`,
        `${aks(SUB_1, 'rg1', 'clustername1')} FAIL`,
        `${aks(SUB_2, 'RG-Payments', 'payments-1')} PASS`,
        `${aks(SUB_2, 'rg1', 'clustername1')} FAIL`,
      ],
    ],
    [
      'aks-api-server-not-public',
      [
        `${aks(SUB_1, 'RG-Payments', 'payments-1')} PASS`,
        `${aks(SUB_1, 'rg1', 'clustername1')} FAIL`,
        `${aks(SUB_2, 'RG-Payments', 'payments-1')} PASS`,
        `${aks(SUB_2, 'rg1', 'clustername1')} FAIL`,
      ],
    ],
    ['azure-rbac-owners-limited', [`${SUB_1} PASS`, `${SUB_2} PASS`]],
  ])('%s: as the fixtures say', (checkId, expected) => {
    expect(verdicts(checkId)).toEqual(expected);
  });

  it('keeps an assignment inherited from a management group once, and fails it there', () => {
    const inherited = verdicts('azure-rbac-no-user-access-admin').filter((v) =>
      v.startsWith('/providers/Microsoft.Management/managementGroups/corp/'),
    );
    expect(inherited).toEqual([
      '/providers/Microsoft.Management/managementGroups/corp/providers/Microsoft.Authorization/roleAssignments/7d1c1b54-0000-4000-8000-00000000c0de FAIL',
    ]);
  });

  it('writes neither the client secret, the service-account key nor a token anywhere', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else files.push(join(d, e.name));
      }
    };
    walk(join(dir, 'archive'));
    const written = files.map((f) => readFileSync(f, 'utf8')).join('\n') + stderr;
    expect(written).not.toContain(CLIENT_SECRET);
    expect(written).not.toContain('PRIVATE KEY');
    for (const token of azure.issuedTokens) expect(written).not.toContain(token);
    expect(written).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
  });
});
