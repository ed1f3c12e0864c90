/** `pci-posture demo` as a user runs it: the real bin, in a child process on Node 24. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/report-schema.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'functions', 'cli', 'bin.ts');
const out = join(tempDir('demo'), 'pci-posture-demo');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runFolders(archive: string): string[] {
  const base = join(archive, 'reports');
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === 'report.json')
    .map((e) => e.parentPath)
    .sort();
}

describe('pci-posture demo', () => {
  it('creates its key on first use, writes a signed run and prints a summary with the paths', () => {
    const first = cli('demo', '--out', out);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('created a demo signing key');
    expect(first.stdout).toMatch(
      /Run \S+: \d+ findings: \d+ PASS, \d+ FAIL, \d+ ERROR, 0 WAIVED \(INCOMPLETE: 1 collection errors\)/,
    );
    expect(first.stdout).toMatch(
      /Requirements: \d+ FAIL, \d+ ERROR, \d+ PASS, \d+ NOT_TESTED, 244 MANUAL/,
    );
    expect(first.stdout).toContain(`Public key:  ${join(out, 'signing-public-key.pem')}`);
    expect(statSync(join(out, '.keys', 'signing-key.pem')).mode & 0o077).toBe(0);
  });

  it('reuses its key and chains the second run to the first', () => {
    const pub = readFileSync(join(out, 'signing-public-key.pem'), 'utf8');
    const second = cli('demo', '--out', out);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('created a demo signing key');
    expect(readFileSync(join(out, 'signing-public-key.pem'), 'utf8')).toBe(pub);
    const runs = runFolders(out);
    expect(runs).toHaveLength(2);
    const [a, b] = runs.map((r) => JSON.parse(readFileSync(join(r, 'report.json'), 'utf8')));
    expect(b.previous.runId).toBe(a.runId);
  });

  it('writes runs that validate against the schema and pass sha256sum, openssl and verify', () => {
    for (const run of runFolders(out)) {
      const report = JSON.parse(readFileSync(join(run, 'report.json'), 'utf8'));
      expect(schemaErrors(report)).toEqual([]);
      expect(report.complete).toBe(false);
      execFileSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: run });
      const ok = execFileSync(
        'openssl',
        [
          'dgst',
          '-sha256',
          '-verify',
          join(out, 'signing-public-key.pem'),
          '-signature',
          'SHA256SUMS.sig',
          'SHA256SUMS',
        ],
        { cwd: run, encoding: 'utf8' },
      );
      expect(ok.trim()).toBe('Verified OK');
      const html = readFileSync(join(run, 'report.html'), 'utf8');
      expect(html).not.toContain('demo-literal-not-a-real-password');
      expect(readFileSync(join(run, 'inventory.json'), 'utf8')).not.toContain(
        'demo-literal-not-a-real-password',
      );
    }
    const inRun = spawnSync(
      process.execPath,
      [BIN, 'verify', '.', '--public-key', join(out, 'signing-public-key.pem')],
      { cwd: runFolders(out)[0]!, encoding: 'utf8' },
    );
    expect(inRun.stdout).toContain('INTACT: 1 run(s)');
    expect(inRun.status).toBe(0);
    const v = cli('verify', out, '--public-key', join(out, 'signing-public-key.pem'));
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('INTACT: 2 run(s), 0 with problems');
  });
});
