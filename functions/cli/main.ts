/**
 * The `pci-posture` command line (CONTRACTS §4). Thin: parse options, call the modules, print,
 * return an exit code. 0 written/intact, 1 not intact (or `--fail-on`), 2 usage or bad input,
 * 3 a failure while running.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { Inventory } from '../../checks/types.ts';
import { ensureLocalKeyPair, LocalPemSigner, publicKeyFingerprint } from '../archive/signer.ts';
import { LocalFolderStore } from '../archive/store.ts';
import { loadPublicKey, resolvePath, verifyArchive } from '../archive/verify.ts';
import { PUBLIC_KEY_FILE, type WrittenRun, writeRun } from '../archive/write-run.ts';
import { loadConfig } from '../config/check-config.ts';
import { type CheckConfig, evaluate } from '../engine/evaluate.ts';
import { exitCodeFor, InputError, UsageError } from '../errors.ts';
import { loadInventory } from '../inventory/load.ts';
import { TOOL } from '../tool.ts';

/** Where the command writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

type FailOn = 'fail' | 'error' | undefined;

function failOnExit(run: WrittenRun, failOn: FailOn): 0 | 1 {
  const s = run.report.summary;
  if (failOn === 'fail' && s.FAIL > 0) return 1;
  if (failOn === 'error' && s.FAIL + s.ERROR > 0) return 1;
  return 0;
}

function summary(run: WrittenRun, io: Io, publicKey: string): void {
  const r = run.report;
  const s = r.summary;
  const req = (st: string) => r.requirements.filter((q) => q.status === st);
  const failing = req('FAIL').map((q) => q.id);
  io.stdout(
    [
      `Run ${r.runId}: ${r.findings.length} findings: ${s.PASS} PASS, ${s.FAIL} FAIL, ${s.ERROR} ERROR, ${s.WAIVED} WAIVED${r.complete ? '' : ` (INCOMPLETE: ${r.errors.length} collection errors)`}`,
      `Requirements: ${req('FAIL').length} FAIL, ${req('ERROR').length} ERROR, ${req('PASS').length} PASS, ${req('NOT_TESTED').length} NOT_TESTED, ${req('MANUAL').length} MANUAL (need manual evidence)`,
      ...(failing.length ? [`Failing requirements: ${failing.join(', ')}`] : []),
      `Run folder:  ${run.location}`,
      `Report:      ${join(run.location, 'report.html')}`,
      `Public key:  ${publicKey}`,
      `Verify:      npx pci-posture verify ${run.location.slice(0, -run.run.path.length - 1)} --public-key ${publicKey}`,
      '',
    ].join('\n'),
  );
}

async function runEvaluation(
  inventory: Inventory,
  config: CheckConfig | undefined,
  out: string,
  signer: LocalPemSigner,
  io: Io,
  quiet: boolean,
): Promise<WrittenRun> {
  const started = Date.now();
  if (!quiet) io.stderr(`evaluating ${inventory.resources.length} resources...\n`);
  const evaluation = evaluate(inventory, { config: config ?? {} });
  if (!quiet) {
    io.stderr(`evaluated in ${Date.now() - started} ms; writing and signing the run...\n`);
  }
  return writeRun({ store: new LocalFolderStore(out), signer, evaluation });
}

/** A local archive path; `s3://` archives are refused with a clear message until S3 storage lands. */
function localArchive(path: string): string {
  if (/^s3:\/\//i.test(path)) {
    throw new UsageError(
      `${path}: S3 archives are not supported by this version yet; give a local folder`,
    );
  }
  return resolve(path);
}

function program(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('pci-posture')
    .description(
      'PCI DSS v4.0.1 posture checks for EKS, GKE and AKS, with signed, verifiable reports',
    )
    .version(TOOL.version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  cmd
    .command('demo')
    .description(
      'run the whole pipeline on the built-in demo estate, signed with a local key kept in DIR',
    )
    .option(
      '--out <DIR>',
      'archive folder (created on first use, reused after)',
      './pci-posture-demo',
    )
    .option('--quiet', 'print only the summary')
    .action(async (opts: { out: string; quiet?: boolean }) => {
      const out = localArchive(opts.out);
      const publicKey = join(out, PUBLIC_KEY_FILE);
      const privateKey = join(out, '.keys', 'signing-key.pem');
      if (ensureLocalKeyPair(privateKey, publicKey) && !opts.quiet) {
        io.stderr(`created a demo signing key: ${privateKey} (public half: ${publicKey})\n`);
      }
      const signer = LocalPemSigner.fromFile(privateKey);
      const { demoInventory } = await import('../demo/estate.ts');
      const run = await runEvaluation(demoInventory(), {}, out, signer, io, !!opts.quiet);
      summary(run, io, publicKey);
      setExit(0);
    });

  cmd
    .command('evaluate')
    .description('evaluate an archived or hand-made inventory and write a signed run folder')
    .requiredOption('--inventory <FILE>', 'inventory.json (CONTRACTS §1)')
    .requiredOption('--out <DIR>', 'archive folder')
    .requiredOption('--signing-key <PEM>', 'EC P-256 private key (PEM)')
    .option('--config <FILE>', 'config file (YAML or JSON); its checks section sets check options')
    .addOption(
      new Option('--fail-on <LEVEL>', 'exit 1 when a finding is FAIL (or FAIL or ERROR)').choices([
        'fail',
        'error',
      ]),
    )
    .option('--quiet', 'print only the summary')
    .action(
      async (opts: {
        inventory: string;
        out: string;
        signingKey: string;
        config?: string;
        failOn?: FailOn;
        quiet?: boolean;
      }) => {
        // Every input is checked before anything is written.
        const inventory = loadInventory(opts.inventory);
        const config = opts.config ? loadConfig(opts.config).checks : undefined;
        const signer = LocalPemSigner.fromFile(opts.signingKey);
        const out = localArchive(opts.out);
        const run = await runEvaluation(inventory, config, out, signer, io, !!opts.quiet);
        summary(run, io, join(out, PUBLIC_KEY_FILE));
        setExit(failOnExit(run, opts.failOn));
      },
    );

  cmd
    .command('verify')
    .description('check the digests and signature of every run, and the chain between runs')
    .argument('<PATH...>', 'archives or run folders')
    .requiredOption('--public-key <PEM>', "the archive's public key (obtained out of band)")
    .action(async (paths: string[], opts: { publicKey: string }) => {
      let pem: Buffer;
      try {
        pem = readFileSync(opts.publicKey);
      } catch (cause) {
        throw new InputError(opts.publicKey, '', 'public key cannot be read: no such file', {
          cause,
        });
      }
      const key = loadPublicKey(opts.publicKey, pem);
      io.stdout(`public key sha256:${publicKeyFingerprint(key)}\n`);
      let intact = true;
      for (const path of paths) {
        const { store, only } = await resolvePath(localArchive(path));
        const result = await verifyArchive(store, key, {
          ...(only ? { only } : {}),
          onProgress: (done, total) => {
            if (total >= 20 && (done % 50 === 0 || done === total)) {
              io.stderr(`verified ${done}/${total} runs\n`);
            }
          },
        });
        for (const run of result.runs) {
          if (run.problems.length === 0) io.stdout(`OK    ${run.location}\n`);
          for (const p of run.problems) io.stdout(`FAIL  ${run.location}: ${p}\n`);
        }
        for (const p of result.chain) io.stdout(`FAIL  chain: ${p}\n`);
        for (const n of result.notes) io.stdout(`note  ${n}\n`);
        const bad = result.runs.filter((r) => r.problems.length > 0).length;
        io.stdout(
          `${path}: ${result.ok ? 'INTACT' : 'NOT INTACT'}: ${result.runs.length} run(s), ${bad} with problems, ${result.chain.length} chain problem(s)\n`,
        );
        intact &&= result.ok;
      }
      setExit(intact ? 0 : 1);
    });
  return cmd;
}

/**
 * Runs the command line and returns its exit code.
 *
 * @example process.exitCode = await main(['verify', 'archive', '--public-key', 'pub.pem']);
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  try {
    await program(io, (c) => {
      code = c;
    }).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other parse problem is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    const exit = exitCodeFor(err);
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`pci-posture: ${exit === 2 ? 'error' : 'failed'}: ${message}\n`);
    if (exit === 3) io.stderr('no run was written that looks complete.\n');
    return exit;
  }
}
