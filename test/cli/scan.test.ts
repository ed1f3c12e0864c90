/**
 * `pci-posture scan` end to end against moto: the organization scenario of
 * test/helpers/moto-estate.ts (its own management account) is collected, evaluated, signed with a
 * local P-256 key made here, and written to a folder archive. The run must pass `verify`,
 * `sha256sum -c` and `openssl dgst -verify`, chain to the previous run, and carry the expected
 * FAILs; the progress and summary lines, `--quiet`, `--fail-on`, the config's `archive` section
 * and every kind of bad config (exit 2, file and JSON path named, nothing written) are checked.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { runtimeSettings } from '../../functions/collect/scan.ts';
import type { Report } from '../../functions/report/report.ts';
import { FAKE_CREDENTIALS } from '../helpers/moto.ts';
import {
  buildMotoEstate,
  ESTATE_REGIONS,
  iamRoot,
  type LoggedCall,
  type MotoEstate,
  motoCollectorClients,
  motoEndpoints,
} from '../helpers/moto-estate.ts';
import { tempDir } from '../helpers/tmp.ts';

const MANAGEMENT = '300000000002';
const dir = tempDir('cli-scan');
const key = join(dir, 'signing-key.pem');
const pub = join(dir, 'signing-public.pem');

let estate: MotoEstate;
/** Every request the collector sent, over all scans of this file. */
const log: LoggedCall[] = [];
/** How many times `scan` asked for the AWS client factory (0 when it stopped before collecting). */
let factories = 0;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const made = motoCollectorClients(MANAGEMENT, log);
  const code = await main(
    argv,
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    },
    {
      collectorClients: (config) => {
        factories++;
        return config.aws ? { aws: made(config.aws, runtimeSettings(config)) } : {};
      },
    },
  );
  return { code, stdout, stderr };
}

/** The scenario's AWS section as YAML, endpoints on moto. */
function awsYaml(accounts = 'organization'): string {
  const e = motoEndpoints(estate.endpoint);
  return [
    'aws:',
    `  accounts: ${accounts}`,
    `  regions: [${ESTATE_REGIONS.join(', ')}]`,
    '  endpoints:',
    ...Object.entries(e).map(([k, v]) => `    ${k}: "${v}"`),
  ].join('\n');
}

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, `${text}\n`);
  return file;
}

const runFolderOf = (stdout: string) => /^Run folder: +(\S+)$/m.exec(stdout)?.[1];
const readReport = (folder: string) =>
  JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as Report;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What CHECKS.md makes of the scenario, whatever the clock: FAILs proven by the data read. */
function expectedFails(): Array<[string, string]> {
  return [
    ['eks-endpoint-not-public', estate.clusters.payments.arn], // 0.0.0.0/0
    ['eks-endpoint-not-public', estate.clusters.sandbox.arn], // public, no CIDRs
    ['eks-secrets-encrypted-kms', estate.clusters.payments.arn], // no encryptionConfig
    ['eks-supported-version', estate.clusters.payments.arn], // 1.28 < 1.30
    ['eks-audit-logging-enabled', estate.clusters.payments.arn], // api only
    ['eks-nodegroup-no-open-ssh', estate.nodegroups['payments-ssh-open']!.arn], // key, no SG
    ['aws-iam-console-users-mfa', estate.users.alice.arn], // password, no MFA
    ['aws-iam-console-users-mfa', estate.users['dev-alice'].arn],
    ['aws-iam-password-policy', iamRoot(estate.management)], // length 8, reuse 2, age 180
    ['aws-iam-password-policy', iamRoot(estate.dev)], // none
    ['aws-iam-no-full-admin-policies', estate.policies.FullAdmin.arn], // * on *, attached
    ['aws-iam-no-full-admin-policies', estate.policies.DevAdmin.arn],
  ];
}

let config: string;
let archive: string;
let first: { code: number; stdout: string; stderr: string; folder: string; calls: number };

beforeAll(async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  estate = await buildMotoEstate(inject('motoEndpoint'), MANAGEMENT);
  config = configFile('scan.yaml', `${awsYaml()}\nkubernetes: { enabled: false }`);
  archive = join(dir, 'archive');
  const before = log.length;
  const r = await run('scan', '--config', config, '--out', archive, '--signing-key', key);
  first = { ...r, folder: runFolderOf(r.stdout) ?? '', calls: log.length - before };
}, 30_000);

describe('pci-posture scan', () => {
  it('exits 0 and prints the run, INCOMPLETE because moto cannot list EKS add-ons', () => {
    expect(first.code, first.stderr).toBe(0);
    const report = readReport(first.folder);
    const s = report.summary;
    expect(first.stdout).toContain(
      `Run ${report.runId}: ${report.findings.length} findings: ${s.PASS} PASS, ${s.FAIL} FAIL, ${s.ERROR} ERROR, 0 WAIVED (INCOMPLETE: 6 collection errors)`,
    );
    expect(first.stdout).toMatch(/^Failing requirements: .*\b1\.3\.1\b/m);
    expect(first.stdout).toContain(
      `Verify:      npx pci-posture verify ${archive} --public-key ${archive}/signing-public-key.pem`,
    );
    expect(first.folder.startsWith(`${archive}/reports/`)).toBe(true);
  });

  it('leaks no credential: the temporary keys appear in no output and no artifact', () => {
    const temporary = [
      ...new Set(log.map((c) => c.accessKeyId).filter((k): k is string => !!k?.startsWith('ASIA'))),
    ];
    // The members were read with keys from AssumeRole: the canaries exist.
    expect(temporary.length).toBeGreaterThanOrEqual(2);
    const texts = [
      first.stdout,
      first.stderr,
      ...readdirSync(first.folder).map((f) => readFileSync(join(first.folder, f), 'latin1')),
    ];
    for (const key of [
      ...temporary,
      FAKE_CREDENTIALS.accessKeyId,
      FAKE_CREDENTIALS.secretAccessKey,
    ]) {
      for (const text of texts) expect(text.includes(key), key).toBe(false);
    }
  });

  it('prints one progress line per account and the collection summary on stderr', () => {
    const progress = [
      ...first.stderr.matchAll(
        /^\[(\d)\/3\] aws (\d{12}) read \(\d+\.\d s, \d+ collection errors? so far\)$/gm,
      ),
    ];
    expect(first.stderr).toContain('collecting 3 scan unit(s)...\n');
    expect(progress.map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(progress.map((m) => m[2]).sort()).toEqual(estate.accounts);
    // 6 clusters, 5 node groups, 3 x (summary, password policy, credential report), 5 policies.
    expect(first.stderr).toMatch(
      new RegExp(
        `^collected 25 resources from 3 scan unit\\(s\\) in \\d+\\.\\d s \\(${first.calls} API calls\\), 6 collection error\\(s\\)$`,
        'm',
      ),
    );
    const notCollected = first.stderr.match(/^ {2}not collected: .*$/gm) ?? [];
    expect(notCollected).toHaveLength(6);
    // Each line names its cluster, so two clusters of one region are told apart.
    expect(new Set(notCollected).size).toBe(6);
    for (const line of notCollected) {
      expect(line).toMatch(
        /^ {2}not collected: aws\.eks\.addon in arn:aws:eks:[a-z]+-[a-z]+-\d:\d{12}:cluster\/[a-z0-9-]+ \(eks:ListAddons\): SyntaxError: .*\(HTTP 404\)$/,
      );
    }
    expect(first.stderr).toContain('evaluating 25 resources...');
  });

  it('writes a run folder that sha256sum, openssl and verify accept', async () => {
    expect(readdirSync(first.folder).sort()).toEqual(
      expect.arrayContaining([
        'SHA256SUMS',
        'SHA256SUMS.sig',
        'findings.csv',
        'inventory.json',
        'report.html',
        'report.json',
      ]),
    );
    const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], {
      cwd: first.folder,
      encoding: 'utf8',
    });
    expect(sums.trim().split('\n')).toHaveLength(4);
    expect(sums).not.toMatch(/FAILED/);
    expect(
      execFileSync(
        'openssl',
        ['dgst', '-sha256', '-verify', pub, '-signature', 'SHA256SUMS.sig', 'SHA256SUMS'],
        { cwd: first.folder, encoding: 'utf8' },
      ),
    ).toContain('Verified OK');
    const v = await run('verify', archive, '--public-key', pub);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toContain('INTACT: 1 run(s)');
  });

  it('reports the FAILs the scenario holds, the ListAddons errors, and archives the inventory', () => {
    const report = readReport(first.folder);
    const status = new Map(report.findings.map((f) => [`${f.checkId} ${f.resourceId}`, f.status]));
    for (const [checkId, resourceId] of expectedFails()) {
      expect(status.get(`${checkId} ${resourceId}`), `${checkId} ${resourceId}`).toBe('FAIL');
    }
    expect(report.complete).toBe(false);
    expect(report.previous).toBeNull();
    expect(report.errors.map((e) => e.operation)).toEqual(Array(6).fill('eks:ListAddons'));
    // Collected now, the key created a moment ago is well within 90 days.
    expect(status.get(`aws-iam-access-keys-rotated ${estate.users['ci-deployer'].arn}`)).toBe(
      'PASS',
    );
    const inventory = JSON.parse(readFileSync(join(first.folder, 'inventory.json'), 'utf8'));
    expect(inventory.resources).toHaveLength(25);
    expect(inventory.errors).toEqual(report.errors);
  });

  it('prints no progress with --quiet', async () => {
    const r = await run(
      'scan',
      '--config',
      config,
      '--out',
      join(dir, 'quiet'),
      '--signing-key',
      key,
      '--quiet',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/^\[\d\/3\]/m);
    expect(r.stderr).not.toContain('collecting');
    expect(r.stderr).not.toContain('evaluating');
    expect(runFolderOf(r.stdout)).toBeDefined();
  });

  it('links a second scan to the first, exits 1 with --fail-on fail, and verify accepts the chain', async () => {
    const r = await run(
      'scan',
      '--config',
      config,
      '--out',
      archive,
      '--signing-key',
      key,
      '--quiet',
      '--fail-on',
      'fail',
    );
    expect(r.code, r.stderr).toBe(1);
    const folder = runFolderOf(r.stdout)!;
    expect(folder).not.toBe(first.folder);
    expect(readReport(folder).previous).toEqual({
      runId: readReport(first.folder).runId,
      sha256sumsDigest: sha256(join(first.folder, 'SHA256SUMS')),
    });
    const v = await run('verify', archive, '--public-key', pub);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toContain('INTACT: 2 run(s)');
  });

  it('takes the archive and the signing key from the config when no flag is given', async () => {
    const out = join(dir, 'from-config');
    const file = configFile(
      'archive.yaml',
      [
        awsYaml('current'),
        'kubernetes: { enabled: false }',
        'archive:',
        `  out: "${out}"`,
        `  signer: { signingKey: "${key}" }`,
      ].join('\n'),
    );
    const r = await run('scan', '--config', file, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const folder = runFolderOf(r.stdout)!;
    expect(folder.startsWith(`${out}/reports/`)).toBe(true);
    // accounts: current: the management account only, its three clusters.
    const report = readReport(folder);
    const clusters = new Set(
      report.findings.filter((f) => f.resourceType === 'aws.eks.cluster').map((f) => f.resourceId),
    );
    expect([...clusters].sort()).toEqual(
      [estate.clusters.payments.arn, estate.clusters.vault.arn, estate.clusters.edge.arn].sort(),
    );
    expect((await run('verify', out, '--public-key', pub)).code).toBe(0);
  });
});

describe('pci-posture scan refuses bad input before collecting or writing anything', () => {
  const cases: Array<[string, () => string, string, RegExp]> = [
    [
      'an account number without quotes',
      () => `${awsYaml(`[${estate.management}]`)}`,
      '$.aws.accounts[0]',
      /in quotes/,
    ],
    [
      'an unknown key',
      () => `${awsYaml()}\ncollection: { concurency: 4 }`,
      '$.collection.concurency',
      /nrecognized key/,
    ],
    [
      'a bad region',
      () => awsYaml().replace('us-east-1', 'US_EAST_1'),
      '$.aws.regions[1]',
      /must be an AWS region name/,
    ],
    [
      'missing regions',
      () =>
        awsYaml()
          .split('\n')
          .filter((l) => !l.includes('regions:'))
          .join('\n'),
      '$.aws.regions',
      /is required: a list of at least one region/,
    ],
  ];

  it.each(cases)(
    'exits 2 on %s, naming the file and the JSON path',
    async (name, text, path, what) => {
      const file = configFile(`bad-${name.replaceAll(' ', '-')}.yaml`, text());
      const out = join(dir, `never-${name.replaceAll(' ', '-')}`);
      const calls = log.length;
      const made = factories;
      const r = await run('scan', '--config', file, '--out', out, '--signing-key', key);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^pci-posture: error: /);
      expect(r.stderr).toContain(`${file}: ${path}: `);
      expect(r.stderr).toMatch(what);
      expect(existsSync(out)).toBe(false);
      expect(factories).toBe(made);
      expect(log.length).toBe(calls);
    },
  );

  it('exits 2 when neither --out nor archive.out says where to write', async () => {
    const file = configFile('no-out.yaml', awsYaml('current'));
    const calls = log.length;
    const r = await run('scan', '--config', file, '--signing-key', key);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'pci-posture: error: no archive: give --out DIR|s3://BUCKET/PREFIX or archive.out in the config',
    );
    expect(log.length).toBe(calls);
  });

  it('exits 2 before collecting when the signing key is not the archive key', async () => {
    const out = join(dir, 'foreign-archive');
    mkdirSync(out, { recursive: true });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(
      join(out, 'signing-public-key.pem'),
      other.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const file = configFile('foreign.yaml', awsYaml('current'));
    const calls = log.length;
    const made = factories;
    const r = await run('scan', '--config', file, '--out', out, '--signing-key', key);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the signing key does not match the archive/);
    expect(factories).toBe(made);
    expect(log.length).toBe(calls);
    expect(existsSync(join(out, 'reports'))).toBe(false);
  });
});
