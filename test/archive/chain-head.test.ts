/**
 * What a writer links to and copies from: only the newest run whose signature verifies with the
 * archive key, only proper run folders, and only well-formed trend points.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { ensureLocalKeyPair, LocalPemSigner, sha256Hex } from '../../functions/archive/signer.ts';
import { LocalFolderStore, runFolderProblem } from '../../functions/archive/store.ts';
import { sha256sums } from '../../functions/archive/sums.ts';
import { type WrittenRun, writeRun } from '../../functions/archive/write-run.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import type { Report } from '../../functions/report/report.ts';
import { eksCluster } from '../checks/harness.ts';
import { tempDir } from '../helpers/tmp.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-11-01T02:00:00Z');
const root = tempDir('chain-head');
const ARTIFACTS = ['findings.csv', 'inventory.json', 'report.html', 'report.json'];
let signer: LocalPemSigner;

const inventory: Inventory = {
  schema: 'pci-posture/inventory@1',
  collectedAt: '2026-11-01T02:00:00Z',
  resources: [eksCluster('payments', { resourcesVpcConfig: { endpointPublicAccess: true } })],
  errors: [],
};

const write = (dir: string, day: number): Promise<WrittenRun> =>
  writeRun({
    store: new LocalFolderStore(dir),
    signer,
    evaluation: evaluate(inventory),
    now: new Date(START + day * DAY),
  });

const reportOf = (run: WrittenRun): Report =>
  JSON.parse(readFileSync(join(run.location, 'report.json'), 'utf8')) as Report;

/** Rewrites a run's report.json, then its SHA256SUMS and (when `key` is given) its signature. */
async function rewrite(folder: string, edit: (r: Report) => unknown, key?: LocalPemSigner) {
  const file = join(folder, 'report.json');
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as Report)));
  const sums = sha256sums(ARTIFACTS.map((n) => [n, sha256Hex(readFileSync(join(folder, n)))]));
  writeFileSync(join(folder, 'SHA256SUMS'), sums);
  const sig = key ? (await key.sign(Buffer.from(sums), 'x')).signature : Buffer.from('garbage');
  writeFileSync(join(folder, 'SHA256SUMS.sig'), sig);
}

beforeAll(() => {
  ensureLocalKeyPair(join(root, 'k.pem'), join(root, 'p.pem'));
  signer = LocalPemSigner.fromFile(join(root, 'k.pem'));
});

describe('the chain head a writer links to', () => {
  it('skips a newer run whose signature does not verify, copies nothing from it, and warns', async () => {
    const dir = join(root, 'planted');
    const first = await write(dir, 0);
    // A forged "run" dated after the first: copied, everything PASS, a fake signature.
    const forged = join(dir, 'reports/2026/11/01/2026-11-01T120000Z-beef');
    cpSync(first.location, forged, { recursive: true });
    await rewrite(forged, (r) => ({
      ...r,
      runId: '2026-11-01T120000Z-beef',
      findings: r.findings.map((f) => ({ ...f, status: 'PASS' })),
      trend: [
        {
          runId: '2026-10-01T000000Z-0000',
          generatedAt: 'x',
          summary: { PASS: 999, FAIL: 0, ERROR: 0, WAIVED: 0 },
        },
      ],
    }));
    const second = await write(dir, 1);
    const report = reportOf(second);
    expect(report.previous?.runId).toBe(first.run.runId);
    expect(report.trend.map((t) => t.runId)).toEqual([first.run.runId, second.run.runId]);
    expect(report.changes).toMatchObject({ since: first.run.runId, newFailures: [] });
    expect(second.warnings).toEqual([
      `not linked to the newer run 2026-11-01T120000Z-beef (its signature does not verify with the archive key); this run links to ${first.run.runId}. Run \`pci-posture verify\` on the archive.`,
    ]);
  });

  it('ignores folders that are not run folders when naming and linking a new run', async () => {
    const dir = join(root, 'stray');
    const first = await write(dir, 0);
    mkdirSync(join(dir, 'reports/2026/01/01/zzzz-xyz'), { recursive: true });
    writeFileSync(join(dir, 'reports/2026/01/01/zzzz-xyz/x'), 'x');
    const second = await write(dir, 1);
    expect(second.run.runId.startsWith('2026-11-02T020000Z-')).toBe(true);
    expect(second.run.path).toBe(`reports/2026/11/02/${second.run.runId}`);
    expect(reportOf(second).previous?.runId).toBe(first.run.runId);
    const third = await write(dir, 2);
    expect(reportOf(third).previous?.runId).toBe(second.run.runId);
  });

  it('refuses to write when the newest signed run is dated after its own clock', async () => {
    const dir = join(root, 'clock');
    await write(dir, 5);
    await expect(write(dir, 1)).rejects.toThrow(
      /is dated after this run's time .*check this machine's clock/,
    );
  });

  it('keeps only well-formed trend points from a validly signed previous report', async () => {
    const dir = join(root, 'trend-shape');
    const first = await write(dir, 0);
    await rewrite(
      first.location,
      (r) => ({
        ...r,
        trend: [
          {
            runId: '2026-10-30T020000Z-0001',
            generatedAt: 'a',
            summary: { PASS: '<img src=x onerror=alert(1)>', FAIL: 0, ERROR: 0, WAIVED: 0 },
          },
          {
            runId: '2026-10-31T020000Z-0001',
            generatedAt: 'b',
            summary: { PASS: 1, FAIL: -1, ERROR: 0, WAIVED: 0 },
          },
          {
            runId: '2026-10-31T030000Z-0001',
            generatedAt: 'c',
            summary: { PASS: 2, FAIL: 0, ERROR: 0, WAIVED: 0, extra: 1 },
          },
          {
            runId: '2027-01-01T000000Z-0001',
            generatedAt: 'd',
            summary: { PASS: 3, FAIL: 0, ERROR: 0, WAIVED: 0 },
          },
          ...r.trend,
        ],
      }),
      signer,
    );
    const second = reportOf(await write(dir, 1));
    expect(second.trend.map((t) => t.runId)).toEqual([
      '2026-10-31T030000Z-0001',
      first.run.runId,
      second.runId,
    ]);
    expect(second.trend[0]!.summary).toEqual({ PASS: 2, FAIL: 0, ERROR: 0, WAIVED: 0 });
  });
});

describe('runFolderProblem', () => {
  it.each([
    ['2026-11-26T020311Z-7f3a', 'reports/2026/11/26/2026-11-26T020311Z-7f3a', undefined],
    [
      '2026-11-26T020311Z-7f3a',
      'reports/2025/01/01/2026-11-26T020311Z-7f3a',
      'filed under reports/2025/01/01/2026-11-26T020311Z-7f3a, but its run id dates it to reports/2026/11/26/2026-11-26T020311Z-7f3a',
    ],
    [
      'zzzz-xyz',
      'reports/2026/01/01/zzzz-xyz',
      '"zzzz-xyz" is not a run id (YYYY-MM-DDTHHMMSSZ-<hex>): not a run folder',
    ],
    [
      '2026-11-26T020311Z-XYZ1',
      'reports/2026/11/26/2026-11-26T020311Z-XYZ1',
      '"2026-11-26T020311Z-XYZ1" is not a run id (YYYY-MM-DDTHHMMSSZ-<hex>): not a run folder',
    ],
  ])('%s at %s', (runId, path, problem) => {
    expect(runFolderProblem({ runId, path })).toBe(problem);
  });
});
