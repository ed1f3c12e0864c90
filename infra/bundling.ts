/**
 * How every Lambda function of the deployment is bundled: one place, so that the construct and a
 * benchmark (or anyone checking a bundle) build byte-identical code with the local esbuild.
 *
 * Node 24 on arm64, one minified ES module per handler, every dependency inside it (our pinned
 * AWS SDK clients included: the runtime's SDK version is not ours to choose), no source maps.
 * ES modules have no `require`, `__filename` or `__dirname`; bundled CommonJS code uses them
 * (google-gax computes a path from `__dirname` when it loads), so a banner defines them from
 * `import.meta.url`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** The repository root: handler entries (`HANDLER_ENTRIES`) are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The lock file NodejsFunction hashes and bundles against. */
export const LOCK_FILE = join(REPO_ROOT, 'package-lock.json');

/** esbuild's target for the Lambda runtime (`nodejs24.x`). */
export const NODE_TARGET = 'node24';

/**
 * Defines `require`, `__filename` and `__dirname` in the ES module output, for bundled CommonJS
 * dependencies that use them.
 */
export const ESM_REQUIRE_BANNER = [
  "import { createRequire as __pciPostureCreateRequire } from 'node:module';",
  "import { dirname as __pciPostureDirname } from 'node:path';",
  "import { fileURLToPath as __pciPostureFileURLToPath } from 'node:url';",
  'const require = __pciPostureCreateRequire(import.meta.url);',
  'const __filename = __pciPostureFileURLToPath(import.meta.url);',
  'const __dirname = __pciPostureDirname(__filename);',
].join(' ');

/** Module fields esbuild reads, ES module builds first. */
export const MAIN_FIELDS = ['module', 'main'];

/**
 * Left out of the `plan` function's bundle: the GKE client library (its generated protos and
 * descriptors are 3.5 MB, most of the bundle). Planning lists GCP projects over Resource
 * Manager's REST API and never lists clusters; the collector imports the library dynamically on
 * its first cluster listing, so the plan function never loads it (and if it ever tried, the
 * import would fail as a collection error: ERROR, never PASS). A test runs the plan bundle's
 * GCP discovery without it. Likewise `@kubernetes/client-node`: planning only lists the clusters
 * named in the config, and the Kubernetes API client is loaded on a cluster's first list.
 */
export const PLAN_EXCLUDED_MODULES: readonly string[] = [
  '@google-cloud/container',
  '@kubernetes/client-node',
];

/**
 * The NodejsFunction bundling options of every function (local esbuild, never Docker);
 * `exclude` leaves packages out of the bundle (imported at run time only if ever reached).
 *
 * @example new NodejsFunction(this, 'Plan', { entry, bundling: bundlingOptions(PLAN_EXCLUDED_MODULES) });
 */
export function bundlingOptions(exclude: readonly string[] = []): BundlingOptions {
  return {
    target: NODE_TARGET,
    format: OutputFormat.ESM,
    mainFields: MAIN_FIELDS,
    banner: ESM_REQUIRE_BANNER,
    minify: true,
    sourceMap: false,
    externalModules: [...exclude],
    forceDockerBundling: false,
  };
}

/**
 * The same build for esbuild's JavaScript API: what NodejsFunction runs for one handler
 * (`esbuild --bundle <entry> --target=node24 --platform=node --format=esm --minify ...`).
 *
 * @example await esbuild.build(esbuildOptions('functions/handlers/report.ts', 'out/report/index.mjs'));
 */
export function esbuildOptions(
  entry: string,
  outfile: string,
  exclude: readonly string[] = [],
): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: false,
    external: [...exclude],
  };
}
