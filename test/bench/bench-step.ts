/** One measured step of the benchmark, in its own process: prints `{ ms, maxRssMiB, extra }`. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureLocalKeyPair } from '../../functions/archive/signer.ts';
import { main } from '../../functions/cli/main.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { loadInventory } from '../../functions/inventory/load.ts';

const [step, file, out] = process.argv.slice(2) as [string, string, string];
let extra: Record<string, number> = {};
let measuredMs: number | undefined;
const start = performance.now();
if (step === 'floor') {
  const text = readFileSync(file, 'utf8');
  const again = JSON.stringify(JSON.parse(text));
  extra.digestBytes = createHash('sha256').update(again).digest().length;
} else if (step === 'evaluate') {
  extra.findings = evaluate(loadInventory(file)).findings.length;
} else if (step === 'verify') {
  // `file` is the archive, `out` its public key.
  const code = await main(['verify', file, '--public-key', out], {
    stdout: () => {},
    stderr: () => {},
  });
  if (code !== 0) throw new Error(`verify exited ${code}`);
} else if (step === 'command') {
  const key = join(out, 'key.pem');
  ensureLocalKeyPair(key, join(out, 'pub.pem'));
  const t0 = performance.now();
  const code = await main(
    ['evaluate', '--inventory', file, '--out', out, '--signing-key', key, '--quiet'],
    {
      stdout: () => {},
      stderr: (t) => process.stderr.write(t),
    },
  );
  if (code !== 0) throw new Error(`evaluate exited ${code}`);
  extra.keyMs = t0 - start;
} else if (step === 'collect') {
  // `file` is the step's spec as JSON; the time is collectScan's own. Imported here only, so
  // that the other steps' memory is not the AWS SDK's.
  const { runCollectStep } = await import('./collect-bench.ts');
  const r = await runCollectStep(JSON.parse(file));
  extra = r.extra;
  measuredMs = r.ms;
}
const ms = measuredMs ?? performance.now() - start - (extra.keyMs ?? 0);
const maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms, maxRssMiB, extra }));
