/**
 * An AWS Organization scenario built in moto for the collector and `scan` tests: a management
 * account and two member accounts (`dev`, `prod`), two regions, EKS clusters and managed node
 * groups with good and bad settings, IAM users with and without MFA, access keys, password
 * policies (weak, none, strong) and customer managed policies (full admin, harmless, unattached).
 *
 * A third member account, `closed`, is closed right after creation (SUSPENDED in ListAccounts).
 *
 * Every account is addressed with moto's `x-moto-account-id` header; each test file passes its own
 * management account id (`3000000000xx`), so files never see each other's estate. The member ids
 * are the random ones moto's CreateAccount returns.
 *
 * What is built, per account and region (the verdicts are the tests' business, reasoned from
 * CHECKS.md; this file only says what each object is meant to show):
 *
 * | account | region | cluster | version | endpoint | private | secrets KMS | logging | access mode sent | node groups |
 * |---|---|---|---|---|---|---|---|---|---|
 * | management | eu-west-1 | payments | 1.28 | public, 0.0.0.0/0 | false | none | api only (audit, authenticator in a disabled entry) | none | payments-ssh-open (key, no SG), payments-ssh-sg (key + SG) |
 * | management | eu-west-1 | vault | 1.31 | private only | true | KMS key | api, audit, authenticator | API | vault-workers (created without remote access) |
 * | management | us-east-1 | edge | 1.30 | public, 203.0.113.0/24 | true | none | all three, split over two enabled entries | none | none |
 * | dev | eu-west-1 | sandbox | 1.29 | public, no CIDRs sent | not sent | KMS key | none | none | sandbox-nodes (key, empty SG list) |
 * | dev | us-east-1 | ipv6 | 1.33 | public, 198.51.100.0/24 and ::/0 | true | none | none | none | none |
 * | prod | us-east-1 | ledger | 1.32 | private only | true | KMS key | api, audit, authenticator | API_AND_CONFIG_MAP | ledger-nodes (key + SG) |
 * | prod | eu-west-1 | (no cluster) | | | | | | | |
 *
 * moto 5.2.1 quirks the scenario runs into (the tests assert them as facts of the data): it drops
 * `accessConfig` (DescribeCluster never returns it); it gives a node group created without
 * `remoteAccess` the default `{ ec2SshKey: 'eksKeypair' }`; EKS ListAddons answers 404 HTML.
 *
 * IAM: management has a weak password policy (length 8, reuse 2, max age 180), users `alice`
 * (console, no MFA), `bob` (console + virtual MFA), `ci-deployer` (active access key, attached
 * `FullAdmin` = `*` on `*`), `former-contractor` (one access key, deactivated); policies `FullAdmin`
 * (attached), `EksReadOnly` (attached to bob, harmless), `UnusedAdmin` (`*` on `*`, attached to
 * nobody). `dev` has no password policy, user `dev-alice` (console, no MFA) and `DevAdmin`
 * (`*` on `*` written as arrays, attached to dev-alice). `prod` has a strong password policy, user
 * `auditor` (console + MFA) and `DenyAllButRead` (a Deny of `*` on `*` plus an s3:GetObject
 * Allow, attached to auditor). Each member also has the read-only role `PciPostureReadOnly`
 * (moto does not check trust policies; it is there as the stack would ship it).
 *
 * moto's credential report dates are the real creation times (to the second), so an access key is
 * days old only if the scan's clock (`collectedAt`) is later than {@link MotoEstate.builtAt}: the
 * tests that need an old key collect with `now = builtAt + 100 days` (see {@link LATER}).
 */
import {
  CreateClusterCommand,
  type CreateClusterCommandInput,
  CreateNodegroupCommand,
  type CreateNodegroupCommandInput,
  EKSClient,
} from '@aws-sdk/client-eks';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
  type UpdateAccountPasswordPolicyCommandInput,
} from '@aws-sdk/client-iam';
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { MiddlewareStack } from '@smithy/types';
import {
  type AwsClientFactory,
  type AwsClientParams,
  awsClientFactory,
} from '../../functions/collect/aws/clients.ts';
import type { RuntimeSettings } from '../../functions/collect/runtime.ts';
import type { AwsTargets } from '../../functions/config/scan-config.ts';
import { FAKE_CREDENTIALS } from './moto.ts';

/** The two regions of the scenario, in the order a config lists them. */
export const ESTATE_REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** The read-only role the collector assumes in member accounts (the config's default). */
export const READ_ONLY_ROLE = 'PciPostureReadOnly';

/** How much later than the build the tests that need old credentials collect: 100 days. */
export const LATER = { days: 100, ms: 100 * 24 * 3600 * 1000 } as const;

type Region = (typeof ESTATE_REGIONS)[number];
type Member = 'management' | 'dev' | 'prod';

interface ClusterSpec {
  account: Member;
  region: Region;
  version: string;
  resourcesVpcConfig: Omit<
    NonNullable<CreateClusterCommandInput['resourcesVpcConfig']>,
    'subnetIds'
  >;
  kms?: boolean;
  logging?: CreateClusterCommandInput['logging'];
  accessConfig?: CreateClusterCommandInput['accessConfig'];
  nodegroups: Record<string, CreateNodegroupCommandInput['remoteAccess'] | null>;
}

const ALL_LOGS = ['api', 'audit', 'authenticator'] as const;

/** The clusters and their node groups (`null`: a node group without remote access). */
const CLUSTERS = {
  payments: {
    account: 'management',
    region: 'eu-west-1',
    version: '1.28',
    resourcesVpcConfig: {
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    logging: {
      clusterLogging: [
        { types: ['api'], enabled: true },
        { types: ['audit', 'authenticator'], enabled: false },
      ],
    },
    nodegroups: {
      'payments-ssh-open': { ec2SshKey: 'ops-key' },
      'payments-ssh-sg': { ec2SshKey: 'ops-key', sourceSecurityGroups: ['sg-0bastion000000001'] },
    },
  },
  vault: {
    account: 'management',
    region: 'eu-west-1',
    version: '1.31',
    resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
    kms: true,
    logging: { clusterLogging: [{ types: [...ALL_LOGS], enabled: true }] },
    accessConfig: { authenticationMode: 'API' },
    nodegroups: { 'vault-workers': null },
  },
  edge: {
    account: 'management',
    region: 'us-east-1',
    version: '1.30',
    resourcesVpcConfig: {
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    },
    logging: {
      clusterLogging: [
        { types: ['api', 'audit'], enabled: true },
        { types: ['authenticator'], enabled: true },
      ],
    },
    nodegroups: {},
  },
  sandbox: {
    account: 'dev',
    region: 'eu-west-1',
    version: '1.29',
    resourcesVpcConfig: { endpointPublicAccess: true },
    kms: true,
    nodegroups: { 'sandbox-nodes': { ec2SshKey: 'dev-key', sourceSecurityGroups: [] } },
  },
  ipv6: {
    account: 'dev',
    region: 'us-east-1',
    version: '1.33',
    resourcesVpcConfig: {
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['198.51.100.0/24', '::/0'],
    },
    nodegroups: {},
  },
  ledger: {
    account: 'prod',
    region: 'us-east-1',
    version: '1.32',
    resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
    kms: true,
    logging: { clusterLogging: [{ types: [...ALL_LOGS], enabled: true }] },
    accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
    nodegroups: {
      'ledger-nodes': { ec2SshKey: 'prod-key', sourceSecurityGroups: ['sg-0admin0000000001'] },
    },
  },
} as const satisfies Record<string, ClusterSpec>;

interface UserSpec {
  account: Member;
  console?: boolean;
  mfa?: boolean;
  /** Access keys to create: `active` or `inactive` (deactivated after creation). */
  keys?: ReadonlyArray<'active' | 'inactive'>;
}

const USERS = {
  alice: { account: 'management', console: true },
  bob: { account: 'management', console: true, mfa: true },
  'ci-deployer': { account: 'management', keys: ['active'] },
  'former-contractor': { account: 'management', keys: ['inactive'] },
  'dev-alice': { account: 'dev', console: true },
  auditor: { account: 'prod', console: true, mfa: true },
} as const satisfies Record<string, UserSpec>;

type UserName = keyof typeof USERS;

interface PolicySpec {
  account: Member;
  document: { Version: '2012-10-17'; Statement: unknown };
  attachedTo?: UserName;
}

const POLICIES = {
  FullAdmin: {
    account: 'management',
    document: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } },
    attachedTo: 'ci-deployer',
  },
  EksReadOnly: {
    account: 'management',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['eks:Describe*', 'eks:List*'], Resource: '*' }],
    },
    attachedTo: 'bob',
  },
  UnusedAdmin: {
    account: 'management',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    },
  },
  DevAdmin: {
    account: 'dev',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::dev/*'] },
        { Effect: 'Allow', Action: ['*'], Resource: ['*'] },
      ],
    },
    attachedTo: 'dev-alice',
  },
  DenyAllButRead: {
    account: 'prod',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Action: '*', Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      ],
    },
    attachedTo: 'auditor',
  },
} as const satisfies Record<string, PolicySpec>;

/** Password policies as set (`management` weak, `prod` strong; `dev` has none). */
const PASSWORD_POLICIES: Partial<Record<Member, UpdateAccountPasswordPolicyCommandInput>> = {
  management: {
    MinimumPasswordLength: 8,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    PasswordReusePrevention: 2,
    MaxPasswordAge: 180,
  },
  prod: {
    MinimumPasswordLength: 14,
    RequireNumbers: true,
    RequireSymbols: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    PasswordReusePrevention: 24,
    MaxPasswordAge: 90,
  },
};

/** A cluster as built: where it is and its ARN. */
export interface EstateCluster {
  account: string;
  region: Region;
  name: string;
  arn: string;
}

/** A managed node group as built; `arn` is the one CreateNodegroup returned (with its suffix). */
export interface EstateNodegroup {
  account: string;
  region: Region;
  cluster: string;
  name: string;
  arn: string;
}

/** An IAM user as built. */
export interface EstateUser {
  account: string;
  name: string;
  arn: string;
}

/** A customer managed policy as built. */
export interface EstatePolicy {
  account: string;
  name: string;
  arn: string;
  attached: boolean;
}

/** The scenario's ids and ARNs, from which tests compute the findings they expect. */
export interface MotoEstate {
  endpoint: string;
  /** The management account (the organization's, and the credentials' own). */
  management: string;
  /** The member account with the bad settings (random id from moto's CreateAccount). */
  dev: string;
  /** The member account with the good settings. */
  prod: string;
  /** A member account closed after creation: SUSPENDED, never to be scanned. */
  closed: string;
  /** The three ACTIVE accounts, sorted. */
  accounts: string[];
  /** When building started: every credential report date is at or after it. */
  builtAt: Date;
  clusters: Record<keyof typeof CLUSTERS, EstateCluster>;
  nodegroups: Record<string, EstateNodegroup>;
  users: Record<UserName, EstateUser>;
  policies: Record<keyof typeof POLICIES, EstatePolicy>;
}

type Stacked = { middlewareStack: unknown };

/**
 * Adds moto's `x-moto-account-id` header to every request of `client`.
 *
 * @example const iam = inAccount(new IAMClient({ endpoint, region: 'us-east-1' }), '300000000001');
 */
export function inAccount<C extends Stacked>(client: C, account: string): C {
  (client.middlewareStack as MiddlewareStack<object, object>).add(
    (next) => async (args) => {
      const request = (args as { request?: { headers?: Record<string, string> } }).request;
      if (request?.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccountId' },
  );
  return client;
}

/**
 * The IAM root ARN that names an account's account-level IAM resources (CONTRACTS §1).
 *
 * @example iamRoot('300000000001') // 'arn:aws:iam::300000000001:root'
 */
export function iamRoot(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

/**
 * Builds the scenario in moto under the management account `management` (12 digits, one per test
 * file) and returns its ids and ARNs. Call it once per test file (moto keeps one organization per
 * management account).
 *
 * @example const estate = await buildMotoEstate(inject('motoEndpoint'), '300000000001');
 */
export async function buildMotoEstate(endpoint: string, management: string): Promise<MotoEstate> {
  const builtAt = new Date();
  const base = { endpoint, credentials: FAKE_CREDENTIALS };
  const org = inAccount(new OrganizationsClient({ ...base, region: 'us-east-1' }), management);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const member = async (name: string) => {
    const r = await org.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    const id = r.CreateAccountStatus?.AccountId;
    if (!id || r.CreateAccountStatus?.State !== 'SUCCEEDED') {
      throw new Error(
        `moto CreateAccount ${name} answered ${JSON.stringify(r.CreateAccountStatus)}`,
      );
    }
    return id;
  };
  const ids: Record<Member, string> = {
    management,
    dev: await member('dev'),
    prod: await member('prod'),
  };
  const closed = await member('closed');
  await org.send(new CloseAccountCommand({ AccountId: closed }));

  const iam = (m: Member) => inAccount(new IAMClient({ ...base, region: 'us-east-1' }), ids[m]);
  const eks = (m: Member, region: Region) => inAccount(new EKSClient({ ...base, region }), ids[m]);

  const users = {} as Record<UserName, EstateUser>;
  const buildUser = async (name: UserName, spec: UserSpec) => {
    const client = iam(spec.account);
    const made = await client.send(new CreateUserCommand({ UserName: name }));
    users[name] = { account: ids[spec.account], name, arn: made.User!.Arn! };
    if (spec.console) {
      await client.send(
        new CreateLoginProfileCommand({ UserName: name, Password: 'Correct-Horse-42!' }),
      );
    }
    if (spec.mfa) {
      const device = await client.send(
        new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }),
      );
      await client.send(
        new EnableMFADeviceCommand({
          UserName: name,
          SerialNumber: device.VirtualMFADevice!.SerialNumber!,
          AuthenticationCode1: '123456',
          AuthenticationCode2: '654321',
        }),
      );
    }
    for (const state of spec.keys ?? []) {
      const key = await client.send(new CreateAccessKeyCommand({ UserName: name }));
      if (state === 'inactive') {
        await client.send(
          new UpdateAccessKeyCommand({
            UserName: name,
            AccessKeyId: key.AccessKey!.AccessKeyId!,
            Status: 'Inactive',
          }),
        );
      }
    }
  };

  const clusters = {} as Record<keyof typeof CLUSTERS, EstateCluster>;
  const nodegroups: Record<string, EstateNodegroup> = {};
  const buildCluster = async (name: keyof typeof CLUSTERS, spec: ClusterSpec) => {
    const account = ids[spec.account];
    const client = eks(spec.account, spec.region);
    const made = await client.send(
      new CreateClusterCommand({
        name,
        version: spec.version,
        roleArn: `arn:aws:iam::${account}:role/eks-cluster`,
        resourcesVpcConfig: {
          subnetIds: ['subnet-0a000000000000001', 'subnet-0b000000000000002'],
          ...spec.resourcesVpcConfig,
        },
        ...(spec.kms
          ? {
              encryptionConfig: [
                {
                  resources: ['secrets'],
                  provider: {
                    keyArn: `arn:aws:kms:${spec.region}:${account}:key/0b7e5a3c-1d2f-4e6a-9b8c-${account}`,
                  },
                },
              ],
            }
          : {}),
        ...(spec.logging ? { logging: spec.logging } : {}),
        ...(spec.accessConfig ? { accessConfig: spec.accessConfig } : {}),
      }),
    );
    clusters[name] = { account, region: spec.region, name, arn: made.cluster!.arn! };
    for (const [ng, remoteAccess] of Object.entries(spec.nodegroups)) {
      const created = await client.send(
        new CreateNodegroupCommand({
          clusterName: name,
          nodegroupName: ng,
          nodeRole: `arn:aws:iam::${account}:role/eks-node`,
          subnets: ['subnet-0a000000000000001'],
          scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
          ...(remoteAccess ? { remoteAccess } : {}),
        }),
      );
      nodegroups[ng] = {
        account,
        region: spec.region,
        cluster: name,
        name: ng,
        arn: created.nodegroup!.nodegroupArn!,
      };
    }
  };

  // Users first (policies attach to them), clusters alongside.
  await Promise.all([
    ...Object.entries(USERS).map(([name, spec]) => buildUser(name as UserName, spec)),
    ...Object.entries(CLUSTERS).map(([name, spec]) =>
      buildCluster(name as keyof typeof CLUSTERS, spec),
    ),
    ...Object.entries(PASSWORD_POLICIES).map(([m, policy]) =>
      iam(m as Member).send(new UpdateAccountPasswordPolicyCommand(policy)),
    ),
    ...(['dev', 'prod'] as const).map((m) =>
      iam(m).send(
        new CreateRoleCommand({
          RoleName: READ_ONLY_ROLE,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: iamRoot(management) },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      ),
    ),
  ]);

  const policies = {} as Record<keyof typeof POLICIES, EstatePolicy>;
  await Promise.all(
    Object.entries(POLICIES).map(async ([name, spec]: [string, PolicySpec]) => {
      const client = iam(spec.account);
      const made = await client.send(
        new CreatePolicyCommand({
          PolicyName: name,
          PolicyDocument: JSON.stringify(spec.document),
        }),
      );
      const arn = made.Policy!.Arn!;
      if (spec.attachedTo) {
        await client.send(
          new AttachUserPolicyCommand({ UserName: spec.attachedTo, PolicyArn: arn }),
        );
      }
      policies[name as keyof typeof POLICIES] = {
        account: ids[spec.account],
        name,
        arn,
        attached: !!spec.attachedTo,
      };
    }),
  );

  return {
    endpoint,
    management,
    dev: ids.dev,
    prod: ids.prod,
    closed,
    accounts: Object.values(ids).sort(),
    builtAt,
    clusters,
    nodegroups,
    users,
    policies,
  };
}

/**
 * The `aws.endpoints` of a scan config that sends every service the collector calls to moto.
 *
 * @example const config = scanConfigSchema().parse({ aws: { regions: [...ESTATE_REGIONS], endpoints: motoEndpoints(url) } });
 */
export function motoEndpoints(endpoint: string): {
  eks: string;
  iam: string;
  sts: string;
  organizations: string;
} {
  return { eks: endpoint, iam: endpoint, sts: endpoint, organizations: endpoint };
}

/** One request the collector sent, as moto received it. */
export interface LoggedCall {
  /** `eks:DescribeCluster`. */
  operation: string;
  /** The `x-moto-account-id` header: the account moto answered for. */
  account: string;
  /** The region of the client that sent it. */
  region: string;
  /** The access key id the request was signed with. */
  accessKeyId: string | undefined;
  /** The command's input (for AssumeRole: the role ARN). */
  input: Record<string, unknown>;
}

/** The service prefix of an SDK client name, as CollectRuntime names operations. */
function servicePrefix(clientName: string | undefined): string {
  const name = (clientName ?? '').replace(/Client$/, '');
  return name === 'Organizations' ? 'organizations' : name.toLowerCase();
}

/**
 * The `awsCollector` of `main`'s clients (or the `aws` of `collectScan`'s deps): the collector's
 * own client factory with the fake credentials, every client sending `x-moto-account-id` (the
 * client's account, or `management` for clients made before the account is known), and every
 * request appended to `log`.
 *
 * @example
 * const log: LoggedCall[] = [];
 * const aws = motoCollectorClients(estate.management, log)(config.aws!, runtimeSettings(config));
 * await collectScan(config, { aws });
 */
export function motoCollectorClients(
  management: string,
  log: LoggedCall[] = [],
): (targets: AwsTargets, settings: RuntimeSettings) => AwsClientFactory {
  return (targets, settings) =>
    awsClientFactory(targets, settings, {
      credentials: FAKE_CREDENTIALS,
      decorate: (client, p: AwsClientParams) => {
        const account = p.account ?? management;
        inAccount(client, account);
        (client.middlewareStack as MiddlewareStack<object, object>).add(
          (next, context) => async (args) => {
            const request = (args as { request?: { headers?: Record<string, string> } }).request;
            const auth = request?.headers?.authorization ?? '';
            log.push({
              operation: `${servicePrefix(context.clientName)}:${(context.commandName ?? '').replace(/Command$/, '')}`,
              account: request?.headers?.['x-moto-account-id'] ?? '',
              region: p.region,
              accessKeyId: /Credential=([^/]+)\//.exec(auth)?.[1],
              input: (args as { input?: Record<string, unknown> }).input ?? {},
            });
            return next(args);
          },
          // After signing: the log sees the credentials the request was signed with.
          { step: 'deserialize', name: 'motoCallLog' },
        );
      },
    });
}
