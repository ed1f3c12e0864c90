/** `pci-posture verify` on tampered archives: exit 1, and the output names the run and the file. */
import {
  copyFileSync,
  cpSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLocalKeyPair } from '../../functions/archive/signer.ts';
import { main } from '../../functions/cli/main.ts';
import { demoInventory } from '../../functions/demo/estate.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('tamper');
const key = join(dir, 'k', 'signing-key.pem');
const pub = join(dir, 'k', 'public.pem');
const archive = join(dir, 'archive');
let runs: string[] = [];

async function cli(...argv: string[]) {
  let stdout = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: () => {} });
  return { code, stdout };
}

function runFolders(root: string): string[] {
  return readdirSync(join(root, 'reports'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === 'SHA256SUMS')
    .map((e) => e.parentPath)
    .sort();
}

beforeAll(async () => {
  ensureLocalKeyPair(key, pub);
  const inv = join(dir, 'inventory.json');
  writeFileSync(inv, JSON.stringify(demoInventory()));
  for (let i = 0; i < 3; i++) {
    expect(
      (await cli('evaluate', '--inventory', inv, '--out', archive, '--signing-key', key, '--quiet'))
        .code,
    ).toBe(0);
  }
  runs = runFolders(archive);
  expect(runs).toHaveLength(3);
});

type Tamper = (run: (i: number) => string) => void;
const flip = (file: string) => {
  const data = readFileSync(file);
  data[10] = data[10]! ^ 0x20;
  writeFileSync(file, data);
};

const cases: Array<[string, Tamper, number, string]> = [
  ['a changed byte in report.json', (r) => flip(join(r(1), 'report.json')), 1, 'report.json'],
  ['a changed byte in report.html', (r) => flip(join(r(1), 'report.html')), 1, 'report.html'],
  ['a changed byte in findings.csv', (r) => flip(join(r(0), 'findings.csv')), 0, 'findings.csv'],
  [
    'a changed byte in inventory.json',
    (r) => flip(join(r(2), 'inventory.json')),
    2,
    'inventory.json',
  ],
  ['a changed byte in SHA256SUMS', (r) => flip(join(r(2), 'SHA256SUMS')), 2, 'SHA256SUMS'],
  [
    'a swapped signature',
    (r) => copyFileSync(join(r(0), 'SHA256SUMS.sig'), join(r(1), 'SHA256SUMS.sig')),
    1,
    'SHA256SUMS.sig',
  ],
  [
    'a truncated signature',
    (r) => truncateSync(join(r(1), 'SHA256SUMS.sig'), 8),
    1,
    'SHA256SUMS.sig',
  ],
  [
    'a deleted artifact',
    (r) => rmSync(join(r(0), 'report.html')),
    0,
    'report.html: listed in SHA256SUMS but missing',
  ],
  [
    'a removed middle run',
    (r) => rmSync(r(1), { recursive: true }),
    2,
    'which is missing from the archive',
  ],
];

describe('pci-posture verify on a tampered archive', () => {
  it('accepts the untouched archive', async () => {
    const r = await cli('verify', archive, '--public-key', pub);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('INTACT: 3 run(s), 0 with problems, 0 chain problem(s)');
  });

  it.each(cases)(
    'exits 1 for %s, naming the run and the file',
    async (name, tamper, index, expected) => {
      const copy = join(dir, name.replace(/\W+/g, '-'));
      cpSync(archive, copy, { recursive: true });
      const copies = runFolders(copy);
      const runId = copies[index]!.split('/').pop()!;
      tamper((i) => copies[i]!);
      const r = await cli('verify', copy, '--public-key', pub);
      expect(r.code).toBe(1);
      const line = r.stdout.split('\n').find((l) => l.startsWith('FAIL') && l.includes(runId));
      expect(line, r.stdout).toContain(expected);
    },
  );

  it('exits 1 with the wrong public key, for every run', async () => {
    const other = join(dir, 'other');
    ensureLocalKeyPair(join(other, 'k.pem'), join(other, 'p.pem'));
    const r = await cli('verify', archive, '--public-key', join(other, 'p.pem'));
    expect(r.code).toBe(1);
    for (const run of runs)
      expect(r.stdout).toContain(`FAIL  ${run}: SHA256SUMS.sig: signature does not verify`);
  });
});
