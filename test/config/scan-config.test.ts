/**
 * The scan configuration: defaults, every provider's section, precise errors (file, JSON path,
 * what is wrong), the shipped example and JSON Schema, and `--out`/signer precedence.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  COLLECTION_DEFAULTS,
  loadScanConfig,
  scanConfigSchema,
  scanDestination,
} from '../../functions/config/scan-config.ts';
import { InputError, UsageError } from '../../functions/errors.ts';
import { tempDir } from '../helpers/tmp.ts';
import { SCHEMA_FILE, schemaText } from '../tools/write-scan-config-schema.ts';

const dir = tempDir('scan-config');
const EXAMPLE = new URL('../../functions/config/scan-config.example.yaml', import.meta.url);

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(name: string, text: string): InputError {
  try {
    loadScanConfig(write(name, text));
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected the config to be refused');
}

describe('defaults', () => {
  it('fills every default from one AWS region', () => {
    const config = scanConfigSchema().parse({ aws: { regions: ['eu-west-1'] } });
    expect(config.aws).toEqual({
      accounts: 'current',
      excludeAccounts: [],
      regions: ['eu-west-1'],
      roleName: 'PciPostureReadOnly',
      useFipsEndpoints: false,
      endpoints: {},
    });
    expect(config.collection).toEqual(COLLECTION_DEFAULTS);
    expect(config.kubernetes).toEqual({
      enabled: true,
      pageSize: 500,
      clusterBudgetSeconds: 120,
      clusters: [],
    });
    expect(config.archive).toEqual({});
  });

  it('accepts GovCloud and China regions (one partition per scan) and role paths', () => {
    const gov = scanConfigSchema().parse({
      aws: { regions: ['us-gov-west-1', 'us-gov-east-1'], roleName: 'security/PciReader' },
    });
    expect(gov.aws?.roleName).toBe('security/PciReader');
    expect(scanConfigSchema().parse({ aws: { regions: ['cn-north-1'] } }).aws?.regions).toEqual([
      'cn-north-1',
    ]);
  });

  it('accepts every provider section', () => {
    const config = scanConfigSchema().parse({
      aws: { accounts: ['111122223333'], regions: ['eu-west-1'], externalId: 'xid' },
      gcp: { projects: { folder: 'folders/123' } },
      azure: {
        subscriptions: 'all',
        tenantId: '00000000-0000-0000-0000-000000000001',
        clientId: '00000000-0000-0000-0000-000000000002',
        credentials: { type: 'secret', env: 'AZURE_CLIENT_SECRET' },
        cloud: {
          authorityHost: 'https://login.microsoftonline.us',
          resourceManager: 'https://management.usgovcloudapi.net',
        },
      },
      kubernetes: {
        clusters: [{ name: 'lab', endpoint: 'https://10.0.0.1', token: { env: 'LAB_TOKEN' } }],
      },
    });
    expect(config.gcp?.credentials).toEqual({ type: 'workload-identity-federation' });
    expect(config.gcp?.endpoints).toEqual({});
    expect(config.azure?.subscriptions).toBe('all');
    expect(config.kubernetes.clusters).toHaveLength(1);
  });

  it('defaults Azure to federation with the Entra token exchange audience, and takes a token file', () => {
    const ids = {
      tenantId: '00000000-0000-0000-0000-000000000001',
      clientId: '00000000-0000-0000-0000-000000000002',
    };
    const federated = scanConfigSchema().parse({ azure: { subscriptions: 'all', ...ids } });
    expect(federated.azure?.credentials).toEqual({
      type: 'federated',
      audience: 'api://AzureADTokenExchange',
    });
    const fromFile = scanConfigSchema().parse({
      azure: {
        subscriptions: 'all',
        ...ids,
        credentials: { type: 'federated', tokenFile: '/var/run/secrets/token' },
      },
    });
    expect(fromFile.azure?.credentials).toEqual({
      type: 'federated',
      audience: 'api://AzureADTokenExchange',
      tokenFile: '/var/run/secrets/token',
    });
    expect(() =>
      scanConfigSchema().parse({
        azure: { subscriptions: 'all', ...ids, credentials: { type: 'federated', file: 'x' } },
      }),
    ).toThrow();
  });

  it('accepts GCP federation from an audience, with STS and IAM credentials endpoints', () => {
    const audience =
      '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws/providers/lambda';
    const config = scanConfigSchema().parse({
      gcp: {
        projects: ['shop-prod'],
        credentials: {
          type: 'workload-identity-federation',
          audience,
          serviceAccount: 'pci-posture@shop-sec.iam.gserviceaccount.com',
        },
        endpoints: { sts: 'http://127.0.0.1:8080', iamCredentials: 'http://127.0.0.1:8080' },
      },
    });
    expect(config.gcp?.credentials).toMatchObject({ audience });
    expect(config.gcp?.endpoints.sts).toBe('http://127.0.0.1:8080');
    for (const credentials of [
      { type: 'workload-identity-federation', audience: 'projects/1/pools/x' },
      { type: 'workload-identity-federation', audience, configFile: 'wif.json' },
      { type: 'workload-identity-federation', audience, serviceAccount: 'not-an-email' },
    ]) {
      expect(
        scanConfigSchema().safeParse({ gcp: { projects: ['shop-prod'], credentials } }).success,
      ).toBe(false);
    }
  });
});

describe('the shipped example and JSON Schema', () => {
  it('the example validates and names the schema', () => {
    const config = loadScanConfig(EXAMPLE.pathname);
    expect(config.aws?.accounts).toBe('organization');
    expect(config.archive.signer).toEqual({ kmsKeyId: 'alias/pci-posture-signing' });
    expect(readFileSync(EXAMPLE, 'utf8')).toMatch(/\$schema=\.\/scan-config\.schema\.json/);
  });

  it('the committed JSON Schema is what the zod schema generates (npm run schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('the JSON Schema accepts the example and refuses what the loader refuses', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    expect(validate(parseYaml(readFileSync(EXAMPLE, 'utf8')))).toBe(true);
    expect(validate({ aws: { regions: ['eu-west-1'], bogus: 1 } })).toBe(false);
    expect(validate({ aws: { regions: ['eu-west-1'], accounts: [111122223333] } })).toBe(false);
    expect(validate({ aws: { regions: ['eu-west-1'] }, checks: { options: { nope: {} } } })).toBe(
      false,
    );
    // The loader's refinements are in the JSON Schema too.
    expect(validate({ checks: {} })).toBe(false);
    expect(validate({ aws: { regions: ['eu-west-1', 'eu-west-1'] } })).toBe(false);
    expect(
      validate({
        gcp: {
          projects: ['shop-prod'],
          credentials: { type: 'service-account-key', file: 'k.json', secretArn: 'x' },
        },
      }),
    ).toBe(false);
    expect(
      validate({
        gcp: {
          projects: ['shop-prod'],
          credentials: {
            type: 'workload-identity-federation',
            configFile: 'wif.json',
            audience:
              '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q',
          },
        },
      }),
    ).toBe(false);
    expect(
      validate({
        kubernetes: { clusters: [{ name: 'a', endpoint: 'https://a', token: { env: 'T' } }] },
      }),
    ).toBe(true);
  });

  it('the commented gcp and azure sections of the example load once uncommented', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const block = text.slice(text.indexOf('# gcp:'), text.indexOf('\nkubernetes:'));
    const uncommented = block
      .split('\n')
      .map((line) => line.replace(/^# ?/, ''))
      .join('\n');
    const config = loadScanConfig(write('clouds.yaml', uncommented));
    expect(config.gcp?.credentials).toEqual({
      type: 'workload-identity-federation',
      audience:
        '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pci-posture/providers/aws-scanner',
      serviceAccount: 'pci-posture-reader@security-prj.iam.gserviceaccount.com',
    });
    expect(config.azure?.credentials).toEqual({
      type: 'federated',
      audience: 'api://AzureADTokenExchange',
    });
  });

  it('the README shows the example and documents every top-level section', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('functions/config/scan-config.example.yaml');
    // The README's example is the shipped file, so the two cannot drift apart.
    expect(readme).toContain(`\`\`\`yaml\n${readFileSync(EXAMPLE, 'utf8')}\`\`\``);
    for (const key of ['aws', 'gcp', 'azure', 'kubernetes', 'checks', 'archive', 'collection']) {
      expect(readme).toMatch(new RegExp(`\\n#? ?${key}:`));
    }
  });
});

describe('errors name the file, the place and the problem', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['nothing to scan', 'checks: {}\n', '$', /nothing to scan/],
    [
      'regions missing',
      'aws: { accounts: current }\n',
      '$.aws.regions',
      /is required: a list of at least one region/,
    ],
    ['a bad region', 'aws: { regions: [Europe] }\n', '$.aws.regions[0]', /AWS region/],
    [
      'an endpoint over plain http to another host (credentials would travel in clear)',
      'aws: { regions: [eu-west-1], endpoints: { eks: "http://proxy.example.com:8080" } }\n',
      '$.aws.endpoints.eks',
      /https:\/\/ URL \(http:\/\/ only to a loopback address/,
    ],
    [
      'an Azure authority over plain http',
      'azure: { subscriptions: all, tenantId: 00000000-0000-0000-0000-00000000000a, clientId: 00000000-0000-0000-0000-00000000000b, cloud: { authorityHost: "http://login.example.com" } }\n',
      '$.azure.cloud.authorityHost',
      /https:\/\//,
    ],
    [
      'a partial secret ARN (IAM grants the full one only)',
      'gcp: { projects: [shop-prod], credentials: { type: service-account-key, secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:gcp-key" } }\n',
      '$.gcp.credentials.secretArn',
      /full ARN, ending in the 6 characters/,
    ],
    ['a region twice', 'aws: { regions: [eu-west-1, eu-west-1] }\n', '$.aws.regions', /twice/],
    [
      'an unquoted account id',
      'aws: { regions: [eu-west-1], accounts: [111122223333] }\n',
      '$.aws.accounts[0]',
      /in quotes/,
    ],
    [
      'a short account id',
      'aws: { regions: [eu-west-1], accounts: ["1234"] }\n',
      '$.aws.accounts[0]',
      /12-digit/,
    ],
    [
      'an unknown accounts word',
      'aws: { regions: [eu-west-1], accounts: everything }\n',
      '$.aws.accounts',
      /current, organization, or a list/,
    ],
    [
      'an unknown key',
      'aws: { regions: [eu-west-1], region: x }\n',
      '$.aws.region',
      /Unrecognized/,
    ],
    [
      'an endpoint that is not a URL',
      'aws: { regions: [eu-west-1], endpoints: { eks: "eks.local" } }\n',
      '$.aws.endpoints.eks',
      /http/,
    ],
    [
      'concurrency out of range',
      'aws: { regions: [eu-west-1] }\ncollection: { concurrency: 0 }\n',
      '$.collection.concurrency',
      /1/,
    ],
    [
      'a check option of the wrong type',
      'aws: { regions: [eu-west-1] }\nchecks: { options: { aws-iam-access-keys-rotated: { maxAgeDays: "x" } } }\n',
      '$.checks.options["aws-iam-access-keys-rotated"].maxAgeDays',
      /number/,
    ],
    [
      'a GCP key with two sources',
      'gcp: { projects: [shop-prod], credentials: { type: service-account-key, file: k.json, secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-AbCdEf" } }\n',
      '$.gcp.credentials',
      /exactly one/,
    ],
    [
      'an Azure tenant that is not a GUID',
      'azure: { subscriptions: all, tenantId: contoso, clientId: 00000000-0000-0000-0000-000000000002 }\n',
      '$.azure.tenantId',
      /GUID/,
    ],
  ];
  cases.push(
    [
      'FIPS with endpoint overrides',
      'aws: { regions: [us-east-1], useFipsEndpoints: true, endpoints: { eks: "https://eks.example" } }\n',
      '$.aws.useFipsEndpoints',
      /cannot be combined with endpoints/,
    ],
    [
      'regions of two partitions',
      'aws: { regions: [eu-west-1, cn-north-1] }\n',
      '$.aws.regions[1]',
      /partition aws-cn, but eu-west-1 is in aws/,
    ],
    [
      'a role path with a leading slash',
      'aws: { regions: [eu-west-1], roleName: /pci/Reader }\n',
      '$.aws.roleName',
      /without leading, trailing or doubled slashes/,
    ],
    [
      'a signer with both keys',
      'aws: { regions: [eu-west-1] }\narchive: { signer: { kmsKeyId: k, signingKey: k.pem } }\n',
      '$.archive.signer',
      /not both/,
    ],
    [
      'a listed cluster over plain http (its bearer token would travel in clear)',
      'kubernetes: { clusters: [{ name: onprem, endpoint: "http://k8s.example.com", token: { env: T } }] }\n',
      '$.kubernetes.clusters[0].endpoint',
      /https:\/\/ URL of the API server/,
    ],
    [
      'a listed cluster with both caFile and caData',
      'kubernetes: { clusters: [{ name: onprem, endpoint: "https://k8s.example.com", caFile: ca.pem, caData: TFMw, token: { env: T } }] }\n',
      '$.kubernetes.clusters[0]',
      /at most one of caFile or caData/,
    ],
    [
      'a listed cluster whose token is a partial secret ARN',
      'kubernetes: { clusters: [{ name: onprem, endpoint: "https://k8s.example.com", token: { secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:k8s" } }] }\n',
      '$.kubernetes.clusters[0].token.secretArn',
      /full ARN/,
    ],
    [
      'clusters listed while Kubernetes reading is off',
      'kubernetes: { enabled: false, clusters: [{ name: a, endpoint: "https://a", token: { env: T } }] }\n',
      '$.kubernetes.clusters',
      /would not be read/,
    ],
    [
      'two listed clusters with one name',
      'kubernetes: { clusters: [{ name: a, endpoint: "https://a", token: { env: T } }, { name: a, endpoint: "https://b", token: { env: T } }] }\n',
      '$.kubernetes.clusters',
      /names must be unique/,
    ],
    [
      'a budget longer than assumed-role credentials last',
      'aws: { regions: [eu-west-1] }\ncollection: { budgetSeconds: 7200 }\n',
      '$.collection.budgetSeconds',
      /one hour/,
    ],
  );
  it.each(cases)('%s', (_name, text, path, problem) => {
    const err = loadError('bad.yaml', text);
    expect(err.file).toMatch(/bad\.yaml$/);
    expect(err.where).toBe(path);
    expect(err.problem).toMatch(problem);
    expect(err.message).toContain(`bad.yaml: ${path}: `);
  });

  it('YAML syntax errors give the line and column', () => {
    const err = loadError('syntax.yaml', 'aws:\n  regions: [eu-west-1\n');
    expect(err.where).toMatch(/^line \d+, column \d+$/);
  });

  it('JSON files are read as JSON', () => {
    const config = loadScanConfig(write('ok.json', '{"aws":{"regions":["us-east-1"]}}'));
    expect(config.aws?.regions).toEqual(['us-east-1']);
    expect(loadError('bad.json', '{"aws":{"regions":["us-east-1"],}}').where).toMatch(/^line 1/);
  });
});

describe('where the run goes', () => {
  const config = scanConfigSchema().parse({
    aws: { regions: ['eu-west-1'] },
    archive: { out: 's3://bucket/pci', signer: { kmsKeyId: 'alias/sign' } },
  });

  it('takes the archive and signer from the config', () => {
    expect(scanDestination(config, {})).toEqual({ out: 's3://bucket/pci', kmsKeyId: 'alias/sign' });
  });

  it('lets --out and a signer flag win', () => {
    expect(scanDestination(config, { out: './a', signingKey: 'k.pem' })).toEqual({
      out: './a',
      signingKey: 'k.pem',
      kmsKeyId: undefined,
    });
  });

  it('refuses a scan with nowhere to write', () => {
    const bare = scanConfigSchema().parse({ aws: { regions: ['eu-west-1'] } });
    expect(() => scanDestination(bare, {})).toThrow(UsageError);
    expect(() => scanDestination(bare, {})).toThrow(/--out/);
  });
});
