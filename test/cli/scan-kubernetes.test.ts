/**
 * `pci-posture scan` end to end with Kubernetes: the real command line in its own process. The GCP
 * collector (keyless: workload identity federation from the AWS credentials of the environment,
 * against the local GCP server's STS and IAM Credentials) finds a GKE cluster whose endpoint is
 * the local Kubernetes API server and whose `masterAuth.clusterCaCertificate` is the test CA; the
 * Kubernetes collector reads that cluster right after the project, with a Google access token of
 * the same credentials, and a cluster listed directly (CA file, token from the environment). No
 * extra CA is given to the process: the clusters' own CAs are what TLS is checked with.
 *
 * (Federation, not a service-account key: for GKE the Kubernetes collector trades the key for an
 * OAuth access token at oauth2.googleapis.com, which no endpoint setting points elsewhere.)
 *
 * The findings of the clusters' objects come out under each cluster in report.json and
 * findings.csv; lists are read in pages; Secrets are never asked for; no token reaches the
 * archive or the output. A cluster that forbids listing Roles leaves the RBAC checks that need
 * them ERROR (a FAIL proven by the binding itself stays FAIL), and the run incomplete.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../functions/report/report.ts';
import type { GcpServer } from '../helpers/gcp-server.ts';
import { startGkeCluster } from '../helpers/gke-cluster.ts';
import { PAYMENTS_ESTATE_FACTS as F } from '../helpers/kubernetes-estate.ts';
import type { KubernetesRequest, KubernetesServer } from '../helpers/kubernetes-server.ts';
import { tempDir } from '../helpers/tmp.ts';

const run = promisify(execFile);
const PROJECT = 'shop-prod';
const GKE = `//container.googleapis.com/projects/${PROJECT}/locations/europe-west2/clusters/test-cluster`;
const ONPREM = 'onprem';
const ONPREM_TOKEN = 'onprem-cli-token-7Hd2-not-a-real-one';
const PAGE_SIZE = 3;
const AUDIENCE =
  '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pci-posture/providers/aws-scanner';
const SERVICE_ACCOUNT = 'pci-posture-reader@shop-sec.iam.gserviceaccount.com';
/** The AWS credentials of the environment the scan runs in (federation signs with them). */
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'ASIACLIKUBERNETES001',
  AWS_SECRET_ACCESS_KEY: 'cli-kubernetes-fake-secret-access-key',
  AWS_SESSION_TOKEN: 'cli-kubernetes-fake-session-token',
  AWS_REGION: 'eu-west-1',
};

let gcp: GcpServer;
let k8s: KubernetesServer;
let dir: string;
let config: string;
let signingKey: string;
/** The tokens the API server was offered as Google tokens (the GKE cluster's). */
let googleTokens: Set<string>;

interface ScanRun {
  code: number;
  stdout: string;
  stderr: string;
  report: Report;
  csv: string;
  /** Every file of the archive, as text. */
  archived: string;
  requests: KubernetesRequest[];
}

/** Runs `pci-posture scan` into `archive` and reads what it wrote. */
async function scan(archive: string): Promise<ScanRun> {
  const out = join(dir, archive);
  const node = join(process.cwd(), 'node_modules/.bin/node');
  const before = k8s.requests.length;
  let code: number;
  let stdout: string;
  let stderr: string;
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
      { env: { PATH: process.env.PATH, HOME: dir, ...AWS_ENV, PCI_TEST_K8S_TOKEN: ONPREM_TOKEN } },
    );
    code = 0;
    ({ stdout, stderr } = done);
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    ({ code, stdout, stderr } = e);
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(out);
  const file = (name: string) => {
    const f = files.find((p) => p.endsWith(`/${name}`));
    if (!f) throw new Error(`no ${name} in ${out}: ${stderr}`);
    return readFileSync(f, 'utf8');
  };
  return {
    code,
    stdout,
    stderr,
    report: JSON.parse(file('report.json')) as Report,
    csv: file('findings.csv'),
    archived: files.map((f) => readFileSync(f, 'utf8')).join('\n'),
    requests: k8s.requests.slice(before),
  };
}

const statusesIn = (r: Report, checkId: string, cluster: string) =>
  Object.fromEntries(
    r.findings
      .filter((f) => f.checkId === checkId && f.resourceId.startsWith(`${cluster}/`))
      .map((f) => [f.resourceId.slice(cluster.length + 1), f.status]),
  );

beforeAll(async () => {
  dir = tempDir('pci-scan-kubernetes-');
  // The API server of both clusters; the GKE one takes the Google tokens of its project.
  ({
    gcp,
    k8s,
    googleTokens: googleTokens,
  } = await startGkeCluster({
    project: PROJECT,
    audience: AUDIENCE,
    serviceAccount: SERVICE_ACCOUNT,
    tokens: [ONPREM_TOKEN],
  }));
  const caFile = join(dir, 'onprem-ca.pem');
  writeFileSync(caFile, k8s.ca);
  signingKey = join(dir, 'signing.pem');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  config = join(dir, 'scan.yaml');
  writeFileSync(
    config,
    [
      'gcp:',
      `  projects: [${PROJECT}]`,
      '  credentials:',
      '    type: workload-identity-federation',
      `    audience: "${AUDIENCE}"`,
      `    serviceAccount: ${SERVICE_ACCOUNT}`,
      '  endpoints:',
      `    container: "${gcp.url}"`,
      `    resourceManager: "${gcp.url}"`,
      `    sts: "${gcp.url}"`,
      `    iamCredentials: "${gcp.url}"`,
      'kubernetes:',
      `  pageSize: ${PAGE_SIZE}`,
      '  clusters:',
      `    - name: ${ONPREM}`,
      `      endpoint: "${k8s.url}"`,
      `      caFile: ${caFile}`,
      '      token: { env: PCI_TEST_K8S_TOKEN }',
      '',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await gcp?.close();
  await k8s?.close();
});

describe('pci-posture scan: the GCP collector finds a cluster, the Kubernetes collector reads it', () => {
  let night: ScanRun;

  beforeAll(async () => {
    night = await scan('archive');
  }, 120_000);

  it('collects the project and the listed cluster, complete, and exits 0', () => {
    expect(night.stderr).toContain('collecting 2 scan unit(s)');
    expect(night.code).toBe(0);
    expect(night.report.errors).toEqual([]);
    expect(night.report.complete).toBe(true);
  });

  it.each([
    ['GKE', GKE],
    ['listed', ONPREM],
  ])(
    'judges the objects of the %s cluster under that cluster, in report.json and findings.csv',
    (_, cluster) => {
      const admin = statusesIn(night.report, 'k8s-cluster-admin-restricted', cluster);
      expect(admin[`_cluster/ClusterRoleBinding/${F.adminBinding}`]).toBe('FAIL');
      expect(admin['_cluster/ClusterRoleBinding/cluster-admin']).toBe('PASS');
      const [cns, cname] = F.capabilitiesPod.split('/');
      expect(
        statusesIn(night.report, 'k8s-workload-no-added-capabilities', cluster)[
          `${cns}/Pod/${cname}`
        ],
      ).toBe('FAIL');
      const [lns, lname] = F.secretLiteralDeployment.split('/');
      expect(
        statusesIn(night.report, 'k8s-workload-no-secret-literals', cluster)[
          `${lns}/Deployment/${lname}`
        ],
      ).toBe('FAIL');
      // The same verdicts in findings.csv.
      const row = night.csv
        .split('\n')
        .find(
          (l) =>
            l.includes('k8s-cluster-admin-restricted') &&
            l.includes(`${cluster}/_cluster/ClusterRoleBinding/${F.adminBinding}`),
        );
      expect(row).toContain('FAIL');
    },
  );

  it('keeps the GKE cluster findings of the cloud collector', () => {
    expect(
      night.report.findings
        .filter((f) => f.checkId === 'gke-node-metadata-protected')
        .map((f) => [f.resourceId, f.status]),
    ).toEqual([[GKE, 'FAIL']]);
  });

  it('lists every kind of both clusters in pages, with the Google token for GKE, and never Secrets', () => {
    expect(night.requests.every((r) => r.authorized && r.status === 200)).toBe(true);
    expect(night.requests.every((r) => r.query.limit === String(PAGE_SIZE))).toBe(true);
    expect(night.requests.filter((r) => r.query.continue).length).toBeGreaterThan(0);
    const firsts = night.requests.filter((r) => !r.query.continue).map((r) => r.kind);
    expect(firsts).toHaveLength(28);
    expect(new Set(firsts).size).toBe(14);
    expect(k8s.secretRequests()).toEqual([]);
    // The GKE cluster was offered the service account's access token, issued by the GCP server.
    expect(googleTokens.size).toBeGreaterThan(0);
    for (const t of googleTokens) {
      expect(t).toMatch(/^ya29\.local-/);
      expect(gcp.issuedTokens).toContain(t);
    }
  });

  it('archives no managedFields, no last-applied annotation, no secret literal', () => {
    expect(night.archived).toContain(`${GKE}/payments/Deployment/api`);
    expect(night.archived).not.toContain('managedFields');
    expect(night.archived).not.toContain('last-applied-configuration');
    expect(night.archived).not.toContain(F.secretLiteral);
  });

  it('writes no token anywhere: neither the archive nor the output', () => {
    const written = [night.archived, night.stdout, night.stderr].join('\n');
    for (const secret of [
      ONPREM_TOKEN,
      AWS_ENV.AWS_SECRET_ACCESS_KEY,
      AWS_ENV.AWS_SESSION_TOKEN,
      ...gcp.issuedTokens,
    ]) {
      expect(written).not.toContain(secret);
    }
    expect(gcp.issuedTokens.length).toBeGreaterThan(0);
  });
});

describe('pci-posture scan against clusters that forbid listing Roles', () => {
  let denied: ScanRun;

  beforeAll(async () => {
    k8s.setFaults({ forbidden: ['Role'] });
    try {
      denied = await scan('archive-denied');
    } finally {
      k8s.setFaults({});
    }
  }, 120_000);

  it('signs an incomplete run with one error per cluster, for Roles only', () => {
    expect(denied.code).toBe(0);
    expect(denied.report.complete).toBe(false);
    expect(denied.report.errors.map((e) => [e.scope.cluster, e.types, e.operation]).sort()).toEqual(
      [
        [GKE, ['kubernetes.Role'], 'kubernetes:listRole'],
        [ONPREM, ['kubernetes.Role'], 'kubernetes:listRole'],
      ],
    );
    for (const e of denied.report.errors) expect(e.message).toContain('Forbidden');
  });

  it.each([
    ['GKE', GKE],
    ['listed', ONPREM],
  ])(
    'never passes a binding of the %s cluster whose roles are unknown; ops-admins stays FAIL',
    (_, cluster) => {
      for (const checkId of ['k8s-secrets-access-restricted', 'k8s-cluster-admin-restricted']) {
        const statuses = statusesIn(denied.report, checkId, cluster);
        expect(Object.keys(statuses).length, checkId).toBeGreaterThan(0);
        for (const [id, status] of Object.entries(statuses)) {
          expect(['ERROR', 'FAIL'], `${checkId} ${id}`).toContain(status);
        }
        // A binding that would have passed is ERROR: what its role grants is not known.
        expect(Object.values(statuses), checkId).toContain('ERROR');
        // Proven by the binding itself (cluster-admin to a person): FAIL whatever else is unknown.
        expect(statuses[`_cluster/ClusterRoleBinding/${F.adminBinding}`], checkId).toBe('FAIL');
      }
    },
  );

  it('still judges the workloads it read', () => {
    const [cns, cname] = F.capabilitiesPod.split('/');
    expect(
      statusesIn(denied.report, 'k8s-workload-no-added-capabilities', GKE)[`${cns}/Pod/${cname}`],
    ).toBe('FAIL');
  });
});
