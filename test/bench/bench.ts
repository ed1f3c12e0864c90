/**
 * `npm run bench`: the time and peak memory of evaluating a synthetic estate of about 27,000
 * resources, against a floor measured in the same run on the same file: a process that reads,
 * parses, re-serializes and hashes the inventory. Each step runs in its own Node process (so its
 * peak RSS is its own), three times; the median time is reported. Goal: at most 6x the floor and
 * under 1.5 GiB. Then `verify` over an archive of 400 nightly runs of about 1,000 findings
 * (goal: under 60 s). Then collection (test/bench/collect-bench.ts): 20 accounts x 2 regions x 5
 * EKS clusters in moto behind a proxy adding 50 ms per call, at the default concurrency: calls
 * per cluster against the fewest the APIs allow, and wall time against calls x 50 ms /
 * concurrency (goal: at most 1.3x, no throttling error). Then GCP and Azure
 * (test/bench/cloud-bench.ts): 50 projects and 50 subscriptions of 4 clusters each, discovered,
 * behind 50 ms per answer (goal: at most 1.3x the ideal). Then Kubernetes
 * (test/bench/kubernetes-bench.ts): one cluster of 20,000 objects behind 20 ms per page, each
 * collection in its own process (goal: at most 1.3x pages x 20 ms, under 400 MB peak). Then the
 * deployment (test/bench/deploy-bench.ts): each function's bundle size and module init time, and
 * the cost of a night for 100 EKS clusters from the measured durations, invocations and requests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchClouds } from './cloud-bench.ts';
import { benchCollect } from './collect-bench.ts';
import { benchDeploy } from './deploy-bench.ts';
import { benchKubernetes } from './kubernetes-bench.ts';
import { syntheticEstate } from './synthetic-estate.ts';
import { buildVerifyArchive } from './verify-archive.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPEAT = 5;

interface Sample {
  ms: number;
  maxRssMiB: number;
  extra?: Record<string, number>;
}

function runStep(step: string, args: string[]): Sample {
  const out = execFileSync(process.execPath, [join(HERE, 'bench-step.ts'), step, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** `verify` over an archive of 400 nightly runs of about 1,000 findings. Goal: under 60 s. */
async function benchVerify(dir: string) {
  const archive = join(dir, 'verify-archive');
  const t0 = performance.now();
  const { publicKey, findings } = await buildVerifyArchive(archive, VERIFY_RUNS, (n) => {
    if (n % 100 === 0) process.stderr.write(`  verify archive: ${n}/${VERIFY_RUNS} runs written\n`);
  });
  const buildMs = Math.round(performance.now() - t0);
  const samples: Sample[] = [];
  for (let i = 0; i < 3; i++) {
    process.stderr.write(`  verify #${i + 1}...\n`);
    samples.push(runStep('verify', [archive, publicKey]));
  }
  const ms = Math.round(median(samples.map((s) => s.ms)));
  const peak = Math.round(Math.max(...samples.map((s) => s.maxRssMiB)));
  console.log(
    `\nverify: ${VERIFY_RUNS} runs of ${findings} findings (archive written in ${(buildMs / 1000).toFixed(1)} s); median of 3: ${(ms / 1000).toFixed(1)} s, ${peak} MiB peak; goal (< 60 s): ${ms < 60_000 ? 'met' : 'NOT met'}`,
  );
  return { runs: VERIFY_RUNS, findings, medianMs: ms, peakRssMiB: peak, buildMs };
}

const VERIFY_RUNS = 400;
const dir = mkdtempSync(join(tmpdir(), 'pci-posture-bench-'));
try {
  const inv = syntheticEstate();
  const file = join(dir, 'inventory.json');
  writeFileSync(file, JSON.stringify(inv));
  const mib = statSync(file).size / 2 ** 20;
  process.stderr.write(
    `synthetic estate: ${inv.resources.length} resources, ${mib.toFixed(1)} MiB\n`,
  );
  const results: Record<string, Sample[]> = { floor: [], evaluate: [], command: [] };
  for (let i = 0; i < REPEAT; i++) {
    for (const step of Object.keys(results)) {
      process.stderr.write(`  ${step} #${i + 1}...\n`);
      results[step]!.push(runStep(step, [file, join(dir, `out-${i}`)]));
    }
  }
  const floor = median(results.floor!.map((s) => s.ms));
  const row = (name: string, what: string) => {
    const ms = median(results[name]!.map((s) => s.ms));
    const rss = Math.max(...results[name]!.map((s) => s.maxRssMiB));
    return {
      step: name,
      what,
      medianMs: Math.round(ms),
      xFloor: Number((ms / floor).toFixed(2)),
      peakRssMiB: Math.round(rss),
    };
  };
  const table = [
    row('floor', 'read + JSON.parse + JSON.stringify + SHA-256 of the inventory'),
    row('evaluate', 'read + validate + evaluate() over every check'),
    row(
      'command',
      'the whole `pci-posture evaluate`: validate, evaluate, render, sign, write the run',
    ),
  ];
  const findings = results.evaluate![0]!.extra?.findings ?? 0;
  console.log(
    `\nbenchmark: ${inv.resources.length} resources (${mib.toFixed(1)} MiB), ${findings} findings; median of ${REPEAT}`,
  );
  console.table(table);
  const worst = table.find((t) => t.step === 'command')!;
  const ok = worst.xFloor <= 6 && worst.peakRssMiB < 1536;
  console.log(
    `goal (<= 6x floor, < 1.5 GiB peak): ${ok ? 'met' : 'NOT met'} (${worst.xFloor}x, ${worst.peakRssMiB} MiB)`,
  );
  const verify = await benchVerify(dir);
  const collect = await benchCollect();
  const clouds = await benchClouds();
  const kubernetes = await benchKubernetes();
  const deploy = await benchDeploy();
  console.log(
    JSON.stringify({
      resources: inv.resources.length,
      findings,
      results: table,
      verify,
      collect,
      clouds,
      kubernetes,
      deploy,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
