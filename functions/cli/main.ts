/**
 * The `pci-posture` command line (CONTRACTS §4). Thin: parse options, call the modules, print,
 * return an exit code. 0 written/intact, 1 not intact (or `--fail-on`), 2 usage or bad input,
 * 3 a failure while running.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import { Command, CommanderError, Option } from 'commander';
import type { Inventory } from '../../checks/types.ts';
import {
  type ArchiveClients,
  archiveLocation,
  isS3,
  openArchive,
  openForVerify,
  type S3WriteOptions,
} from '../archive/open.ts';
import {
  ensureLocalKeyPair,
  LocalPemSigner,
  publicKeyFingerprint,
  type Signer,
} from '../archive/signer.ts';
import type { ArchiveStore } from '../archive/store.ts';
import { loadPublicKey, verifyArchive } from '../archive/verify.ts';
import {
  checkSignerFitsArchive,
  PUBLIC_KEY_FILE,
  type WrittenRun,
  writeRun,
} from '../archive/write-run.ts';
import type { CollectorClients } from '../collect/collector.ts';
import { secretsManagerReader } from '../collect/secrets.ts';
import { loadConfig } from '../config/check-config.ts';
import { loadScanConfig, type ScanConfig, scanDestination } from '../config/scan-config.ts';
import { type CheckConfig, evaluate } from '../engine/evaluate.ts';
import { exitCodeFor, InputError, UsageError } from '../errors.ts';
import { loadInventory } from '../inventory/load.ts';
import { lazy } from '../lazy.ts';
import { TOOL } from '../tool.ts';
import { scanProgressLine, scanSummary } from './scan-summary.ts';
import { verifySummary } from './verify-summary.ts';

/** Where the command writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * The AWS clients the command line uses for S3 archives and KMS keys, made on first use. The
 * defaults read the usual AWS environment (credentials chain, `AWS_REGION`, `AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_KMS`); tests pass clients pointed at moto.
 */
export interface Clients extends ArchiveClients {
  kms: () => KMSClient | Promise<KMSClient>;
  /**
   * The clients `scan` collects with, made once per scan; default: each SDK's, configured from
   * the scan config, with secrets read from Secrets Manager.
   */
  collectorClients?: (config: ScanConfig) => CollectorClients;
}

// The AWS SDK loads only when an S3 archive or a KMS key is used.
const defaultClients = (): Clients => ({
  s3: lazy(
    async () => new (await import('@aws-sdk/client-s3')).S3Client({ followRegionRedirects: true }),
  ),
  kms: lazy(async () => new (await import('@aws-sdk/client-kms')).KMSClient({})),
});
const kmsSigner = () => import('../archive/kms-signer.ts');

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

/**
 * How to verify the archive `out`: with the KMS key when `kmsKeyArn` signed it, else with the
 * archive's public key file (for S3, a local copy of it).
 */
function verifyHint(out: string, kmsKeyArn?: string): { publicKey: string; verify: string } {
  const publicKey = `${out}/${PUBLIC_KEY_FILE}`;
  const verify = `npx pci-posture verify ${out}`;
  if (kmsKeyArn) return { publicKey, verify: `${verify} --kms-key-id ${kmsKeyArn}` };
  if (!isS3(out)) return { publicKey, verify: `${verify} --public-key ${publicKey}` };
  return {
    publicKey,
    verify: `aws s3 cp ${publicKey} . && ${verify} --public-key ${PUBLIC_KEY_FILE}`,
  };
}

function summary(run: WrittenRun, io: Io, hint: { publicKey: string; verify: string }): void {
  for (const w of run.warnings) io.stderr(`warning: ${w}\n`);
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
      `Report:      ${run.location}/report.html`,
      `Public key:  ${hint.publicKey}`,
      `Verify:      ${hint.verify}`,
      '',
    ].join('\n'),
  );
}

async function runEvaluation(
  inventory: Inventory,
  config: CheckConfig | undefined,
  out: string,
  signer: Signer,
  io: Io,
  quiet: boolean,
  clients: Clients,
  s3Options: S3WriteOptions = {},
  opened?: ArchiveStore,
): Promise<WrittenRun> {
  const started = Date.now();
  if (!quiet) io.stderr(`evaluating ${inventory.resources.length} resources...\n`);
  const evaluation = evaluate(inventory, { config: config ?? {} });
  if (!quiet) {
    io.stderr(`evaluated in ${Date.now() - started} ms; writing and signing the run...\n`);
  }
  const store = opened ?? (await openArchive(out, clients, s3Options));
  return writeRun({ store, signer, evaluation });
}

/** The demo keeps its private key beside its archive, so it writes to local folders only. */
function localArchive(path: string): string {
  if (isS3(path)) {
    throw new UsageError(
      `${path}: the demo keeps its signing key in its archive folder, so it needs a local folder; use evaluate or scan with --kms-key-id for S3`,
    );
  }
  return resolve(path);
}

/** Exactly one of `--signing-key` (a local PEM key) or `--kms-key-id`. */
async function chooseSigner(
  opts: { signingKey?: string; kmsKeyId?: string },
  clients: Clients,
): Promise<Signer> {
  if (opts.signingKey && opts.kmsKeyId) {
    throw new UsageError('give either --signing-key or --kms-key-id, not both');
  }
  if (opts.kmsKeyId) {
    const { KmsSigner } = await kmsSigner();
    return KmsSigner.create(await clients.kms(), opts.kmsKeyId);
  }
  if (opts.signingKey) return LocalPemSigner.fromFile(opts.signingKey);
  throw new UsageError('a signer is needed: --signing-key <PEM> or --kms-key-id <ID>');
}

/** Per-object Object Lock retention for S3 archives, from --retention-mode and --retention-days. */
function retentionOption(opts: {
  retentionMode?: 'COMPLIANCE' | 'GOVERNANCE';
  retentionDays?: string;
}): S3WriteOptions['retention'] {
  if (!opts.retentionMode && opts.retentionDays === undefined) return undefined;
  if (!opts.retentionMode || opts.retentionDays === undefined) {
    throw new UsageError('--retention-mode and --retention-days go together');
  }
  const days = Number(opts.retentionDays);
  if (!Number.isInteger(days) || days < 1) {
    throw new UsageError(
      `--retention-days must be a whole number of days >= 1, got ${opts.retentionDays}`,
    );
  }
  return { mode: opts.retentionMode, days };
}

function program(io: Io, setExit: (code: number) => void, clients: Clients): Command {
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
      const run = await runEvaluation(demoInventory(), {}, out, signer, io, !!opts.quiet, clients);
      summary(run, io, verifyHint(out));
      setExit(0);
    });

  cmd
    .command('evaluate')
    .description('evaluate an archived or hand-made inventory and write a signed run folder')
    .requiredOption('--inventory <FILE>', 'inventory.json (CONTRACTS §1)')
    .requiredOption('--out <DIR|s3://BUCKET/PREFIX>', 'archive: a folder or an S3 prefix')
    .option('--signing-key <PEM>', 'sign with an EC P-256 private key (PEM)')
    .option(
      '--kms-key-id <ID>',
      'sign with an AWS KMS key (ECC_NIST_P256, SIGN_VERIFY): id, ARN or alias',
    )
    .option(
      '--sse-kms-key-id <ID>',
      'S3 archives: the KMS key for SSE-KMS (default: the bucket default key)',
    )
    .addOption(
      new Option(
        '--retention-mode <MODE>',
        'S3 archives: per-object Object Lock mode (default: the bucket default retention)',
      ).choices(['COMPLIANCE', 'GOVERNANCE']),
    )
    .option('--retention-days <DAYS>', 'S3 archives: per-object Object Lock retention in days')
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
        signingKey?: string;
        kmsKeyId?: string;
        sseKmsKeyId?: string;
        retentionMode?: 'COMPLIANCE' | 'GOVERNANCE';
        retentionDays?: string;
        config?: string;
        failOn?: FailOn;
        quiet?: boolean;
      }) => {
        // Every input is checked before anything is written.
        const inventory = loadInventory(opts.inventory);
        const config = opts.config ? loadConfig(opts.config).checks : undefined;
        const retention = retentionOption(opts);
        const out = await archiveLocation(opts.out);
        const signer = await chooseSigner(opts, clients);
        const s3Options: S3WriteOptions = {
          ...(opts.sseKmsKeyId ? { sseKmsKeyId: opts.sseKmsKeyId } : {}),
          ...(retention ? { retention } : {}),
        };
        const run = await runEvaluation(
          inventory,
          config,
          out,
          signer,
          io,
          !!opts.quiet,
          clients,
          s3Options,
        );
        summary(run, io, verifyHint(out, opts.kmsKeyId ? signer.keyId : undefined));
        setExit(failOnExit(run, opts.failOn));
      },
    );

  cmd
    .command('scan')
    .description('collect from the configured accounts, evaluate, and write a signed run folder')
    .requiredOption('--config <FILE>', 'scan configuration (YAML or JSON)')
    .option('--out <DIR|s3://BUCKET/PREFIX>', 'archive (default: archive.out in the config)')
    .option('--signing-key <PEM>', 'sign with an EC P-256 private key (PEM)')
    .option(
      '--kms-key-id <ID>',
      'sign with an AWS KMS key (ECC_NIST_P256, SIGN_VERIFY): id, ARN or alias',
    )
    .option('--sse-kms-key-id <ID>', 'S3 archives: the KMS key for SSE-KMS')
    .addOption(
      new Option('--retention-mode <MODE>', 'S3 archives: per-object Object Lock mode').choices([
        'COMPLIANCE',
        'GOVERNANCE',
      ]),
    )
    .option('--retention-days <DAYS>', 'S3 archives: per-object Object Lock retention in days')
    .addOption(
      new Option('--fail-on <LEVEL>', 'exit 1 when a finding is FAIL (or FAIL or ERROR)').choices([
        'fail',
        'error',
      ]),
    )
    .option('--quiet', 'print only the summary')
    .option('--verbose', 'list every collection error')
    .action(
      async (opts: {
        config: string;
        out?: string;
        signingKey?: string;
        kmsKeyId?: string;
        sseKmsKeyId?: string;
        retentionMode?: 'COMPLIANCE' | 'GOVERNANCE';
        retentionDays?: string;
        failOn?: FailOn;
        quiet?: boolean;
        verbose?: boolean;
      }) => {
        // Every input is checked before anything is collected or written.
        const config = loadScanConfig(opts.config);
        const dest = scanDestination(config, opts);
        const retention = retentionOption(opts) ?? config.archive.retention;
        const sseKmsKeyId = opts.sseKmsKeyId ?? config.archive.sseKmsKeyId;
        const out = await archiveLocation(dest.out);
        const signer = await chooseSigner(dest, clients);
        const s3Options: S3WriteOptions = {
          ...(sseKmsKeyId ? { sseKmsKeyId } : {}),
          ...(retention ? { retention } : {}),
        };
        // The archive is reachable and takes this signer, before any time is spent collecting.
        const store = await openArchive(out, clients, s3Options);
        await checkSignerFitsArchive(store, signer);
        await store.listRuns();
        const { collectScan } = await import('../collect/scan.ts');
        const { allCollectors } = await import('../collect/all-collectors.ts');
        const started = Date.now();
        const result = await collectScan(config, {
          collectors: await allCollectors(config, {
            readSecret: secretsManagerReader(
              async (region) =>
                new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({
                  region,
                }),
            ),
            ...clients.collectorClients?.(config),
          }),
          onPlan: (units) => {
            if (!opts.quiet) io.stderr(`collecting ${units} scan unit(s)...\n`);
          },
          onProgress: (p) => {
            if (!opts.quiet) io.stderr(scanProgressLine(p, Date.now() - started));
          },
        });
        io.stderr(scanSummary(result, !!opts.verbose, !!opts.quiet));
        const run = await runEvaluation(
          result.inventory,
          config.checks,
          out,
          signer,
          io,
          !!opts.quiet,
          clients,
          s3Options,
          store,
        );
        summary(run, io, verifyHint(out, dest.kmsKeyId ? signer.keyId : undefined));
        setExit(failOnExit(run, opts.failOn));
      },
    );

  cmd
    .command('verify')
    .description('check the digests and signature of every run, and the chain between runs')
    .argument('<PATH...>', 'archives or run folders: local folders or s3://BUCKET/PREFIX')
    .option('--public-key <PEM>', "the archive's public key (obtained out of band)")
    .option('--kms-key-id <ID>', 'fetch the public key of this AWS KMS key (GetPublicKey)')
    .option(
      '--allow-incomplete',
      'accept runs that were never signed and that no later run links to (cut off mid-way); they are still named',
    )
    .option('--verbose', 'list every run and every problem')
    .action(
      async (
        paths: string[],
        opts: {
          publicKey?: string;
          kmsKeyId?: string;
          allowIncomplete?: boolean;
          verbose?: boolean;
        },
      ) => {
        // Every PATH is checked before the key is fetched (a usage error costs no KMS call).
        const targets = [];
        for (const path of paths) targets.push({ path, ...(await openForVerify(path, clients)) });
        const key = await verificationKey(opts, clients);
        io.stdout(`public key sha256:${publicKeyFingerprint(key)}\n`);
        let intact = true;
        for (const { path, store, only } of targets) {
          const started = Date.now();
          let shownAt = started;
          const result = await verifyArchive(store, key, {
            ...(only ? { only } : {}),
            allowIncomplete: !!opts.allowIncomplete,
            onProgress: (done, total) => {
              const now = Date.now();
              if (total < 20 || (done < total && now - shownAt < 2000)) return;
              shownAt = now;
              io.stderr(
                `verified ${done}/${total} runs (${((now - started) / 1000).toFixed(1)} s)\n`,
              );
            },
          });
          io.stdout(verifySummary(path, result, opts));
          intact &&= result.ok;
        }
        setExit(intact ? 0 : 1);
      },
    );
  return cmd;
}

/** The key to verify with: exactly one of --public-key and --kms-key-id. */
async function verificationKey(
  opts: { publicKey?: string; kmsKeyId?: string },
  clients: Clients,
): Promise<ReturnType<typeof loadPublicKey>> {
  if (opts.publicKey && opts.kmsKeyId) {
    throw new UsageError('give either --public-key or --kms-key-id, not both');
  }
  if (opts.kmsKeyId) {
    return loadPublicKey(
      `KMS key ${opts.kmsKeyId}`,
      await (await kmsSigner()).kmsPublicKeyPem(await clients.kms(), opts.kmsKeyId),
    );
  }
  if (!opts.publicKey) {
    throw new UsageError('a public key is needed: --public-key <PEM> or --kms-key-id <ID>');
  }
  let pem: Buffer;
  try {
    pem = readFileSync(opts.publicKey);
  } catch (cause) {
    throw new InputError(opts.publicKey, '', 'public key cannot be read: no such file', { cause });
  }
  return loadPublicKey(opts.publicKey, pem);
}

/**
 * Runs the command line and returns its exit code.
 *
 * @example process.exitCode = await main(['verify', 'archive', '--public-key', 'pub.pem']);
 */
export async function main(
  argv: readonly string[],
  io: Io = processIo,
  clients: Partial<Clients> = {},
): Promise<number> {
  let code = 0;
  try {
    await program(
      io,
      (c) => {
        code = c;
      },
      { ...defaultClients(), ...clients },
    ).parseAsync([...argv], { from: 'user' });
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
