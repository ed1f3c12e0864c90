/**
 * `npx cdk synth` offline, as a user runs it: the CLI runs `node infra/app.ts` (cdk.json), bundles
 * the handlers with the local esbuild, runs cdk-nag, and writes both stacks. The bundles then load
 * in Node 24 as ES modules. A bad configuration exits 2 with one line.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/bundling.ts';
import { STACK_NAMES } from '../../infra/create-app.ts';
import { tempDir } from '../helpers/tmp.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Node 24 (this process's) and the project's bins first on PATH, as `npx` does. */
const PATH = [dirname(process.execPath), join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH]
  .filter(Boolean)
  .join(delimiter);

function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number) {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const QUIET = { CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' };

describe('npx cdk synth', () => {
  const out = tempDir('cdk-synth');
  let synth: Run;

  beforeAll(async () => {
    synth = await run(
      'npx',
      [
        'cdk',
        'synth',
        '--no-notices',
        '--no-version-reporting',
        '-q',
        '-o',
        out,
        '-c',
        'config=test/infra/fixtures/organization.yaml',
      ],
      QUIET,
      120_000,
    );
  }, 130_000);

  it('exits 0 and writes both stack templates', () => {
    expect(synth.code, synth.stderr).toBe(0);
    for (const name of Object.values(STACK_NAMES)) {
      expect(existsSync(join(out, `${name}.template.json`)), name).toBe(true);
    }
    const template = JSON.parse(
      readFileSync(join(out, `${STACK_NAMES.checker}.template.json`), 'utf8'),
    ) as { Resources: Record<string, { Type: string }> };
    const functions = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    // plan, collect-aws, collect-kubernetes, report, publish-key.
    expect(functions).toHaveLength(5);
  });

  it('reports no cdk-nag finding, and nothing worse than a warning', () => {
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: { severity?: string }[] }[];
    };
    for (const plugin of report.pluginReports) {
      if (plugin.pluginName === 'Construct Annotations') {
        for (const v of plugin.violations) expect(v.severity).toBe('warning');
      } else {
        expect(plugin.violations, plugin.pluginName).toEqual([]);
      }
    }
    expect(synth.stderr).not.toMatch(/AwsSolutions|PCI\.DSS\.321/);
  });

  it('bundles each handler into an ES module that loads in Node 24 and exports handler', async () => {
    const assets = readdirSync(out).filter((d) => d.startsWith('asset.'));
    expect(assets).toHaveLength(5);
    for (const asset of assets) {
      const loaded = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(join(out, asset, 'index.mjs'))}); console.log(typeof m.handler);`,
        ],
        {},
        30_000,
      );
      expect(loaded.stdout.trim(), `${asset}: ${loaded.stderr}`).toBe('function');
    }
  }, 60_000);
});

describe('node infra/app.ts', () => {
  it('prints a bad configuration file in one line and exits 2', async () => {
    const result = await run(
      process.execPath,
      ['infra/app.ts'],
      {
        CDK_CONTEXT_JSON: JSON.stringify({ config: 'test/infra/fixtures/missing.yaml' }),
        CDK_OUTDIR: tempDir('cdk-app'),
      },
      60_000,
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^pci-posture: test\/infra\/fixtures\/missing\.yaml: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 70_000);
});
