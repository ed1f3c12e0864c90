/**
 * The scan configuration: one YAML or JSON file that says what to scan (AWS accounts and regions,
 * GCP projects, Azure subscriptions, Kubernetes clusters), how (concurrency, timeouts, retries,
 * endpoint overrides), with which check options, and where the signed run goes.
 *
 * It is designed for every provider now; collectors fill in behind it. A JSON Schema generated
 * from this module ships as `functions/config/scan-config.schema.json` for editors.
 *
 * ```yaml
 * aws:
 *   accounts: organization           # current | organization | [111122223333, ...]
 *   regions: [eu-west-1, us-east-1]
 *   roleName: PciPostureReadOnly
 * kubernetes: { enabled: false }
 * archive:
 *   out: s3://audit-archive/pci
 *   signer: { kmsKeyId: alias/pci-posture-signing }
 * ```
 */
import * as z from 'zod';
import type { CheckConfig } from '../engine/evaluate.ts';
import { UsageError } from '../errors.ts';
import { loadFile } from '../inventory/load.ts';
import { checkConfigSchema } from './check-config.ts';

const accountId = z
  .string({
    error:
      'must be a 12-digit AWS account id in quotes (YAML reads bare digits as a number and drops leading zeros)',
  })
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region name such as eu-west-1');
const uuid = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a GUID such as 00000000-0000-0000-0000-000000000000',
  );
const secretArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
    "must be a Secrets Manager secret's full ARN, ending in the 6 characters Secrets Manager adds (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf): IAM grants read on exactly that ARN",
  );

/**
 * An endpoint override: an https URL (credentials and tokens travel to it), or http to a
 * loopback address only (a local emulator or test server).
 */
const endpoint = z
  .string()
  .regex(
    /^(https:\/\/[^\s/]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/\S*)?$/,
    'must be an https:// URL (http:// only to a loopback address: credentials travel to it)',
  )
  .describe('endpoint URL (https; http only to a loopback address)');

/** An AWS endpoint override: `{region}` in it is replaced by the region a client is for. */
const awsEndpoint = endpoint.describe(
  'endpoint URL (https; http only to a loopback address); {region} is replaced by the region of the call',
);

function unique<T extends z.ZodType<string>>(item: T, what: string) {
  return z
    .array(item, {
      error: (issue) =>
        issue.input === undefined ? `is required: a list of at least one ${what}` : undefined,
    })
    .min(1, `must list at least one ${what}`)
    .refine((list) => new Set(list).size === list.length, `must not list a ${what} twice`)
    .meta({ uniqueItems: true });
}

const awsSchema = z
  .object({
    accounts: z
      .union([z.enum(['current', 'organization']), unique(accountId, 'account')], {
        error: 'must be current, organization, or a list of 12-digit account ids in quotes',
      })
      .default('current')
      .describe(
        'current: the account of the credentials; organization: every ACTIVE account of the AWS Organization (run from the management or a delegated administrator account); or a list of account ids',
      ),
    excludeAccounts: z
      .array(accountId)
      .default([])
      .describe('accounts never scanned (sandboxes, suspended accounts)'),
    regions: unique(awsRegion, 'region').describe('regions whose EKS clusters are scanned'),
    roleName: z
      .string()
      .regex(
        /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
        'must be an IAM role name, or path/name without leading, trailing or doubled slashes',
      )
      .default('PciPostureReadOnly')
      .describe(
        'read-only role assumed in every account other than the one the credentials belong to',
      ),
    externalId: z
      .string()
      .min(2)
      .max(1224)
      .optional()
      .describe('sts:ExternalId the member role requires'),
    useFipsEndpoints: z.boolean().default(false).describe('use the FIPS endpoints of each service'),
    endpoints: z
      .object({
        eks: awsEndpoint.optional(),
        iam: awsEndpoint.optional(),
        sts: awsEndpoint.optional(),
        organizations: awsEndpoint.optional(),
      })
      .strict()
      .default({})
      .describe('endpoint overrides (VPC endpoints, tests)'),
  })
  .strict()
  .superRefine((aws, ctx) => {
    if (aws.useFipsEndpoints && Object.values(aws.endpoints).some(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['useFipsEndpoints'],
        message:
          'cannot be combined with endpoints overrides (the AWS SDK refuses both): give the FIPS endpoint URLs as overrides instead',
      });
    }
    // One scan reads one partition: its credentials, ARNs and STS region belong to it.
    const first = partitionOf(aws.regions[0] ?? '');
    aws.regions.forEach((region, i) => {
      if (partitionOf(region) !== first) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `is in partition ${partitionOf(region)}, but ${aws.regions[0]} is in ${first}: scan each partition with its own config and credentials`,
        });
      }
    });
  });

/** The AWS partition of a region name. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

const gcpCredentials = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('workload-identity-federation'),
      configFile: z
        .string()
        .optional()
        .describe(
          'external_account credential configuration (gcloud iam workload-identity-pools create-cred-config --aws); without it and without audience, Application Default Credentials are used',
        ),
      audience: z
        .string()
        .regex(
          /^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/,
          'must be //iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>',
        )
        .optional()
        .describe(
          'workload identity pool provider (AWS): the configuration is built from it, with the AWS credentials of the environment',
        ),
      serviceAccount: z
        .string()
        .regex(/^[^@\s]+@[^@\s]+$/, 'must be a service account email')
        .optional()
        .describe('service account to impersonate'),
    })
    .strict()
    .refine((c) => !(c.configFile && c.audience), 'give configFile or audience, not both')
    .meta({ not: { required: ['configFile', 'audience'] } }),
  z
    .object({
      type: z.literal('service-account-key'),
      secretArn: secretArn.optional(),
      file: z.string().optional(),
    })
    .strict()
    .refine((c) => !!c.secretArn !== !!c.file, 'give exactly one of secretArn or file')
    .meta({ oneOf: [{ required: ['secretArn'] }, { required: ['file'] }] }),
]);

const gcpSchema = z
  .object({
    projects: z
      .union([
        unique(
          z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
          'project',
        ),
        z
          .object({ folder: z.string().regex(/^folders\/\d+$/, 'must be folders/<number>') })
          .strict(),
        z
          .object({
            organization: z
              .string()
              .regex(/^organizations\/\d+$/, 'must be organizations/<number>'),
          })
          .strict(),
      ])
      .describe('project ids, or every ACTIVE project under a folder or the organization'),
    credentials: gcpCredentials.default({ type: 'workload-identity-federation' }),
    endpoints: z
      .object({
        container: endpoint.optional().describe('GKE API (container.googleapis.com)'),
        resourceManager: endpoint
          .optional()
          .describe('Resource Manager API (cloudresourcemanager.googleapis.com)'),
        sts: endpoint
          .optional()
          .describe(
            'Security Token Service (sts.googleapis.com), for workload identity federation',
          ),
        iamCredentials: endpoint
          .optional()
          .describe(
            'IAM Service Account Credentials API (iamcredentials.googleapis.com), for impersonation',
          ),
      })
      .strict()
      .default({})
      .describe('endpoint overrides (Private Service Connect, tests)'),
  })
  .strict();

const azureCredentials = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('federated'),
      audience: z
        .string()
        .min(1)
        .default('api://AzureADTokenExchange')
        .describe(
          'audience of the token exchanged (the federated credential of the app registration)',
        ),
      tokenFile: z
        .string()
        .min(1)
        .optional()
        .describe(
          'a file holding the identity token to exchange, re-read on each use (as AZURE_FEDERATED_TOKEN_FILE); default: an AWS STS GetWebIdentityToken of the running role',
        ),
    })
    .strict(),
  z
    .object({
      type: z.literal('certificate'),
      secretArn: secretArn.optional(),
      file: z
        .string()
        .optional()
        .describe('PEM file holding the certificate and its unencrypted private key'),
    })
    .strict()
    .refine((c) => !!c.secretArn !== !!c.file, 'give exactly one of secretArn or file')
    .meta({ oneOf: [{ required: ['secretArn'] }, { required: ['file'] }] }),
  z
    .object({
      type: z.literal('secret'),
      secretArn: secretArn.optional(),
      env: z.string().optional().describe('environment variable that holds the client secret'),
    })
    .strict()
    .refine((c) => !!c.secretArn !== !!c.env, 'give exactly one of secretArn or env')
    .meta({ oneOf: [{ required: ['secretArn'] }, { required: ['env'] }] }),
]);

const azureSchema = z
  .object({
    subscriptions: z
      .union([z.literal('all'), unique(uuid, 'subscription')])
      .describe('subscription ids, or all: every enabled subscription the identity can see'),
    tenantId: uuid,
    clientId: uuid,
    credentials: azureCredentials.default({
      type: 'federated',
      audience: 'api://AzureADTokenExchange',
    }),
    cloud: z
      .object({
        authorityHost: endpoint.default('https://login.microsoftonline.com'),
        resourceManager: endpoint.default('https://management.azure.com'),
      })
      .strict()
      .default({
        authorityHost: 'https://login.microsoftonline.com',
        resourceManager: 'https://management.azure.com',
      })
      .describe('sovereign clouds: their Entra authority host and ARM endpoint'),
  })
  .strict();

const kubernetesCluster = z
  .object({
    name: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ., _, : and -')
      .describe("the cluster's name in reports (its scope.cluster)"),
    endpoint: z
      .string()
      .regex(
        /^(https:\/\/[^\s/]+)(\/\S*)?$/,
        'must be the https:// URL of the API server (a bearer token travels to it)',
      )
      .describe('the API server URL (https)'),
    caFile: z.string().min(1).optional().describe('PEM CA bundle of the API server, as a file'),
    caData: z
      .string()
      .regex(/^[A-Za-z0-9+/=\s]+$/, 'must be the base64 of a PEM CA bundle (as in a kubeconfig)')
      .optional()
      .describe('base64 PEM CA bundle of the API server (certificate-authority-data)'),
    token: z
      .union(
        [
          z.object({ env: z.string().min(1) }).strict(),
          z.object({ file: z.string().min(1) }).strict(),
          z.object({ secretArn }).strict(),
        ],
        { error: 'must be { env: <variable> }, { file: <path> } or { secretArn: <ARN> }' },
      )
      .describe('where the bearer token is read from (never written in this file)'),
  })
  .strict()
  .refine((c) => !(c.caFile && c.caData), 'give at most one of caFile or caData')
  .describe('a cluster read directly; without caFile or caData the system CAs are trusted');

const kubernetesSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "read each discovered cluster's Kubernetes API; false leaves the Kubernetes checks NOT_TESTED",
      ),
    pageSize: z
      .int()
      .min(1)
      .max(5000)
      .default(500)
      .describe('objects per list page (limit); pages are read one after the other per kind'),
    clusterBudgetSeconds: z.int().min(5).max(900).default(120),
    clusters: z
      .array(kubernetesCluster)
      .default([])
      .refine(
        (list) => new Set(list.map((c) => c.name)).size === list.length,
        'cluster names must be unique',
      )
      .describe('clusters listed directly'),
  })
  .strict()
  .refine((k) => k.enabled || k.clusters.length === 0, {
    path: ['clusters'],
    message:
      'kubernetes.enabled is false, so the clusters listed would not be read: remove them, or set enabled: true',
  });

const archiveSchema = z
  .object({
    out: z
      .string()
      .min(1)
      .optional()
      .describe('archive: a folder or s3://BUCKET/PREFIX (--out overrides it)'),
    signer: z
      .union(
        [
          z.object({ kmsKeyId: z.string().min(1) }).strict(),
          z.object({ signingKey: z.string().min(1).describe('EC P-256 private key PEM') }).strict(),
        ],
        {
          error: 'must be { kmsKeyId: <id, ARN or alias> } or { signingKey: <PEM file> }, not both',
        },
      )
      .optional(),
    sseKmsKeyId: z.string().min(1).optional(),
    retention: z
      .object({ mode: z.enum(['COMPLIANCE', 'GOVERNANCE']), days: z.int().min(1) })
      .strict()
      .optional(),
  })
  .strict();

/** Collection defaults (the bench measures them): 8 calls in flight, 5 attempts, 20 s per attempt. */
export const COLLECTION_DEFAULTS = {
  concurrency: 8,
  maxAttempts: 5,
  callTimeoutSeconds: 20,
  budgetSeconds: 840,
  credentialReportWaitSeconds: 60,
} as const;

const collectionSchema = z
  .object({
    concurrency: z
      .int()
      .min(1)
      .max(64)
      .default(COLLECTION_DEFAULTS.concurrency)
      .describe('API calls in flight at once, over all providers'),
    maxAttempts: z
      .int()
      .min(1)
      .max(10)
      .default(COLLECTION_DEFAULTS.maxAttempts)
      .describe('attempts per call (adaptive retry with jittered backoff on throttling and 5xx)'),
    callTimeoutSeconds: z
      .number()
      .positive()
      .max(300)
      .default(COLLECTION_DEFAULTS.callTimeoutSeconds)
      .describe('time limit of one attempt of one API call'),
    budgetSeconds: z
      .number()
      .positive()
      .max(3300, 'must be at most 3300: assumed-role credentials last one hour')
      .default(COLLECTION_DEFAULTS.budgetSeconds)
      .describe('overall time for collection; what is not read by then becomes collection errors'),
    credentialReportWaitSeconds: z
      .number()
      .positive()
      .max(600)
      .default(COLLECTION_DEFAULTS.credentialReportWaitSeconds)
      .describe('how long to wait for IAM to generate a credential report'),
  })
  .strict();

function scanConfigObject() {
  return z
    .object({
      $schema: z.string().optional(),
      aws: awsSchema.optional(),
      gcp: gcpSchema.optional(),
      azure: azureSchema.optional(),
      kubernetes: kubernetesSchema.default({
        enabled: true,
        pageSize: 500,
        clusterBudgetSeconds: 120,
        clusters: [],
      }),
      checks: checkConfigSchema().optional(),
      archive: archiveSchema.default({}),
      collection: collectionSchema.default({ ...COLLECTION_DEFAULTS }),
    })
    .strict()
    .refine(
      (c) => !!(c.aws || c.gcp || c.azure || c.kubernetes.clusters.length > 0),
      'nothing to scan: give at least one of aws, gcp, azure or kubernetes.clusters',
    )
    .meta({
      anyOf: [
        { required: ['aws'] },
        { required: ['gcp'] },
        { required: ['azure'] },
        {
          required: ['kubernetes'],
          properties: {
            kubernetes: { required: ['clusters'], properties: { clusters: { minItems: 1 } } },
          },
        },
      ],
    });
}

/** The scan configuration after defaults are applied. */
export type ScanConfig = Omit<z.output<ReturnType<typeof scanConfigObject>>, 'checks'> & {
  checks?: CheckConfig;
};
export type AwsTargets = NonNullable<ScanConfig['aws']>;
export type GcpTargets = NonNullable<ScanConfig['gcp']>;
export type AzureTargets = NonNullable<ScanConfig['azure']>;
export type CollectionSettings = ScanConfig['collection'];

/**
 * The schema of a scan configuration file.
 *
 * @example scanConfigSchema().parse({ aws: { regions: ['eu-west-1'] } }).collection.concurrency // 8
 */
export function scanConfigSchema(): z.ZodType<ScanConfig> {
  return scanConfigObject() as unknown as z.ZodType<ScanConfig>;
}

/**
 * The JSON Schema of the scan configuration, for editors (`# yaml-language-server: $schema=...`).
 *
 * @example writeFileSync('scan-config.schema.json', JSON.stringify(scanConfigJsonSchema(), null, 2));
 */
export function scanConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scanConfigObject(), { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://github.com/pci-posture/pci-posture/functions/config/scan-config.schema.json',
    title: 'pci-posture scan configuration',
  };
}

/**
 * Reads a scan configuration (YAML or JSON); a bad file gets an error naming the file, the place
 * in it and what is wrong (exit 2).
 *
 * @example const config = loadScanConfig('pci-posture.yaml');
 */
export function loadScanConfig(file: string): ScanConfig {
  return loadFile(scanConfigSchema(), file);
}

/**
 * The archive and signer of a scan: the command line's `--out`, `--signing-key`, `--kms-key-id`
 * win over the config's `archive` section.
 *
 * @example scanDestination(config, { out: './archive' }).out // './archive'
 */
export function scanDestination(
  config: ScanConfig,
  flags: { out?: string; signingKey?: string; kmsKeyId?: string },
): { out: string; signingKey?: string; kmsKeyId?: string } {
  const out = flags.out ?? config.archive.out;
  if (!out) {
    throw new UsageError(
      'no archive: give --out DIR|s3://BUCKET/PREFIX or archive.out in the config',
    );
  }
  if (flags.signingKey || flags.kmsKeyId) {
    return { out, signingKey: flags.signingKey, kmsKeyId: flags.kmsKeyId };
  }
  const signer = config.archive.signer;
  if (!signer) return { out };
  return 'kmsKeyId' in signer
    ? { out, kmsKeyId: signer.kmsKeyId }
    : { out, signingKey: signer.signingKey };
}
export type KubernetesTargets = ScanConfig['kubernetes'];
/** A cluster listed directly in the config (`kubernetes.clusters[]`). */
export type DirectCluster = KubernetesTargets['clusters'][number];
