import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { ensureLocalKeyPair, LocalPemSigner } from '../../functions/archive/signer.ts';
import { LocalFolderStore } from '../../functions/archive/store.ts';
import { writeRun } from '../../functions/archive/write-run.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { eksCluster, k8s } from '../checks/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('cli');
const key = join(dir, 'keys', 'signing-key.pem');
const pub = join(dir, 'keys', 'public.pem');
const CLUSTER = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';
const CANARY = 'sk_live_CANARY_9f8e7d6c5b4a';

const inventory: Inventory = {
  schema: 'pci-posture/inventory@1',
  collectedAt: '2026-11-26T02:00:00Z',
  resources: [
    eksCluster('payments', {
      version: '1.31',
      resourcesVpcConfig: { endpointPublicAccess: false },
    }),
    k8s(CLUSTER, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'api',
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `{"env":[{"name":"API_KEY","value":"${CANARY}"}]}`,
        },
      },
      spec: {
        containers: [{ name: 'api', image: 'nginx', env: [{ name: 'API_KEY', value: CANARY }] }],
      },
    }),
  ],
  errors: [],
};

const run = (...argv: string[]) => runCli(argv);

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const invFile = () => file('inventory.json', JSON.stringify(inventory, null, 2));

beforeAll(() => {
  ensureLocalKeyPair(key, pub);
});

describe('pci-posture evaluate', () => {
  it('writes a signed run, prints where, and keeps a planted secret out of every artifact and output', async () => {
    const out = join(dir, 'archive-ok');
    const r = await run('evaluate', '--inventory', invFile(), '--out', out, '--signing-key', key);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Run folder: {2}.*reports\/\d{4}\/\d{2}\/\d{2}\/\d{4}-\d{2}-\d{2}T\d{6}Z-[0-9a-f]{4}/,
    );
    const [y] = readdirSync(join(out, 'reports'));
    const runFolder = join(
      out,
      'reports',
      y!,
      ...(() => {
        const m = readdirSync(join(out, 'reports', y!))[0]!;
        const d = readdirSync(join(out, 'reports', y!, m))[0]!;
        return [m, d, readdirSync(join(out, 'reports', y!, m, d))[0]!];
      })(),
    );
    const files = readdirSync(runFolder);
    expect(files.sort()).toEqual([
      'SHA256SUMS',
      'SHA256SUMS.sig',
      'SHA256SUMS.sig.json',
      'findings.csv',
      'inventory.json',
      'report.html',
      'report.json',
    ]);
    for (const f of files) expect(readFileSync(join(runFolder, f)).includes(CANARY)).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    const archived = JSON.parse(readFileSync(join(runFolder, 'inventory.json'), 'utf8'));
    const pod = archived.resources.find((x: { type: string }) => x.type === 'kubernetes.Pod');
    expect(pod.data.spec.containers[0].env[0]).toEqual({ name: 'API_KEY', value: '[REDACTED]' });
    expect(pod.data.metadata.annotations).toEqual({});
    const csv = readFileSync(join(runFolder, 'findings.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'checkId,status,severity,provider,resourceType,resourceId,requirements,message',
    );
  });

  it('exits 1 with --fail-on fail when a finding fails, 0 without it', async () => {
    const out = join(dir, 'archive-failon');
    const failing = {
      ...inventory,
      resources: [eksCluster('open', { resourcesVpcConfig: { endpointPublicAccess: true } })],
    };
    const inv = file('failing.json', JSON.stringify(failing));
    expect(
      (await run('evaluate', '--inventory', inv, '--out', out, '--signing-key', key)).code,
    ).toBe(0);
    expect(
      (
        await run(
          'evaluate',
          '--inventory',
          inv,
          '--out',
          out,
          '--signing-key',
          key,
          '--fail-on',
          'fail',
        )
      ).code,
    ).toBe(1);
  });

  it.each([
    [
      'not JSON',
      '{\n  "schema": "pci-posture/inventory@1",\n  "resources": [,]\n}',
      /bad-inventory\.json: line 3, column 17: is not valid JSON/,
    ],
    [
      'a resource without a type',
      JSON.stringify({ ...inventory, resources: [{ ...inventory.resources[0], type: 42 }] }),
      /bad-inventory\.json: \$\.resources\[0\]\.type: .*expected string/,
    ],
    [
      'a timestamp without a zone',
      JSON.stringify({ ...inventory, collectedAt: '2026-11-26 02:00' }),
      /\$\.collectedAt: must be an ISO-8601 date-time/,
    ],
    [
      'a duplicate resource',
      JSON.stringify({ ...inventory, resources: [inventory.resources[0], inventory.resources[0]] }),
      /\$\.resources\[1\]\.id: duplicate resource/,
    ],
    [
      'an unknown envelope field',
      JSON.stringify({ ...inventory, extra: true }),
      /\$\.extra: Unrecognized key/,
    ],
  ])(
    'rejects an inventory with %s: exit 2, file and place named, nothing written',
    async (_n, text, message) => {
      const out = join(dir, `never-${_n.replace(/\W/g, '-')}`);
      const r = await run(
        'evaluate',
        '--inventory',
        file('bad-inventory.json', text),
        '--out',
        out,
        '--signing-key',
        key,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    },
  );

  it('rejects a missing signing key with exit 2 and writes nothing', async () => {
    const out = join(dir, 'never-key');
    const r = await run(
      'evaluate',
      '--inventory',
      invFile(),
      '--out',
      out,
      '--signing-key',
      join(dir, 'nope.pem'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.pem: signing key cannot be read');
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a signing key that is not P-256', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const r = await run(
      'evaluate',
      '--inventory',
      invFile(),
      '--out',
      join(dir, 'x'),
      '--signing-key',
      file('rsa.pem', String(rsa)),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be an EC P-256');
  });

  it('refuses a signer that does not match the archive with exit 2', async () => {
    const out = join(dir, 'archive-mismatch');
    expect(
      (await run('evaluate', '--inventory', invFile(), '--out', out, '--signing-key', key)).code,
    ).toBe(0);
    const other = join(dir, 'other', 'k.pem');
    ensureLocalKeyPair(other, join(dir, 'other', 'p.pem'));
    const r = await run('evaluate', '--inventory', invFile(), '--out', out, '--signing-key', other);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the signing key does not match the archive: .*signing-public-key\.pem has fingerprint sha256:[0-9a-f]{64}/,
    );
    expect(readdirSync(join(out, 'reports'))).toHaveLength(1);
  });

  it.each([
    [
      'checks:\n  options:\n    eks-supported-version:\n      minimumVersion: 1.31\n',
      /config\.yaml: \$\.checks\.options\["eks-supported-version"\]\.minimumVersion: .*expected string/,
    ],
    [
      'checks:\n  options:\n    no-such-check: {}\n',
      /\$\.checks\.options\["no-such-check"\]: Unrecognized key/,
    ],
    [
      'checks:\n  systemNamespaces: [Kube_System]\n',
      /\$\.checks\.systemNamespaces\[0\]: must be a Kubernetes namespace name/,
    ],
    ['checks: [\n', /config\.yaml: line \d+, column \d+: is not valid YAML/],
  ])('rejects a bad config file with exit 2 naming the place', async (text, message) => {
    const r = await run(
      'evaluate',
      '--inventory',
      invFile(),
      '--out',
      join(dir, 'never-config'),
      '--signing-key',
      key,
      '--config',
      file('config.yaml', text),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'never-config'))).toBe(false);
  });

  it('records check options from the config in the report', async () => {
    const out = join(dir, 'archive-config');
    const cfg = file(
      'good.yaml',
      'checks:\n  systemNamespaces: [istio-system]\n  options:\n    eks-supported-version: { minimumVersion: "1.32" }\n',
    );
    const r = await run(
      'evaluate',
      '--inventory',
      invFile(),
      '--out',
      out,
      '--signing-key',
      key,
      '--config',
      cfg,
    );
    expect(r.code).toBe(0);
    const folder = r.stdout.match(/Run folder: {2}(\S+)/)![1]!;
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.options.checks['eks-supported-version']).toEqual({ minimumVersion: '1.32' });
    expect(report.options.systemNamespaces).toContain('istio-system');
    const finding = report.findings.find(
      (f: { checkId: string }) => f.checkId === 'eks-supported-version',
    );
    expect(finding.status).toBe('FAIL');
  });

  it('exits 3 when the archive cannot be written, leaving no run', async () => {
    const blocker = file('a-file-not-a-folder', 'x');
    const r = await run(
      'evaluate',
      '--inventory',
      invFile(),
      '--out',
      blocker,
      '--signing-key',
      key,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('pci-posture: failed:');
  });

  it.each([
    [
      ['--out', 's3://bucket/prefix'],
      'a signer is needed: --signing-key <PEM> or --kms-key-id <ID>',
    ],
    [
      ['--out', 's3://bucket/prefix', '--signing-key', 'k.pem', '--kms-key-id', 'alias/x'],
      'give either --signing-key or --kms-key-id, not both',
    ],
    [
      ['--out', 's3://bucket/prefix', '--retention-mode', 'COMPLIANCE', '--signing-key', 'k.pem'],
      '--retention-mode and --retention-days go together',
    ],
    [['--out', 's3://', '--signing-key', 'KEY'], 's3://'],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const r = await run(
      'evaluate',
      '--inventory',
      invFile(),
      ...args.map((a) => (a === 'KEY' ? key : a)),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(process.cwd(), 's3:'))).toBe(false);
  });

  it('exits 2 on a usage error', async () => {
    expect((await run('evaluate', '--inventory', invFile())).code).toBe(2);
    expect((await run('no-such-command')).code).toBe(2);
    expect(
      (
        await run(
          'evaluate',
          '--inventory',
          invFile(),
          '--out',
          'x',
          '--signing-key',
          key,
          '--fail-on',
          'warn',
        )
      ).code,
    ).toBe(2);
  });
});

describe('pci-posture verify', () => {
  it('exits 0 for an intact archive, 1 naming the run and file after a change, 2 for usage', async () => {
    const out = join(dir, 'archive-verify');
    for (let i = 0; i < 2; i++) {
      expect(
        (
          await run(
            'evaluate',
            '--inventory',
            invFile(),
            '--out',
            out,
            '--signing-key',
            key,
            '--quiet',
          )
        ).code,
      ).toBe(0);
    }
    const good = await run('verify', out, '--public-key', pub, '--verbose');
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('INTACT: 2 run(s)');
    const folder = good.stdout
      .split('\n')
      .filter((l) => l.startsWith('OK'))[1]!
      .slice(6);
    expect((await run('verify', folder, '--public-key', pub)).code).toBe(0);
    const csv = join(folder, 'findings.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('PASS', 'FAIL'));
    const bad = await run('verify', out, '--public-key', pub);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`FAIL  ${folder}: findings.csv: content changed`);
    expect(bad.stdout).toContain('NOT INTACT');
    expect((await run('verify', out)).code).toBe(2);
    expect((await run('verify', join(dir, 'nowhere'), '--public-key', pub)).code).toBe(2);
    expect((await run('verify', out, '--public-key', join(dir, 'nope.pem'))).code).toBe(2);
  });
});

describe('pci-posture verify on a long archive', () => {
  it('shows progress on stderr and keeps stdout to one screen', async () => {
    const out = join(dir, 'archive-long');
    const store = new LocalFolderStore(out);
    const signer = LocalPemSigner.fromFile(key);
    const evaluation = evaluate(inventory);
    const start = Date.parse('2026-10-01T02:00:00Z');
    for (let i = 0; i < 25; i++) {
      await writeRun({ store, signer, evaluation, now: new Date(start + i * 86_400_000) });
    }
    const r = await run('verify', out, '--public-key', pub);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^verified 25\/25 runs \(\d+\.\d s\)$/m);
    expect(r.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(5);
    expect(r.stdout).toContain('INTACT: 25 run(s), 0 with problems, 0 chain problem(s)');
  });
});
