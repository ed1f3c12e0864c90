import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { ensureLocalKeyPair, LocalPemSigner, type Signer } from '../../functions/archive/signer.ts';
import { LocalFolderStore } from '../../functions/archive/store.ts';
import { loadPublicKey, verifyArchive } from '../../functions/archive/verify.ts';
import { makeRunId, writeRun } from '../../functions/archive/write-run.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { UsageError } from '../../functions/errors.ts';
import { eksCluster } from '../checks/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('archive');
const keyDir = join(root, 'keys');
const inventory: Inventory = {
  schema: 'pci-posture/inventory@1',
  collectedAt: '2026-11-26T02:00:00Z',
  resources: [
    eksCluster('payments', {
      version: '1.31',
      resourcesVpcConfig: { endpointPublicAccess: false },
    }),
    eksCluster('storefront', {
      version: '1.28',
      resourcesVpcConfig: { endpointPublicAccess: true },
    }),
  ],
  errors: [],
};
const ARTIFACTS = ['findings.csv', 'inventory.json', 'report.html', 'report.json'];

let signer: LocalPemSigner;
let pubPem: string;
let pristine: string; // an archive of three runs, never modified
let runPaths: string[];

async function writeRuns(dir: string, count: number, start = Date.parse('2026-11-24T02:00:00Z')) {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const w = await writeRun({
      store: new LocalFolderStore(dir),
      signer,
      evaluation: evaluate(inventory),
      now: new Date(start + i * 86_400_000),
    });
    paths.push(w.location);
  }
  return paths;
}

/** A copy of the pristine archive, and its run folders in order. */
function copyArchive(name: string): { dir: string; runs: string[] } {
  const dir = join(root, name);
  cpSync(pristine, dir, { recursive: true });
  return { dir, runs: runPaths.map((p) => p.replace(pristine, dir)) };
}

/** What a writer that died before signing leaves: no SHA256SUMS.sig and no SHA256SUMS.sig.json. */
function cutOffBeforeSignature(run: string): void {
  rmSync(join(run, 'SHA256SUMS.sig'));
  rmSync(join(run, 'SHA256SUMS.sig.json'));
}

async function verifyDir(dir: string, pem = pubPem) {
  return verifyArchive(new LocalFolderStore(dir), loadPublicKey('key', pem));
}

beforeAll(async () => {
  ensureLocalKeyPair(join(keyDir, 'signing-key.pem'), join(keyDir, 'public.pem'));
  signer = LocalPemSigner.fromFile(join(keyDir, 'signing-key.pem'));
  pubPem = readFileSync(join(keyDir, 'public.pem'), 'utf8');
  pristine = join(root, 'pristine');
  runPaths = await writeRuns(pristine, 3);
});

describe('a written run', () => {
  it('holds the four artifacts, SHA256SUMS and its signature, under reports/YYYY/MM/DD/<runId>', () => {
    const first = runPaths[0]!;
    expect(first).toMatch(/\/reports\/2026\/11\/24\/2026-11-24T020000Z-[0-9a-f]{4}$/);
    const sums = readFileSync(join(first, 'SHA256SUMS'), 'utf8');
    expect(
      sums
        .trim()
        .split('\n')
        .map((l) => l.split('  ')[1]),
    ).toEqual(ARTIFACTS);
    const info = JSON.parse(readFileSync(join(first, 'SHA256SUMS.sig.json'), 'utf8'));
    expect(info).toMatchObject({ algorithm: 'ECDSA_SHA_256', signedAt: '2026-11-24T02:00:00Z' });
    expect(info.keyId).toMatch(/^local:signing-key\.pem#sha256:[0-9a-f]{16}$/);
  });

  it('passes sha256sum -c and openssl dgst -verify in every run folder', () => {
    for (const run of runPaths) {
      expect(
        execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: run, encoding: 'utf8' }),
      ).toContain('report.json: OK');
      const out = execFileSync(
        'openssl',
        [
          'dgst',
          '-sha256',
          '-verify',
          join(pristine, 'signing-public-key.pem'),
          '-signature',
          'SHA256SUMS.sig',
          'SHA256SUMS',
        ],
        { cwd: run, encoding: 'utf8' },
      );
      expect(out.trim()).toBe('Verified OK');
    }
  });

  it('links each run to the one before it by the digest of its SHA256SUMS', () => {
    const reports = runPaths.map((p) => JSON.parse(readFileSync(join(p, 'report.json'), 'utf8')));
    expect(reports[0].previous).toBeNull();
    for (let i = 1; i < reports.length; i++) {
      const sums = readFileSync(join(runPaths[i - 1]!, 'SHA256SUMS'));
      const digest = execFileSync('sha256sum', { input: sums, encoding: 'utf8' }).split(' ')[0];
      expect(reports[i].previous).toEqual({
        runId: reports[i - 1].runId,
        sha256sumsDigest: digest,
      });
    }
  });

  it('gets a runId that sorts after the newest run even within the same second', () => {
    const newest = '2026-11-26T020311Z-ffe0';
    expect(makeRunId(new Date('2026-11-26T02:03:11Z'), newest, '0001')).toBe(
      '2026-11-26T020311Z-ffe00',
    );
    const longest = '2026-11-26T020311Z-fffff';
    const next = makeRunId(new Date('2026-11-26T02:03:11Z'), longest, '2368');
    expect(next > longest && next > '2026-11-26T020311Z-2368').toBe(true);
    expect(makeRunId(new Date('2026-11-26T02:03:12Z'), newest, '0001')).toBe(
      '2026-11-26T020312Z-0001',
    );
  });

  it('refuses a signer whose key is not the archive key (a usage error), writing nothing', async () => {
    const otherDir = join(root, 'other-key');
    ensureLocalKeyPair(join(otherDir, 'k.pem'), join(otherDir, 'p.pem'));
    const other = LocalPemSigner.fromFile(join(otherDir, 'k.pem'));
    const { dir } = copyArchive('mismatch');
    const before = (await new LocalFolderStore(dir).listRuns()).length;
    await expect(
      writeRun({
        store: new LocalFolderStore(dir),
        signer: other,
        evaluation: evaluate(inventory),
      }),
    ).rejects.toThrow(UsageError);
    expect((await new LocalFolderStore(dir).listRuns()).length).toBe(before);
  });
});

describe('verify', () => {
  it('accepts an untouched archive of several runs and says where the chain starts', async () => {
    const r = await verifyDir(pristine);
    expect(r.ok).toBe(true);
    expect(r.runs).toHaveLength(3);
    expect(r.notes[0]).toMatch(/chain starts at .* first run/);
  });

  it.each(ARTIFACTS.concat(['SHA256SUMS']))('catches a changed byte in %s', async (file) => {
    const { dir, runs } = copyArchive(`byte-${file}`);
    const target = join(runs[1]!, file);
    const data = readFileSync(target);
    const at = Math.floor(data.length / 2);
    data[at] = data[at]! ^ 0x01;
    writeFileSync(target, data);
    const r = await verifyDir(dir);
    expect(r.ok).toBe(false);
    const bad = r.runs.find((x) => x.problems.length > 0)!;
    expect(bad.location).toBe(runs[1]);
    expect(bad.problems.join('\n')).toContain(file === 'SHA256SUMS' ? 'SHA256SUMS.sig' : file);
  });

  it('catches a signature swapped in from another run', async () => {
    const { dir, runs } = copyArchive('swapped');
    copyFileSync(join(runs[0]!, 'SHA256SUMS.sig'), join(runs[2]!, 'SHA256SUMS.sig'));
    const r = await verifyDir(dir);
    expect(r.ok).toBe(false);
    expect(r.runs[2]?.problems).toEqual([
      expect.stringContaining('SHA256SUMS.sig: signature does not verify'),
    ]);
  });

  it('catches a truncated signature', async () => {
    const { dir, runs } = copyArchive('truncated');
    truncateSync(join(runs[0]!, 'SHA256SUMS.sig'), 20);
    const r = await verifyDir(dir);
    expect(r.runs[0]?.problems[0]).toContain('SHA256SUMS.sig');
    expect(r.ok).toBe(false);
  });

  it.each(ARTIFACTS)('catches a deleted %s', async (file) => {
    const { dir, runs } = copyArchive(`deleted-${file}`);
    rmSync(join(runs[2]!, file));
    const r = await verifyDir(dir);
    expect(r.ok).toBe(false);
    expect(r.runs[2]?.problems).toContain(`${file}: listed in SHA256SUMS but missing`);
  });

  it('catches a removed middle run and names the gap', async () => {
    const { dir, runs } = copyArchive('gap');
    rmSync(runs[1]!, { recursive: true });
    const r = await verifyDir(dir);
    expect(r.ok).toBe(false);
    const id = (p: string) => p.split('/').pop();
    expect(r.chain.join('\n')).toContain(
      `links to ${id(runs[1]!)}, which is missing from the archive`,
    );
  });

  it('accepts an archive whose oldest runs were removed by retention, and says so', async () => {
    const { dir, runs } = copyArchive('retention');
    rmSync(runs[0]!, { recursive: true });
    const r = await verifyDir(dir);
    expect(r.ok).toBe(true);
    expect(r.notes[0]).toContain('is not in this archive (removed when its retention ended');
  });

  it('fails every run with the wrong public key', async () => {
    const otherDir = join(root, 'wrong-key');
    ensureLocalKeyPair(join(otherDir, 'k.pem'), join(otherDir, 'p.pem'));
    const r = await verifyDir(pristine, readFileSync(join(otherDir, 'p.pem'), 'utf8'));
    expect(r.ok).toBe(false);
    expect(
      r.runs.every((x) => x.problems.some((p) => p.includes('signature does not verify'))),
    ).toBe(true);
  });

  it('fails a run with a file that SHA256SUMS does not list', async () => {
    const { dir, runs } = copyArchive('extra');
    writeFileSync(join(runs[0]!, 'notes.txt'), 'added later');
    const r = await verifyDir(dir);
    expect(r.runs[0]?.problems).toEqual(['notes.txt: not listed in SHA256SUMS']);
  });

  it('fails a run that was never signed (cut off before its signature)', async () => {
    const { dir, runs } = copyArchive('unsigned');
    cutOffBeforeSignature(runs[2]!);
    const r = await verifyDir(dir);
    expect(r.runs[2]?.problems).toEqual([
      'SHA256SUMS.sig: missing: the run is not signed (cut off before its signature)',
    ]);
    expect(r.incomplete).toEqual([runs[2]!.split('/').pop()]);
    expect(r.ok).toBe(false);
  });

  it.each([
    [
      'SHA256SUMS.sig',
      'SHA256SUMS.sig: missing, though SHA256SUMS.sig.json shows the run was signed',
    ],
    ['SHA256SUMS', 'SHA256SUMS: missing, though the run was signed: removed after it was written'],
  ])(
    'calls a run whose %s alone was removed tampered, not incomplete, even when incomplete runs are allowed',
    async (file, problem) => {
      const { dir, runs } = copyArchive(`removed-${file}`);
      rmSync(join(runs[2]!, file));
      const r = await verifyArchive(new LocalFolderStore(dir), loadPublicKey('key', pubPem), {
        allowIncomplete: true,
      });
      expect(r.runs[2]?.problems).toEqual([problem]);
      expect(r.incomplete).toEqual([]);
      expect(r.ok).toBe(false);
    },
  );

  it.each([
    [
      'a run moved to another date',
      (runs: string[], dir: string) => {
        const to = join(dir, 'reports/2025/01/01', runs[1]!.split('/').pop()!);
        mkdirSync(join(to, '..'), { recursive: true });
        renameSync(runs[1]!, to);
      },
      /^folder: filed under reports\/2025\/01\/01\/.*, but its run id dates it to reports\/2026\/11\/25\//,
    ],
    [
      'a stray folder at run depth',
      (_: string[], dir: string) => {
        mkdirSync(join(dir, 'reports/2026/01/01/zzzz-xyz'), { recursive: true });
      },
      /^folder: "zzzz-xyz" is not a run id/,
    ],
  ])('names %s, even when incomplete runs are allowed', async (what, tamper, problem) => {
    const { dir, runs } = copyArchive(what.replace(/\W+/g, '-'));
    tamper(runs, dir);
    const r = await verifyArchive(new LocalFolderStore(dir), loadPublicKey('key', pubPem), {
      allowIncomplete: true,
    });
    expect(r.ok).toBe(false);
    expect(r.runs.flatMap((x) => x.problems).some((p) => problem.test(p))).toBe(true);
    expect(r.incomplete).toEqual([]);
  });

  it('names a run cut off before its signature that later runs link past, failing unless allowed', async () => {
    const dir = join(root, 'cut-off');
    const [, second] = await writeRuns(dir, 2);
    cutOffBeforeSignature(second!);
    await writeRuns(dir, 1, Date.parse('2026-11-27T02:00:00Z'));
    const store = new LocalFolderStore(dir);
    const key = loadPublicKey('key', pubPem);
    const strict = await verifyArchive(store, key);
    const cutOff = second!.split('/').pop();
    expect(strict.incomplete).toEqual([cutOff]);
    expect(strict.chain).toEqual([]); // the third run links to the first: no gap, no fork
    expect(strict.ok).toBe(false);
    const lenient = await verifyArchive(store, key, { allowIncomplete: true });
    expect(lenient.ok).toBe(true);
    expect(lenient.incomplete).toEqual([cutOff]);
  });

  it('fails a signature removed after a later run linked to that run, even when incomplete runs are allowed', async () => {
    const { dir, runs } = copyArchive('sig-removed');
    cutOffBeforeSignature(runs[1]!);
    const r = await verifyArchive(new LocalFolderStore(dir), loadPublicKey('key', pubPem), {
      allowIncomplete: true,
    });
    expect(r.ok).toBe(false);
    expect(r.incomplete).toEqual([]);
    expect(r.chain.join('\n')).toContain(
      `${runs[1]!.split('/').pop()}: ${runs[2]!.split('/').pop()} names it as its previous run, but its signature is missing now`,
    );
  });

  it('catches a fork: two runs naming the same predecessor', async () => {
    const { dir, runs } = copyArchive('fork');
    // Re-sign run 3 with run 1 as its predecessor: a validly signed run that forks the chain.
    const reportFile = join(runs[2]!, 'report.json');
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    report.previous = JSON.parse(readFileSync(join(runs[1]!, 'report.json'), 'utf8')).previous;
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    const sums = execFileSync('sha256sum', ARTIFACTS, { cwd: runs[2]!, encoding: 'utf8' });
    writeFileSync(join(runs[2]!, 'SHA256SUMS'), sums);
    const { signature } = await signer.sign(Buffer.from(sums), 'x');
    writeFileSync(join(runs[2]!, 'SHA256SUMS.sig'), signature);
    const r = await verifyDir(dir);
    expect(r.runs.every((x) => x.problems.length === 0)).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.chain.join('\n')).toContain('chain forks');
  });

  it('notices an appended line in SHA256SUMS even when digests match', async () => {
    const { dir, runs } = copyArchive('append');
    appendFileSync(join(runs[0]!, 'SHA256SUMS'), 'garbage\n');
    const r = await verifyDir(dir);
    expect(r.ok).toBe(false);
  });
});

describe('the archive lock', () => {
  it('refuses a second writer while the first holds the lock, and frees it after', async () => {
    const dir = join(root, 'locked');
    const store = new LocalFolderStore(dir);
    const release = await store.lock();
    await expect(
      writeRun({ store: new LocalFolderStore(dir), signer, evaluation: evaluate(inventory) }),
    ).rejects.toThrow(/is being written by process \d+/);
    await release();
    await writeRun({ store, signer, evaluation: evaluate(inventory) });
    expect(await store.listRuns()).toHaveLength(1);
  });

  it('takes over a lock left by a writer that died', async () => {
    const dir = join(root, 'stale');
    const store = new LocalFolderStore(dir);
    const release = await store.lock();
    writeFileSync(join(dir, '.lock'), '2147483646\n'); // no such process
    await writeRun({ store, signer, evaluation: evaluate(inventory) });
    expect(await store.listRuns()).toHaveLength(1);
    await release();
  });

  it('keeps a written run when the lock cannot be released, and says so as a warning', async () => {
    const store = new LocalFolderStore(join(root, 'release-fails'));
    store.lock = async () => async () => {
      throw new Error('lock taken over by another writer');
    };
    const written = await writeRun({ store, signer, evaluation: evaluate(inventory) });
    expect(written.warnings).toEqual([
      'the run was written, but lock taken over by another writer',
    ]);
    expect(await store.listRunFiles(written.run)).toContain('SHA256SUMS.sig');
  });

  it("reports the write's own error, not a lock that also could not be released", async () => {
    const store = new LocalFolderStore(join(root, 'both-fail'));
    store.lock = async () => async () => {
      throw new Error('release failed too');
    };
    const failing: Signer = {
      keyId: signer.keyId,
      publicKeyPem: () => signer.publicKeyPem(),
      sign: async () => {
        throw new Error('KMS throttled');
      },
    };
    await expect(
      writeRun({ store, signer: failing, evaluation: evaluate(inventory) }),
    ).rejects.toThrow('signing failed: KMS throttled');
  });
});
