/**
 * Fault injection for the AWS collector. Two halves:
 *
 * - aws-sdk-client-mock, for what moto lacks or cannot fail (EKS add-ons and access config, IAM
 *   paging, a root row in the credential report, denied calls, a report that stays STARTED, an
 *   organization listing that fails): the whole `collectScan` runs on mocked clients and its
 *   inventory is evaluated, so each row states the verdicts the faults lead to.
 * - the real SDK clients (`awsClientFactory`: adaptive retry, maxAttempts, requestTimeout) against
 *   moto through a proxy that throttles, fails, hangs or answers garbage, for the retry and
 *   timeout paths a mock cannot run.
 *
 * Every row also checks that the credentials AssumeRole handed out appear nowhere in the output.
 */
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeAddonCommand,
  type DescribeAddonCommandInput,
  DescribeClusterCommand,
  type DescribeClusterCommandInput,
  DescribeNodegroupCommand,
  type DescribeNodegroupCommandInput,
  EKSClient,
  AccessDeniedException as EksAccessDenied,
  ListAddonsCommand,
  ListClustersCommand,
  type ListClustersCommandInput,
  ListNodegroupsCommand,
  type ListNodegroupsCommandInput,
} from '@aws-sdk/client-eks';
import {
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandInput,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  type ManagedPolicyDetail,
  NoSuchEntityException,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  type Account,
  ListAccountsCommand,
  type ListAccountsCommandInput,
  AccessDeniedException as OrgAccessDenied,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, MiddlewareStack } from '@smithy/types';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { CollectionError, Inventory, Resource } from '../../checks/types.ts';
import { allCollectors } from '../../functions/collect/all-collectors.ts';
import {
  type AwsClientFactory,
  type AwsClientParams,
  awsClientFactory,
} from '../../functions/collect/aws/clients.ts';
import {
  AWS_TYPES,
  type AwsScanUnit,
  collectAwsUnit,
} from '../../functions/collect/aws/collector.ts';
import { AWS_EKS_TYPES } from '../../functions/collect/aws/eks.ts';
import { AWS_IAM_TYPES } from '../../functions/collect/aws/iam.ts';
import {
  type Collected,
  CollectRuntime,
  type RuntimeSettings,
} from '../../functions/collect/runtime.ts';
import { collectScan } from '../../functions/collect/scan.ts';
import { scanConfigSchema } from '../../functions/config/scan-config.ts';
import { evaluate, type Finding } from '../../functions/engine/evaluate.ts';
import {
  type AwsProxy,
  type FaultRule,
  type ProxiedCall,
  startAwsProxy,
  THROTTLED_JSON,
  THROTTLED_XML,
} from '../helpers/aws-proxy.ts';
import { FAKE_CREDENTIALS } from '../helpers/moto.ts';

/** Sends moto's `x-moto-account-id` header on every request of `client` (test/helpers/moto.ts). */
function inAccount<C extends { middlewareStack: unknown }>(client: C, account: string): C {
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

const NOW = new Date('2026-11-26T02:00:00Z');
const DAY = 24 * 3600 * 1000;
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const ROLE = 'PciPostureReadOnly';

/** The checks over AWS types, and their ids grouped by what they judge. */
const AWS_CHECKS = ALL_CHECKS.filter((c) => c.meta.resourceTypes.some((t) => t.startsWith('aws.')));
const IAM_CHECK_IDS = AWS_CHECKS.filter((c) =>
  c.meta.resourceTypes.every((t) => t.startsWith('aws.iam.')),
).map((c) => c.meta.id);
const EKS_CHECK_IDS = AWS_CHECKS.filter((c) =>
  c.meta.resourceTypes.every((t) => t.startsWith('aws.eks.')),
).map((c) => c.meta.id);
const CLUSTER_CHECK_IDS = AWS_CHECKS.filter((c) =>
  c.meta.resourceTypes.includes('aws.eks.cluster'),
).map((c) => c.meta.id);
const USER_CHECK_IDS = AWS_CHECKS.filter((c) =>
  c.meta.resourceTypes.includes('aws.iam.credential-report'),
).map((c) => c.meta.id);

const iamRoot = (account: string) => `arn:aws:iam::${account}:root`;
const roleArn = (account: string) => `arn:aws:iam::${account}:role/${ROLE}`;
const clusterArn = (account: string, region: string, name: string) =>
  `arn:aws:eks:${region}:${account}:cluster/${name}`;
const key = (r: Pick<Resource, 'type' | 'id'>) => `${r.type} ${r.id}`;

/**
 * The credentials the mocked AssumeRole hands out for `account`: recognisable, so that one that
 * leaks into an error or the inventory is found.
 */
function assumedCredentials(account: string) {
  return {
    AccessKeyId: `ASIA${account}LEAK`,
    SecretAccessKey: `wJalrXUtnFEMI/K7MDENG/${account}/bPxRfiCYLEAKEDSECRET`,
    SessionToken: `IQoJb3JpZ2luX2VjE${account}SESSIONTOKENLEAK`,
    Expiration: new Date(NOW.getTime() + 3600_000),
  };
}

/** Fails when any AssumeRole credential of `accounts` appears in `text`. */
function expectNoCredentials(text: string, accounts: readonly string[]): void {
  for (const account of accounts) {
    const c = assumedCredentials(account);
    for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken]) {
      expect(text).not.toContain(secret);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Part 1: the whole scan on mocked clients
// ---------------------------------------------------------------------------------------------

const MGMT = '400000000010';
const DEV = '400000000011';
const PROD = '400000000012';
const ORG = [MGMT, DEV, PROD];

type StsStub = AwsClientStub<STSClient>;
type OrgStub = AwsClientStub<OrganizationsClient>;
type IamStub = AwsClientStub<IAMClient>;
type EksStub = AwsClientStub<EKSClient>;

/** A row's changes to the healthy estate: called after the defaults, so its `.on()` wins. */
interface Arrange {
  sts?: (m: StsStub) => void;
  organizations?: (m: OrgStub) => void;
  iam?: (m: IamStub, account: string) => void;
  eks?: (m: EksStub, account: string, region: string) => void;
}

/** The mocked clients a scan was given, by what they were made for. */
interface MockWorld {
  factory: AwsClientFactory;
  sts: StsStub[];
  organizations: OrgStub[];
  iam: Map<string, IamStub>;
  eks: Map<string, EksStub>;
  /** The credentials each account's IAM and EKS clients were made with. */
  credentials: Map<string, AwsCredentialIdentity | undefined>;
}

const CLUSTER_OF_REGION: Record<string, string> = { 'eu-west-1': 'payments', 'us-east-1': 'edge' };

function goodCluster(account: string, region: string, name: string) {
  return {
    name,
    arn: clusterArn(account, region, name),
    version: '1.33',
    status: 'ACTIVE' as const,
    createdAt: new Date(NOW.getTime() - 30 * DAY),
    roleArn: `arn:aws:iam::${account}:role/eks-cluster`,
    resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true },
    encryptionConfig: [
      {
        resources: ['secrets'],
        provider: { keyArn: `arn:aws:kms:${region}:${account}:key/0b7e5a3c-1d2f-4e6a-9b8c` },
      },
    ],
    logging: {
      clusterLogging: [{ types: ['api', 'audit', 'authenticator'] as const, enabled: true }],
    },
    accessConfig: { authenticationMode: 'API' as const },
  };
}

function addon(account: string, region: string, cluster: string, configurationValues?: string) {
  return {
    addonName: 'vpc-cni',
    clusterName: cluster,
    status: 'ACTIVE' as const,
    addonVersion: 'v1.19.2-eksbuild.1',
    addonArn: `arn:aws:eks:${region}:${account}:addon/${cluster}/vpc-cni/4ec71efc-98dd-3203-60b0`,
    createdAt: new Date(NOW.getTime() - 30 * DAY),
    ...(configurationValues === undefined ? {} : { configurationValues }),
  };
}

const REPORT_COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const iso = (daysAgo: number) =>
  new Date(NOW.getTime() - daysAgo * DAY).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** A credential report row for `user` in `account`, console user with MFA, no keys, active. */
function reportRow(account: string, user: string, over: Record<string, string> = {}): string {
  const row: Record<string, string> = {
    user,
    arn: user === '<root_account>' ? iamRoot(account) : `arn:aws:iam::${account}:user/${user}`,
    user_creation_time: iso(400),
    password_enabled: user === '<root_account>' ? 'not_supported' : 'true',
    password_last_used: iso(3),
    password_last_changed: user === '<root_account>' ? 'not_supported' : iso(30),
    password_next_rotation: user === '<root_account>' ? 'not_supported' : iso(-60),
    mfa_active: 'true',
    access_key_1_active: 'false',
    access_key_1_last_rotated: 'N/A',
    access_key_1_last_used_date: 'N/A',
    access_key_1_last_used_region: 'N/A',
    access_key_1_last_used_service: 'N/A',
    access_key_2_active: 'false',
    access_key_2_last_rotated: 'N/A',
    access_key_2_last_used_date: 'N/A',
    access_key_2_last_used_region: 'N/A',
    access_key_2_last_used_service: 'N/A',
    cert_1_active: 'false',
    cert_1_last_rotated: 'N/A',
    cert_2_active: 'false',
    cert_2_last_rotated: 'N/A',
    ...over,
  };
  return REPORT_COLUMNS.split(',')
    .map((c) => row[c])
    .join(',');
}

const csv = (...rows: string[]) =>
  new TextEncoder().encode(`${REPORT_COLUMNS}\n${rows.join('\n')}\n`);

function managedPolicy(account: string, name: string, statement: unknown): ManagedPolicyDetail {
  return {
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${account}:policy/${name}`,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    IsAttachable: true,
    CreateDate: new Date(NOW.getTime() - 90 * DAY),
    PolicyVersionList: [
      {
        VersionId: 'v1',
        IsDefaultVersion: true,
        Document: encodeURIComponent(
          JSON.stringify({ Version: '2012-10-17', Statement: statement }),
        ),
      },
    ],
  };
}

const readOnly = (account: string, name = 'EksReadOnly') =>
  managedPolicy(account, name, [{ Effect: 'Allow', Action: ['eks:Describe*'], Resource: '*' }]);

const STRONG_PASSWORD_POLICY = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
};

function healthySts(m: StsStub): void {
  m.on(GetCallerIdentityCommand).resolves({
    Account: MGMT,
    Arn: `arn:aws:iam::${MGMT}:user/pci-posture`,
    UserId: 'AIDA400000000010SCAN',
  });
  m.on(AssumeRoleCommand).callsFake(async (input: AssumeRoleCommandInput) => {
    const account = input.RoleArn?.split(':')[4] ?? '';
    return {
      Credentials: assumedCredentials(account),
      AssumedRoleUser: {
        AssumedRoleId: `AROA${account}:pci-posture`,
        Arn: `arn:aws:sts::${account}:assumed-role/${ROLE}/pci-posture`,
      },
    };
  });
}

const active = (id: string): Account => ({
  Id: id,
  Arn: `arn:aws:organizations::${MGMT}:account/o-example/${id}`,
  Name: `account-${id}`,
  State: 'ACTIVE',
  Status: 'ACTIVE',
});

function healthyIam(m: IamStub, account: string): void {
  m.on(GetAccountSummaryCommand).resolves({
    SummaryMap: { AccountAccessKeysPresent: 0, AccountMFAEnabled: 1, Users: 1 },
  });
  m.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: STRONG_PASSWORD_POLICY });
  m.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  m.on(GetCredentialReportCommand).resolves({
    Content: csv(reportRow(account, '<root_account>'), reportRow(account, 'alice')),
    GeneratedTime: new Date(NOW.getTime() - 60_000),
    ReportFormat: 'text/csv',
  });
  m.on(GetAccountAuthorizationDetailsCommand).resolves({
    Policies: [readOnly(account)],
    IsTruncated: false,
  });
}

function healthyEks(m: EksStub, account: string, region: string): void {
  m.on(ListClustersCommand).resolves({ clusters: [CLUSTER_OF_REGION[region]!] });
  m.on(DescribeClusterCommand).callsFake(async (input: DescribeClusterCommandInput) => ({
    cluster: goodCluster(account, region, input.name!),
  }));
  m.on(ListNodegroupsCommand).callsFake(async (input: ListNodegroupsCommandInput) => ({
    nodegroups: [`${input.clusterName}-workers`],
  }));
  m.on(DescribeNodegroupCommand).callsFake(async (input: DescribeNodegroupCommandInput) => ({
    nodegroup: {
      nodegroupName: input.nodegroupName,
      clusterName: input.clusterName,
      nodegroupArn: `arn:aws:eks:${region}:${account}:nodegroup/${input.clusterName}/${input.nodegroupName}/2ec71efc-98dd`,
      status: 'ACTIVE',
      createdAt: new Date(NOW.getTime() - 30 * DAY),
    },
  }));
  m.on(ListAddonsCommand).resolves({ addons: ['vpc-cni'] });
  m.on(DescribeAddonCommand).callsFake(async (input: DescribeAddonCommandInput) => ({
    addon: addon(account, region, input.clusterName!, '{"enableNetworkPolicy":"true"}'),
  }));
}

/** Clients for the healthy estate of {@link ORG}, mocked per client, changed by `arrange`. */
function mockWorld(arrange: Arrange = {}): MockWorld {
  const world: MockWorld = {
    factory: undefined as unknown as AwsClientFactory,
    sts: [],
    organizations: [],
    iam: new Map(),
    eks: new Map(),
    credentials: new Map(),
  };
  // The clients never sign anything (send is stubbed); credentials keep the default chain away.
  const base = (p: AwsClientParams) => ({
    region: p.region,
    credentials: p.credentials ?? FAKE_CREDENTIALS,
  });
  const account = (p: AwsClientParams) => {
    if (!p.account) throw new Error('an IAM or EKS client was made without its account');
    world.credentials.set(p.account, p.credentials);
    return p.account;
  };
  world.factory = {
    sts: (p) => {
      const client = new STSClient(base(p));
      const m = mockClient(client);
      healthySts(m);
      arrange.sts?.(m);
      world.sts.push(m);
      return client;
    },
    organizations: (p) => {
      const client = new OrganizationsClient(base(p));
      const m = mockClient(client);
      m.on(ListAccountsCommand).resolves({ Accounts: ORG.map(active) });
      arrange.organizations?.(m);
      world.organizations.push(m);
      return client;
    },
    iam: (p) => {
      const a = account(p);
      const client = new IAMClient(base(p));
      const m = mockClient(client);
      healthyIam(m, a);
      arrange.iam?.(m, a);
      world.iam.set(a, m);
      return client;
    },
    eks: (p) => {
      const a = account(p);
      const client = new EKSClient(base(p));
      const m = mockClient(client);
      healthyEks(m, a, p.region);
      arrange.eks?.(m, a, p.region);
      world.eks.set(`${a}/${p.region}`, m);
      return client;
    },
  };
  return world;
}

interface MockScan {
  world: MockWorld;
  inventory: Inventory;
  calls: Map<string, number>;
  /** The AWS findings of the evaluated inventory. */
  findings: Finding[];
}

async function scanWithMocks(
  arrange: Arrange = {},
  collection: Record<string, number> = {},
): Promise<MockScan> {
  const world = mockWorld(arrange);
  const config = scanConfigSchema().parse({
    aws: { accounts: 'organization', regions: [...REGIONS], roleName: ROLE },
    kubernetes: { enabled: false },
    collection: {
      concurrency: 8,
      maxAttempts: 2,
      callTimeoutSeconds: 5,
      budgetSeconds: 60,
      credentialReportWaitSeconds: 5,
      ...collection,
    },
  });
  const { inventory, calls } = await collectScan(config, {
    collectors: await allCollectors(config, { aws: world.factory }),
    now: () => NOW,
  });
  const findings = evaluate(inventory).findings.filter((f) => f.provider === 'aws');
  return { world, inventory, calls, findings };
}

const of = (findings: readonly Finding[], checkId: string) =>
  findings.filter((f) => f.checkId === checkId);
const statusById = (findings: readonly Finding[]) =>
  Object.fromEntries(findings.map((f) => [f.resourceId, f.status]));
const inAccountScope = (account: string) => (f: Finding) => f.scope.account === account;

const ALL_AWS_CHECK_IDS = AWS_CHECKS.map((c) => c.meta.id);
const except = (...ids: string[]) => ALL_AWS_CHECK_IDS.filter((id) => !ids.includes(id));

/**
 * Each check of `checkIds` (default: every AWS check) has findings in each account of `accounts`,
 * and all of them PASS.
 */
function expectAllPass(
  findings: readonly Finding[],
  accounts: readonly string[],
  checkIds: readonly string[] = ALL_AWS_CHECK_IDS,
): void {
  for (const id of checkIds) {
    for (const account of accounts) {
      const mine = of(findings, id).filter(inAccountScope(account));
      expect(mine.length, `${id} in ${account}`).toBeGreaterThan(0);
      expect(
        mine.filter((f) => f.status !== 'PASS').map((f) => [f.resourceId, f.status, f.message]),
        `${id} in ${account}`,
      ).toEqual([]);
    }
  }
}

/** Errors in a stable order, to compare as sets. */
const sorted = (errors: readonly CollectionError[]) =>
  [...errors].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/** The 10 resources one healthy account holds: 4 IAM, and per region a cluster, node group, add-on. */
function healthyKeys(account: string, clusters: Record<string, string[]> = {}): string[] {
  const keys = [
    `aws.iam.account-summary ${iamRoot(account)}`,
    `aws.iam.credential-report ${iamRoot(account)}`,
    `aws.iam.password-policy ${iamRoot(account)}`,
    `aws.iam.policy arn:aws:iam::${account}:policy/EksReadOnly`,
  ];
  for (const region of REGIONS) {
    for (const name of clusters[region] ?? [CLUSTER_OF_REGION[region]!]) {
      keys.push(
        `aws.eks.cluster ${clusterArn(account, region, name)}`,
        `aws.eks.nodegroup arn:aws:eks:${region}:${account}:nodegroup/${name}/${name}-workers/2ec71efc-98dd`,
        `aws.eks.addon arn:aws:eks:${region}:${account}:addon/${name}/vpc-cni/4ec71efc-98dd-3203-60b0`,
      );
    }
  }
  return keys;
}

const keysIn = (inventory: Inventory, account: string) =>
  inventory.resources
    .filter((r) => r.scope.account === account)
    .map(key)
    .sort();

interface MockRow {
  name: string;
  arrange?: Arrange;
  collection?: Record<string, number>;
  check: (scan: MockScan) => void;
}

const denied = (what: string) =>
  new EksAccessDenied({
    message: `User: arn:aws:sts::${MGMT}:assumed-role/${ROLE}/pci-posture is not authorized to perform: ${what}`,
    $metadata: { httpStatusCode: 403 },
  });

const MOCK_ROWS: MockRow[] = [
  {
    name: 'healthy organization: every AWS check PASS, add-on network policy and API access mode included, no errors',
    check: ({ inventory, findings, world, calls }) => {
      expect(inventory.errors).toEqual([]);
      for (const account of ORG)
        expect(keysIn(inventory, account)).toEqual(healthyKeys(account).sort());
      expectAllPass(findings, ORG);
      // The add-on PASS rests on the vpc-cni configuration, as DescribeAddon returned it.
      const policyFindings = of(findings, 'eks-network-policy-enforced');
      expect(policyFindings).toHaveLength(ORG.length * REGIONS.length);
      expect(policyFindings[0]!.evidence[0]).toMatchObject({
        path: expect.stringMatching(
          /^arn:aws:eks:.*:addon\/.*\/vpc-cni\/.*#configurationValues\.enableNetworkPolicy$/,
        ),
        value: 'true',
      });
      expect(of(findings, 'eks-access-entries-auth').every((f) => f.status === 'PASS')).toBe(true);
      const addonData = inventory.resources.find((r) => r.type === 'aws.eks.addon')?.data;
      expect(addonData).toMatchObject({
        configurationValues: '{"enableNetworkPolicy":"true"}',
        createdAt: new Date(NOW.getTime() - 30 * DAY).toISOString(),
      });
      // Members are read with the role's credentials, the caller's account with its own.
      expect(world.credentials.get(MGMT)).toBeUndefined();
      for (const member of [DEV, PROD]) {
        expect(world.credentials.get(member)).toMatchObject({
          accessKeyId: assumedCredentials(member).AccessKeyId,
          secretAccessKey: assumedCredentials(member).SecretAccessKey,
          sessionToken: assumedCredentials(member).SessionToken,
        });
      }
      const assumed = world.sts.flatMap((m) =>
        m.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn),
      );
      expect(assumed.sort()).toEqual([roleArn(DEV), roleArn(PROD)]);
      // The fewest calls: per account one describe per object, one list per region and cluster.
      expect(calls.get('eks:DescribeCluster')).toBe(6);
      expect(calls.get('eks:ListClusters')).toBe(6);
      expect(calls.get('sts:AssumeRole')).toBe(2);
    },
  },
  {
    name: 'vpc-cni add-on read but without enableNetworkPolicy (YAML): eks-network-policy-enforced FAIL, not ERROR',
    arrange: {
      eks: (m, account, region) => {
        if (account !== PROD || region !== 'us-east-1') return;
        m.on(DescribeAddonCommand).resolves({
          addon: addon(account, region, 'edge', 'env:\n  AWS_VPC_K8S_CNI_LOGLEVEL: DEBUG\n'),
        });
      },
    },
    check: ({ inventory, findings }) => {
      expect(inventory.errors).toEqual([]);
      expect(statusById(of(findings, 'eks-network-policy-enforced'))).toMatchObject({
        [clusterArn(PROD, 'us-east-1', 'edge')]: 'FAIL',
        [clusterArn(PROD, 'eu-west-1', 'payments')]: 'PASS',
      });
    },
  },
  {
    name: 'vpc-cni add-on enabling network policy in YAML with a boolean: PASS',
    arrange: {
      eks: (m, account, region) => {
        if (account !== DEV || region !== 'eu-west-1') return;
        m.on(DescribeAddonCommand).resolves({
          addon: addon(account, region, 'payments', 'enableNetworkPolicy: true\nenv:\n  X: "1"\n'),
        });
      },
    },
    check: ({ inventory, findings }) => {
      expect(inventory.errors).toEqual([]);
      expect(
        statusById(of(findings, 'eks-network-policy-enforced'))[
          clusterArn(DEV, 'eu-west-1', 'payments')
        ],
      ).toBe('PASS');
    },
  },
  {
    name: 'ListAddons denied for one cluster: its network-policy check ERROR, its other checks and other clusters PASS',
    arrange: {
      eks: (m, account, region) => {
        if (account !== DEV || region !== 'us-east-1') return;
        m.on(ListAddonsCommand).rejects(denied('eks:ListAddons'));
      },
    },
    check: ({ inventory, findings }) => {
      const arn = clusterArn(DEV, 'us-east-1', 'edge');
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: DEV, region: 'us-east-1', cluster: arn },
          types: ['aws.eks.addon'],
          operation: 'eks:ListAddons',
          resourceId: arn,
          message: expect.stringMatching(
            /^AccessDeniedException: User: .* eks:ListAddons \(HTTP 403\)$/,
          ),
        },
      ]);
      const mine = findings.filter((f) => f.resourceId === arn);
      for (const f of mine) {
        expect(f.status, f.checkId).toBe(
          f.checkId === 'eks-network-policy-enforced' ? 'ERROR' : 'PASS',
        );
      }
      expect(mine).toHaveLength(CLUSTER_CHECK_IDS.length);
      expectAllPass(
        findings.filter((f) => f.resourceId !== arn),
        ORG,
      );
    },
  },
  {
    name: 'DescribeAddon denied for the vpc-cni add-on: an error naming the add-on; network-policy ERROR, never FAIL or PASS',
    arrange: {
      eks: (m, account, region) => {
        if (account !== PROD || region !== 'eu-west-1') return;
        m.on(DescribeAddonCommand).rejects(denied('eks:DescribeAddon'));
      },
    },
    check: ({ inventory, findings }) => {
      const arn = clusterArn(PROD, 'eu-west-1', 'payments');
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: PROD, region: 'eu-west-1', cluster: arn },
          types: ['aws.eks.addon'],
          operation: 'eks:DescribeAddon',
          message: expect.stringMatching(
            /^AccessDeniedException: .*eks:DescribeAddon \(HTTP 403\)$/,
          ),
          resourceId: `arn:aws:eks:eu-west-1:${PROD}:addon/payments/vpc-cni`,
        },
      ]);
      expect(statusById(of(findings, 'eks-network-policy-enforced'))[arn]).toBe('ERROR');
      expectAllPass(
        findings.filter(
          (f) => !(f.checkId === 'eks-network-policy-enforced' && f.resourceId === arn),
        ),
        ORG,
      );
    },
  },
  {
    name: 'credential report with the <root_account> row: user checks skip root, root checks read the account summary',
    arrange: {
      iam: (m, account) => {
        const rootWithKeys = reportRow(account, '<root_account>', {
          access_key_1_active: 'true',
          access_key_1_last_rotated: iso(800),
          access_key_1_last_used_date: iso(700),
          mfa_active: 'false',
        });
        if (account === MGMT) {
          m.on(GetAccountSummaryCommand).resolves({
            SummaryMap: { AccountAccessKeysPresent: 1, AccountMFAEnabled: 0 },
          });
        }
        // DEV's summary says no root keys, whatever the report's root row says.
        if (account === MGMT || account === DEV) {
          m.on(GetCredentialReportCommand).resolves({
            Content: csv(rootWithKeys, reportRow(account, 'alice')),
            GeneratedTime: NOW,
          });
        }
      },
    },
    check: ({ inventory, findings }) => {
      expect(inventory.errors).toEqual([]);
      const report = inventory.resources.find(
        (r) => r.type === 'aws.iam.credential-report' && r.scope.account === MGMT,
      );
      expect((report!.data as { rows: Array<Record<string, string>> }).rows[0]).toMatchObject({
        user: '<root_account>',
        arn: iamRoot(MGMT),
        access_key_1_active: 'true',
      });
      expect(statusById(of(findings, 'aws-iam-root-no-access-keys'))).toEqual({
        [iamRoot(MGMT)]: 'FAIL',
        [iamRoot(DEV)]: 'PASS',
        [iamRoot(PROD)]: 'PASS',
      });
      expect(statusById(of(findings, 'aws-iam-root-mfa'))[iamRoot(MGMT)]).toBe('FAIL');
      for (const id of USER_CHECK_IDS) {
        // One finding per user, none for the root row (whose arn is the account root).
        expect(
          of(findings, id)
            .map((f) => f.resourceId)
            .sort(),
          id,
        ).toEqual(ORG.map((a) => `arn:aws:iam::${a}:user/alice`).sort());
        expect(
          of(findings, id).every((f) => f.status === 'PASS'),
          id,
        ).toBe(true);
      }
    },
  },
  {
    name: 'GetAccountAuthorizationDetails over 3 pages: every policy collected, each Marker sent back',
    arrange: {
      iam: (m, account) => {
        if (account !== MGMT) return;
        const pages: Record<
          string,
          { Policies: ManagedPolicyDetail[]; IsTruncated: boolean; Marker?: string }
        > = {
          first: {
            Policies: [readOnly(account), readOnly(account, 'P2')],
            IsTruncated: true,
            Marker: 'm-2',
          },
          'm-2': { Policies: [readOnly(account, 'P3')], IsTruncated: true, Marker: 'm-3' },
          'm-3': {
            Policies: [
              readOnly(account, 'P4'),
              managedPolicy(account, 'FullAdmin', { Effect: 'Allow', Action: '*', Resource: '*' }),
            ],
            IsTruncated: false,
          },
        };
        m.on(GetAccountAuthorizationDetailsCommand).callsFake(
          async (input: GetAccountAuthorizationDetailsCommandInput) =>
            pages[input.Marker ?? 'first'],
        );
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([]);
      const names = inventory.resources
        .filter((r) => r.type === 'aws.iam.policy' && r.scope.account === MGMT)
        .map((r) => (r.data as { PolicyName: string }).PolicyName)
        .sort();
      expect(names).toEqual(['EksReadOnly', 'FullAdmin', 'P2', 'P3', 'P4']);
      const sent = world.iam
        .get(MGMT)!
        .commandCalls(GetAccountAuthorizationDetailsCommand)
        .map((c) => c.args[0].input.Marker);
      expect(sent).toEqual([undefined, 'm-2', 'm-3']);
      // The last page is evaluated like the first.
      expect(statusById(of(findings, 'aws-iam-no-full-admin-policies'))).toMatchObject({
        [`arn:aws:iam::${MGMT}:policy/FullAdmin`]: 'FAIL',
        [`arn:aws:iam::${MGMT}:policy/P4`]: 'PASS',
      });
    },
  },
  {
    name: 'a bad second page: the full-admin policy of the good first page stays FAIL, its harmless policy is ERROR, never PASS',
    arrange: {
      iam: (m, account) => {
        if (account !== MGMT) return;
        m.on(GetAccountAuthorizationDetailsCommand).callsFake(async (input: { Marker?: string }) =>
          input.Marker === undefined
            ? {
                Policies: [
                  readOnly(account),
                  managedPolicy(account, 'Everything', [
                    { Effect: 'Allow', Action: '*', Resource: '*' },
                  ]),
                ],
                IsTruncated: true,
                Marker: 'page-2',
              }
            : { Policies: [], IsTruncated: true },
        );
      },
    },
    check: ({ inventory, findings }) => {
      expect(inventory.errors.map((e) => [e.scope, e.types, e.operation])).toEqual([
        [{ account: MGMT }, ['aws.iam.policy'], 'iam:GetAccountAuthorizationDetails'],
      ]);
      expect(
        statusById(of(findings, 'aws-iam-no-full-admin-policies').filter(inAccountScope(MGMT))),
      ).toEqual({
        [`arn:aws:iam::${MGMT}:policy/EksReadOnly`]: 'ERROR',
        [`arn:aws:iam::${MGMT}:policy/Everything`]: 'FAIL',
      });
    },
  },
  {
    name: 'IsTruncated without a Marker: MalformedPage for aws.iam.policy only, the other IAM types collected',
    arrange: {
      iam: (m, account) => {
        if (account !== MGMT) return;
        m.on(GetAccountAuthorizationDetailsCommand).resolves({
          Policies: [readOnly(account)],
          IsTruncated: true,
        });
      },
    },
    check: ({ inventory, findings }) => {
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: MGMT },
          types: ['aws.iam.policy'],
          operation: 'iam:GetAccountAuthorizationDetails',
          message:
            'MalformedPage: iam:GetAccountAuthorizationDetails answered IsTruncated without a Marker',
        },
      ]);
      expect(keysIn(inventory, MGMT)).toEqual(
        healthyKeys(MGMT)
          .filter((k) => !k.startsWith('aws.iam.policy'))
          .sort(),
      );
      expect(
        statusById(of(findings, 'aws-iam-no-full-admin-policies').filter(inAccountScope(MGMT))),
      ).toEqual({
        [`aws:${MGMT}`]: 'ERROR',
      });
      expectAllPass(findings, ORG, except('aws-iam-no-full-admin-policies'));
    },
  },
  {
    name: 'ListClusters over 3 pages: every cluster collected, each nextToken sent back',
    arrange: {
      eks: (m, account, region) => {
        if (account !== PROD || region !== 'eu-west-1') return;
        const pages: Record<string, { clusters: string[]; nextToken?: string }> = {
          first: { clusters: ['a1', 'a2'], nextToken: 'n-2' },
          'n-2': { clusters: ['b1'], nextToken: 'n-3' },
          'n-3': { clusters: ['c1'] },
        };
        m.on(ListClustersCommand).callsFake(
          async (input: ListClustersCommandInput) => pages[input.nextToken ?? 'first'],
        );
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([]);
      expect(keysIn(inventory, PROD)).toEqual(
        healthyKeys(PROD, { 'eu-west-1': ['a1', 'a2', 'b1', 'c1'] }).sort(),
      );
      const sent = world.eks
        .get(`${PROD}/eu-west-1`)!
        .commandCalls(ListClustersCommand)
        .map((c) => c.args[0].input.nextToken);
      expect(sent).toEqual([undefined, 'n-2', 'n-3']);
      expectAllPass(findings, ORG);
    },
  },
  {
    name: "repeated nextToken: an error for the region's EKS types, the good page's cluster still read (never PASS); the other region and IAM still collected",
    arrange: {
      eks: (m, account, region) => {
        if (account !== DEV || region !== 'eu-west-1') return;
        m.on(ListClustersCommand).resolves({ clusters: ['loop'], nextToken: 'again' });
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: DEV, region: 'eu-west-1' },
          types: [...AWS_EKS_TYPES],
          operation: 'eks:ListClusters',
          message: 'MalformedPage: eks:ListClusters answered the same page token twice',
        },
      ]);
      // Two pages: the second repeats the token, and paging stops there.
      expect(world.eks.get(`${DEV}/eu-west-1`)!.commandCalls(ListClustersCommand)).toHaveLength(2);
      // What the good page named is still read: a FAIL it proves would stay FAIL, and the
      // region's error turns every PASS of it into ERROR.
      expect(keysIn(inventory, DEV)).toEqual(healthyKeys(DEV, { 'eu-west-1': ['loop'] }).sort());
      for (const id of EKS_CHECK_IDS) {
        expect(statusById(of(findings, id).filter(inAccountScope(DEV))), id).toEqual({
          [id === 'eks-nodegroup-no-open-ssh'
            ? `arn:aws:eks:eu-west-1:${DEV}:nodegroup/loop/loop-workers/2ec71efc-98dd`
            : clusterArn(DEV, 'eu-west-1', 'loop')]: 'ERROR',
          [id === 'eks-nodegroup-no-open-ssh'
            ? `arn:aws:eks:us-east-1:${DEV}:nodegroup/edge/edge-workers/2ec71efc-98dd`
            : clusterArn(DEV, 'us-east-1', 'edge')]: 'PASS',
        });
      }
      expectAllPass(findings, ORG, IAM_CHECK_IDS);
      expectAllPass(findings, [MGMT, PROD]);
    },
  },
  {
    name: 'AssumeRole denied for one member: every IAM type per account and EKS type per region ERROR there, never PASS; the others fully collected',
    arrange: {
      sts: (m) => {
        m.on(AssumeRoleCommand, { RoleArn: roleArn(DEV) }).rejects(
          new STSServiceException({
            name: 'AccessDenied',
            $fault: 'client',
            message: `User: arn:aws:iam::${MGMT}:user/pci-posture is not authorized to perform: sts:AssumeRole on resource: ${roleArn(DEV)}`,
            $metadata: { httpStatusCode: 403 },
          }),
        );
      },
    },
    check: ({ inventory, findings, world }) => {
      const why = `${roleArn(DEV)} cannot be assumed: AccessDenied: User: arn:aws:iam::${MGMT}:user/pci-posture is not authorized to perform: sts:AssumeRole on resource: ${roleArn(DEV)} (HTTP 403)`;
      expect(sorted(inventory.errors)).toEqual(
        sorted([
          {
            provider: 'aws' as const,
            scope: { account: DEV },
            types: [...AWS_IAM_TYPES],
            operation: 'sts:AssumeRole',
            message: why,
          },
          ...REGIONS.map((region) => ({
            provider: 'aws' as const,
            scope: { account: DEV, region },
            types: [...AWS_EKS_TYPES],
            operation: 'sts:AssumeRole',
            message: why,
          })),
        ]),
      );
      expect(inventory.errors).toHaveLength(1 + REGIONS.length);
      // Nothing was read in DEV: no client was even made for it.
      expect(keysIn(inventory, DEV)).toEqual([]);
      expect(world.iam.has(DEV)).toBe(false);
      expect([...world.eks.keys()].some((k) => k.startsWith(DEV))).toBe(false);
      for (const account of [MGMT, PROD]) {
        expect(keysIn(inventory, account)).toEqual(healthyKeys(account).sort());
      }
      // DEV: every AWS check ERROR, named by the account for IAM and the account/region for EKS.
      const dev = findings.filter(inAccountScope(DEV));
      expect(dev.filter((f) => f.status !== 'ERROR')).toEqual([]);
      for (const id of IAM_CHECK_IDS) {
        expect(
          of(dev, id).map((f) => f.resourceId),
          id,
        ).toEqual([`aws:${DEV}`]);
      }
      for (const id of EKS_CHECK_IDS) {
        expect(
          of(dev, id)
            .map((f) => f.resourceId)
            .sort(),
          id,
        ).toEqual(REGIONS.map((r) => `aws:${DEV}/${r}`));
      }
      expect(of(dev, 'aws-iam-root-no-access-keys')[0]!.message).toContain('sts:AssumeRole');
      expectAllPass(findings, [MGMT, PROD]);
    },
  },
  {
    name: 'DescribeCluster denied for one cluster: an error naming its ARN; its checks ERROR, its node groups and neighbours unaffected',
    arrange: {
      eks: (m, account, region) => {
        if (account !== MGMT || region !== 'eu-west-1') return;
        m.on(ListClustersCommand).resolves({ clusters: ['payments', 'vault'] });
        m.on(DescribeClusterCommand, { name: 'payments' }).rejects(denied('eks:DescribeCluster'));
      },
    },
    check: ({ inventory, findings }) => {
      const arn = clusterArn(MGMT, 'eu-west-1', 'payments');
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: MGMT, region: 'eu-west-1', cluster: arn },
          types: ['aws.eks.cluster'],
          operation: 'eks:DescribeCluster',
          message: expect.stringMatching(
            /^AccessDeniedException: .*eks:DescribeCluster \(HTTP 403\)$/,
          ),
          resourceId: arn,
        },
      ]);
      expect(keysIn(inventory, MGMT)).toEqual(
        healthyKeys(MGMT, { 'eu-west-1': ['payments', 'vault'] })
          .filter((k) => k !== `aws.eks.cluster ${arn}`)
          .sort(),
      );
      for (const id of CLUSTER_CHECK_IDS) {
        expect(statusById(of(findings, id).filter(inAccountScope(MGMT))), id).toEqual({
          [arn]: 'ERROR',
          [clusterArn(MGMT, 'eu-west-1', 'vault')]: 'PASS',
          [clusterArn(MGMT, 'us-east-1', 'edge')]: 'PASS',
        });
      }
      expectAllPass(
        findings.filter((f) => f.resourceId !== arn),
        ORG,
      );
    },
  },
  {
    name: 'GetAccountPasswordPolicy NoSuchEntity: data null, no error, aws-iam-password-policy FAIL',
    arrange: {
      iam: (m, account) => {
        if (account !== PROD) return;
        m.on(GetAccountPasswordPolicyCommand).rejects(
          new NoSuchEntityException({
            message: `The Password Policy with domain name ${PROD} cannot be found.`,
            $metadata: { httpStatusCode: 404 },
          }),
        );
      },
    },
    check: ({ inventory, findings }) => {
      expect(inventory.errors).toEqual([]);
      const policy = inventory.resources.find(
        (r) => r.type === 'aws.iam.password-policy' && r.scope.account === PROD,
      );
      expect(policy).toMatchObject({ id: iamRoot(PROD), data: null });
      expect(statusById(of(findings, 'aws-iam-password-policy'))).toEqual({
        [iamRoot(MGMT)]: 'PASS',
        [iamRoot(DEV)]: 'PASS',
        [iamRoot(PROD)]: 'FAIL',
      });
    },
  },
  {
    name: 'credential report STARTED, STARTED, COMPLETE: polled three times, then collected',
    arrange: {
      iam: (m, account) => {
        if (account !== DEV) return;
        m.on(GenerateCredentialReportCommand)
          .resolvesOnce({ State: 'STARTED' })
          .resolvesOnce({ State: 'STARTED' })
          .resolves({ State: 'COMPLETE' });
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([]);
      expect(world.iam.get(DEV)!.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
      expect(world.iam.get(DEV)!.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
      expect(world.iam.get(MGMT)!.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
      expect(keysIn(inventory, DEV)).toEqual(healthyKeys(DEV).sort());
      expectAllPass(findings, ORG);
    },
  },
  {
    name: 'credential report never COMPLETE within reportWaitMs: CredentialReportNotReady for aws.iam.credential-report only',
    collection: { credentialReportWaitSeconds: 0.8 },
    arrange: {
      iam: (m, account) => {
        if (account !== MGMT) return;
        m.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: MGMT },
          types: ['aws.iam.credential-report'],
          operation: 'iam:GetCredentialReport',
          message: 'CredentialReportNotReady: the credential report was still STARTED after 0.8 s',
        },
      ]);
      // Polled at 0 and 0.5 s; the next pause (1 s) would pass 0.8 s.
      expect(world.iam.get(MGMT)!.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
      expect(world.iam.get(MGMT)!.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
      expect(keysIn(inventory, MGMT)).toEqual(
        healthyKeys(MGMT)
          .filter((k) => !k.startsWith('aws.iam.credential-report'))
          .sort(),
      );
      for (const id of USER_CHECK_IDS) {
        expect(statusById(of(findings, id).filter(inAccountScope(MGMT))), id).toEqual({
          [`aws:${MGMT}`]: 'ERROR',
        });
      }
      expectAllPass(findings, ORG, except(...USER_CHECK_IDS));
      expectAllPass(findings, [DEV, PROD]);
    },
  },
  {
    name: 'Organizations ListAccounts denied: one unscoped error for every AWS type, the caller account still collected, no AWS finding PASS',
    arrange: {
      organizations: (m) => {
        m.on(ListAccountsCommand).rejects(
          new OrgAccessDenied({
            message: "You don't have permissions to access this resource.",
            $metadata: { httpStatusCode: 400 },
          }),
        );
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([
        {
          provider: 'aws',
          scope: {},
          types: [...AWS_TYPES],
          operation: 'organizations:ListAccounts',
          message:
            "AccessDeniedException: You don't have permissions to access this resource. (HTTP 400)",
        },
      ]);
      expect(inventory.resources.map(key).sort()).toEqual(healthyKeys(MGMT).sort());
      expect(world.sts.flatMap((m) => m.commandCalls(AssumeRoleCommand))).toHaveLength(0);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.filter((f) => f.status === 'PASS')).toEqual([]);
      // What was read still stands behind each finding: all of them are about the caller account.
      expect(findings.every(inAccountScope(MGMT))).toBe(true);
      for (const check of AWS_CHECKS)
        expect(of(findings, check.meta.id).length, check.meta.id).toBeGreaterThan(0);
    },
  },
  {
    name: 'ListAccounts over 2 pages: only ACTIVE accounts scanned (State, or Status where State is absent)',
    arrange: {
      organizations: (m) => {
        const pages: Record<string, { Accounts: Account[]; NextToken?: string }> = {
          first: {
            Accounts: [
              active(MGMT),
              { ...active(DEV), State: 'SUSPENDED', Status: 'SUSPENDED' },
              { Id: PROD, Name: 'prod', Status: 'ACTIVE' },
            ],
            NextToken: 'page-2',
          },
          'page-2': {
            Accounts: [
              { ...active('400000000013'), State: 'PENDING_CLOSURE', Status: 'SUSPENDED' },
              { Id: '400000000014', Name: 'old', Status: 'SUSPENDED' },
              { ...active('400000000015'), State: 'CLOSED', Status: 'SUSPENDED' },
            ],
          },
        };
        m.on(ListAccountsCommand).callsFake(
          async (input: ListAccountsCommandInput) => pages[input.NextToken ?? 'first'],
        );
      },
    },
    check: ({ inventory, findings, world }) => {
      expect(inventory.errors).toEqual([]);
      const scanned = [...new Set(inventory.resources.map((r) => r.scope.account))].sort();
      expect(scanned).toEqual([MGMT, PROD]);
      const assumed = world.sts.flatMap((m) =>
        m.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn),
      );
      expect(assumed).toEqual([roleArn(PROD)]);
      expect(
        world.organizations[0]!.commandCalls(ListAccountsCommand).map(
          (c) => c.args[0].input.NextToken,
        ),
      ).toEqual([undefined, 'page-2']);
      expectAllPass(findings, [MGMT, PROD]);
    },
  },
];

describe.concurrent('AWS collector, mocked clients: faults moto lacks or cannot make', () => {
  for (const row of MOCK_ROWS) {
    it(row.name, async () => {
      const scan = await scanWithMocks(row.arrange, row.collection);
      row.check(scan);
      // Secrets: the role's credentials reach the clients, never the output.
      expectNoCredentials(JSON.stringify(scan.inventory), ORG);
      expectNoCredentials(JSON.stringify(scan.findings), ORG);
    });
  }

  it('keeps AssumeRole credentials out of every error message, even when services fail after it', async () => {
    const scan = await scanWithMocks({
      eks: (m, account, region) => {
        if (account !== DEV || region !== 'eu-west-1') return;
        m.on(DescribeClusterCommand).rejects(denied('eks:DescribeCluster'));
        m.on(ListNodegroupsCommand).rejects(
          Object.assign(new Error('Unexpected token < in JSON\n  Deserialization error: ...'), {
            name: 'SyntaxError',
            $metadata: { httpStatusCode: 200 },
          }),
        );
      },
      iam: (m, account) => {
        if (account !== PROD) return;
        m.on(GetAccountSummaryCommand).rejects(
          Object.assign(new Error('Rate exceeded'), {
            name: 'Throttling',
            $metadata: { httpStatusCode: 400 },
          }),
        );
      },
    });
    expect(scan.inventory.errors.map((e) => e.operation).sort()).toEqual([
      'eks:DescribeCluster',
      'eks:ListNodegroups',
      'iam:GetAccountSummary',
    ]);
    // The failing clients were made with the role's credentials...
    expect(scan.world.credentials.get(DEV)?.secretAccessKey).toBe(
      assumedCredentials(DEV).SecretAccessKey,
    );
    expect(scan.world.credentials.get(PROD)?.sessionToken).toBe(
      assumedCredentials(PROD).SessionToken,
    );
    // ...and nothing of them reaches an error, the inventory or a finding.
    for (const e of scan.inventory.errors) expectNoCredentials(e.message, ORG);
    expectNoCredentials(JSON.stringify(scan.inventory), ORG);
    expectNoCredentials(JSON.stringify(scan.findings), ORG);
  });
});

// ---------------------------------------------------------------------------------------------
// Part 2: the real SDK clients against moto, through a fault-injecting proxy
// ---------------------------------------------------------------------------------------------

/** The moto account of this half (the credentials' own account: no role to assume). */
const ACCOUNT = '400000000001';
/** A member account, read through a mocked AssumeRole (moto does not check the credentials). */
const MEMBER = '400000000002';

const ALPHA = clusterArn(ACCOUNT, 'eu-west-1', 'alpha');
const ALPHA_SCOPE = { account: ACCOUNT, region: 'eu-west-1', cluster: ALPHA };

/** Normal settings for the proxy rows: roomy per-call limits (moto shares two busy cores). */
const PROXY_SETTINGS: RuntimeSettings = {
  concurrency: 8,
  callTimeoutMs: 5000,
  maxAttempts: 3,
  budgetMs: 60_000,
};

/** moto answers EKS add-on calls with a 404 page: answer ListAddons as a cluster without any. */
const NO_ADDONS: FaultRule = {
  match: (call) => /^GET \/clusters\/[^/]+\/addons$/.test(call.operation),
  answer: {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ addons: [] }),
  },
};

const op = (operation: string) => (call: ProxiedCall) => call.operation === operation;
const seen = (proxy: AwsProxy, operation: string) =>
  proxy.calls.filter((c) => c.operation === operation).length;

/** Every request's signing key id and session token, as sent (after signing). */
interface Signed {
  operation: string;
  accessKeyId: string | undefined;
  sessionToken: string | undefined;
}

/** The real client factory, every service pointed at `proxy`, each client in its moto account. */
function proxiedFactory(
  proxy: AwsProxy,
  settings: RuntimeSettings,
  signed: Signed[] = [],
): AwsClientFactory {
  const endpoint = proxy.endpoint;
  return awsClientFactory(
    {
      endpoints: { eks: endpoint, iam: endpoint, sts: endpoint, organizations: endpoint },
      useFipsEndpoints: false,
    },
    settings,
    {
      credentials: FAKE_CREDENTIALS,
      decorate: (client, p) => {
        inAccount(client, p.account ?? ACCOUNT);
        (client.middlewareStack as MiddlewareStack<object, object>).add(
          (next, context) => async (args) => {
            const headers =
              (args as { request?: { headers?: Record<string, string> } }).request?.headers ?? {};
            signed.push({
              operation: context.commandName ?? '',
              accessKeyId: /Credential=([^/]+)\//.exec(headers.authorization ?? '')?.[1],
              sessionToken: headers['x-amz-security-token'],
            });
            return next(args);
          },
          { step: 'deserialize', name: 'signedLog' },
        );
      },
    },
  );
}

interface ProxyRun {
  out: Collected;
  proxy: AwsProxy;
  rt: CollectRuntime;
}

/**
 * Collects `unit` (default: {@link ACCOUNT}, no role) with the real clients through a new proxy
 * answering `faults`. A unit with a role assumes it through a mocked STS client that hands out
 * {@link assumedCredentials}; the other services stay real.
 */
async function collectThroughProxy(
  faults: FaultRule[],
  settings: RuntimeSettings,
  unit: Partial<AwsScanUnit> = {},
  signed: Signed[] = [],
): Promise<ProxyRun> {
  const proxy = await startAwsProxy(inject('motoEndpoint'), { faults: [...faults, NO_ADDONS] });
  const rt = new CollectRuntime(settings);
  const real = proxiedFactory(proxy, settings, signed);
  const factory: AwsClientFactory = {
    ...real,
    sts: (p) => {
      const client = real.sts(p);
      const m = mockClient(client);
      m.on(AssumeRoleCommand).callsFake(async (input: AssumeRoleCommandInput) => ({
        Credentials: assumedCredentials(input.RoleArn?.split(':')[4] ?? ''),
      }));
      return client;
    },
  };
  try {
    const out = await collectAwsUnit(rt, factory, {
      provider: 'aws',
      account: ACCOUNT,
      partition: 'aws',
      regions: [...REGIONS],
      reportWaitMs: 5000,
      ...unit,
    });
    return { out, proxy, rt };
  } finally {
    rt.close();
    await proxy.close();
  }
}

/** What a fault-free collection of {@link ACCOUNT} holds (type and id), sorted. */
const BASELINE = [
  `aws.eks.cluster ${ALPHA}`,
  `aws.eks.cluster ${clusterArn(ACCOUNT, 'us-east-1', 'beta')}`,
  'aws.eks.nodegroup alpha-workers',
  `aws.iam.account-summary ${iamRoot(ACCOUNT)}`,
  `aws.iam.credential-report ${iamRoot(ACCOUNT)}`,
  `aws.iam.password-policy ${iamRoot(ACCOUNT)}`,
  `aws.iam.policy arn:aws:iam::${ACCOUNT}:policy/EksDescribe`,
].sort();

/** Resource keys, node groups by name (moto's ARNs end in a random suffix). */
const keysOf = (out: Collected) =>
  out.resources
    .map((r) =>
      r.type === 'aws.eks.nodegroup'
        ? `${r.type} ${(r.data as { nodegroupName: string }).nodegroupName}`
        : key(r),
    )
    .sort();

interface ProxyRow {
  name: string;
  faults: FaultRule[];
  settings?: Partial<RuntimeSettings>;
  check: (run: ProxyRun) => void;
}

const jsonError = (status: number, type: string, message: string) => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message }),
});
const xmlError = (status: number, code: string, message: string) => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse><Error><Type>Receiver</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
});

const PROXY_ROWS: ProxyRow[] = [
  {
    name: 'EKS 429 ThrottlingException twice and IAM Throttling twice, then success: everything collected, no errors, the retries seen',
    faults: [
      { match: op('GET /clusters'), answer: THROTTLED_JSON, times: 2 },
      { match: op('GetAccountSummary'), answer: THROTTLED_XML, times: 2 },
    ],
    check: ({ out, proxy, rt }) => {
      expect(out.errors).toEqual([]);
      expect(keysOf(out)).toEqual(BASELINE);
      // One ListClusters per region, plus the two throttled attempts; three GetAccountSummary.
      expect(seen(proxy, 'GET /clusters')).toBe(REGIONS.length + 2);
      expect(seen(proxy, 'GetAccountSummary')).toBe(3);
      // The retries are the client's: the runtime made one call per operation.
      expect(rt.calls.get('eks:ListClusters')).toBe(REGIONS.length);
      expect(rt.calls.get('iam:GetAccountSummary')).toBe(1);
    },
  },
  {
    name: 'a 500 then success (EKS and IAM): everything collected, no errors',
    faults: [
      {
        match: op('GET /clusters/alpha'),
        answer: jsonError(500, 'ServerException', 'An internal error occurred'),
        times: 1,
      },
      {
        match: op('GetAccountAuthorizationDetails'),
        answer: xmlError(500, 'ServiceFailure', 'Internal failure'),
        times: 1,
      },
    ],
    check: ({ out, proxy }) => {
      expect(out.errors).toEqual([]);
      expect(keysOf(out)).toEqual(BASELINE);
      expect(seen(proxy, 'GET /clusters/alpha')).toBe(2);
      expect(seen(proxy, 'GetAccountAuthorizationDetails')).toBe(2);
    },
  },
  {
    name: 'DescribeCluster hangs: after maxAttempts timeouts, an error for that cluster alone, the rest collected',
    // Small enough to keep the test short, large enough for moto on a loaded machine.
    settings: { callTimeoutMs: 1000, maxAttempts: 2 },
    faults: [{ match: op('GET /clusters/alpha'), answer: 'hang' }],
    check: ({ out, proxy }) => {
      expect(out.errors).toEqual([
        {
          provider: 'aws',
          scope: ALPHA_SCOPE,
          types: ['aws.eks.cluster'],
          operation: 'eks:DescribeCluster',
          message: expect.stringMatching(/^TimeoutError: .*1000 ms requestTimeout/),
          resourceId: ALPHA,
        },
      ]);
      expect(keysOf(out)).toEqual(BASELINE.filter((k) => k !== `aws.eks.cluster ${ALPHA}`));
      expect(seen(proxy, 'GET /clusters/alpha')).toBe(2);
    },
  },
  {
    name: 'an HTML page with HTTP 200 instead of JSON: an error with a readable message for that list alone',
    faults: [
      {
        match: op('GET /clusters/alpha/node-groups'),
        answer: {
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: '<html><body><h1>Welcome to nginx!</h1></body></html>',
        },
      },
    ],
    check: ({ out, proxy }) => {
      expect(out.errors).toEqual([
        {
          provider: 'aws',
          scope: ALPHA_SCOPE,
          types: ['aws.eks.nodegroup'],
          operation: 'eks:ListNodegroups',
          resourceId: ALPHA_SCOPE.cluster,
          message: 'SyntaxError: the answer is not the JSON or XML the API documents (HTTP 200)',
        },
      ]);
      expect(keysOf(out)).toEqual(BASELINE.filter((k) => k !== 'aws.eks.nodegroup alpha-workers'));
      // Not retried: a body that cannot be read is not transient.
      expect(seen(proxy, 'GET /clusters/alpha/node-groups')).toBe(1);
    },
  },
  {
    name: 'garbage instead of XML from IAM: an error for the account summary alone, its body not quoted',
    faults: [
      {
        match: op('GetAccountSummary'),
        answer: {
          status: 200,
          headers: { 'content-type': 'text/xml' },
          body: 'SECRET-BODY <<< }}}',
        },
      },
    ],
    check: ({ out }) => {
      expect(out.errors).toEqual([
        {
          provider: 'aws',
          scope: { account: ACCOUNT },
          types: ['aws.iam.account-summary'],
          operation: 'iam:GetAccountSummary',
          message: expect.stringMatching(
            /^\w+: the answer is not the JSON or XML the API documents \(HTTP 200\)$/,
          ),
        },
      ]);
      expect(out.errors[0]!.message).not.toContain('SECRET-BODY');
      expect(keysOf(out)).toEqual(BASELINE.filter((k) => !k.startsWith('aws.iam.account-summary')));
    },
  },
  {
    name: 'throttling that never ends: an error after exactly maxAttempts calls, for that type alone',
    faults: [
      { match: op('GetAccountPasswordPolicy'), answer: THROTTLED_XML },
      {
        match: (c) => c.operation.startsWith('GET /clusters/alpha/node-groups/'),
        answer: THROTTLED_JSON,
      },
    ],
    check: ({ out, proxy }) => {
      const byOperation = Object.fromEntries(out.errors.map((e) => [e.operation, e]));
      expect(out.errors).toHaveLength(2);
      expect(byOperation['iam:GetAccountPasswordPolicy']).toEqual({
        provider: 'aws',
        scope: { account: ACCOUNT },
        types: ['aws.iam.password-policy'],
        operation: 'iam:GetAccountPasswordPolicy',
        message: 'Throttling: Rate exceeded (HTTP 400)',
      });
      expect(byOperation['eks:DescribeNodegroup']).toEqual({
        provider: 'aws',
        scope: ALPHA_SCOPE,
        types: ['aws.eks.nodegroup'],
        operation: 'eks:DescribeNodegroup',
        message: 'ThrottlingException: Rate exceeded (HTTP 429)',
        resourceId: `arn:aws:eks:eu-west-1:${ACCOUNT}:nodegroup/alpha/alpha-workers`,
      });
      expect(seen(proxy, 'GetAccountPasswordPolicy')).toBe(PROXY_SETTINGS.maxAttempts);
      expect(seen(proxy, 'GET /clusters/alpha/node-groups/alpha-workers')).toBe(
        PROXY_SETTINGS.maxAttempts,
      );
      expect(keysOf(out)).toEqual(
        BASELINE.filter(
          (k) =>
            !k.startsWith('aws.iam.password-policy') && k !== 'aws.eks.nodegroup alpha-workers',
        ),
      );
    },
  },
  {
    name: 'the budget runs out while ListClusters hangs: BudgetExceeded errors for the EKS types of both regions, IAM collected',
    settings: { budgetMs: 2500 },
    faults: [{ match: op('GET /clusters'), answer: 'hang' }],
    check: ({ out, rt }) => {
      expect(sorted(out.errors)).toEqual(
        sorted(
          REGIONS.map((region) => ({
            provider: 'aws' as const,
            scope: { account: ACCOUNT, region },
            types: [...AWS_EKS_TYPES],
            operation: 'eks:ListClusters',
            message: 'BudgetExceeded: collection budget of 2.5 s ran out',
          })),
        ),
      );
      expect(rt.budget.aborted).toBe(true);
      expect(keysOf(out)).toEqual(BASELINE.filter((k) => k.startsWith('aws.iam.')));
    },
  },
];

describe.concurrent('AWS collector, real SDK clients through a faulty proxy to moto', () => {
  beforeAll(async () => {
    const base = { endpoint: inject('motoEndpoint'), credentials: FAKE_CREDENTIALS };
    const iam = (account: string) =>
      inAccount(new IAMClient({ ...base, region: 'us-east-1' }), account);
    const eks = (account: string, region: string) =>
      inAccount(new EKSClient({ ...base, region }), account);
    const cluster = (account: string, region: string, name: string) =>
      eks(account, region).send(
        new CreateClusterCommand({
          name,
          version: '1.33',
          roleArn: `arn:aws:iam::${account}:role/eks-cluster`,
          resourcesVpcConfig: { subnetIds: ['subnet-0a000000000000001'] },
        }),
      );
    await Promise.all([
      cluster(ACCOUNT, 'eu-west-1', 'alpha').then(() =>
        eks(ACCOUNT, 'eu-west-1').send(
          new CreateNodegroupCommand({
            clusterName: 'alpha',
            nodegroupName: 'alpha-workers',
            nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node`,
            subnets: ['subnet-0a000000000000001'],
          }),
        ),
      ),
      cluster(ACCOUNT, 'us-east-1', 'beta'),
      cluster(MEMBER, 'eu-west-1', 'gamma'),
      (async () => {
        const client = iam(ACCOUNT);
        await client.send(new CreateUserCommand({ UserName: 'carol' }));
        await client.send(
          new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Correct-Horse-42!' }),
        );
        await client.send(new UpdateAccountPasswordPolicyCommand(STRONG_PASSWORD_POLICY));
        await client.send(
          new CreatePolicyCommand({
            PolicyName: 'EksDescribe',
            PolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'eks:Describe*', Resource: '*' }],
            }),
          }),
        );
        // moto answers the first GenerateCredentialReport STARTED: ask once now.
        await client.send(new GenerateCredentialReportCommand({}));
      })(),
      (async () => {
        const client = iam(MEMBER);
        await client.send(new CreateUserCommand({ UserName: 'dave' }));
        await client.send(new GenerateCredentialReportCommand({}));
      })(),
    ]);
  }, 30_000);

  it('collects the moto estate without faults: the baseline the rows compare with', async () => {
    const { out, proxy } = await collectThroughProxy([], PROXY_SETTINGS);
    expect(out.errors).toEqual([]);
    expect(keysOf(out)).toEqual(BASELINE);
    // The proxy answered the add-on lists; everything else was moto's.
    expect(seen(proxy, 'GET /clusters/alpha/addons')).toBe(1);
    // No password policy problem: moto's answer is the one set up.
    const policy = out.resources.find((r) => r.type === 'aws.iam.password-policy');
    expect(policy?.data).toMatchObject({ MinimumPasswordLength: 14, PasswordReusePrevention: 24 });
  });

  for (const row of PROXY_ROWS) {
    it(row.name, async () => {
      const settings = { ...PROXY_SETTINGS, ...row.settings };
      row.check(await collectThroughProxy(row.faults, settings));
    });
  }

  it('reads an account without a password policy (real NoSuchEntity) as null, with no error', async () => {
    const { out } = await collectThroughProxy([], PROXY_SETTINGS, {
      account: MEMBER,
      roleArn: roleArn(MEMBER),
    });
    expect(out.errors).toEqual([]);
    expect(out.resources.find((r) => r.type === 'aws.iam.password-policy')).toMatchObject({
      id: iamRoot(MEMBER),
      data: null,
    });
  });

  it("keeps the assumed role's credentials out of errors and the inventory while they sign real requests", async () => {
    const signed: Signed[] = [];
    const creds = assumedCredentials(MEMBER);
    const { out } = await collectThroughProxy(
      [
        {
          match: op('GET /clusters/gamma'),
          answer: jsonError(
            403,
            'AccessDeniedException',
            `User: arn:aws:sts::${MEMBER}:assumed-role/${ROLE}/pci-posture is not authorized to perform: eks:DescribeCluster`,
          ),
        },
        {
          match: op('GetAccountSummary'),
          answer: { status: 200, headers: { 'content-type': 'text/xml' }, body: '<<garbage' },
        },
        { match: op('GET /clusters/gamma/node-groups'), answer: THROTTLED_JSON },
        {
          // AWS quotes the canonical request, signed headers included, after the first line.
          match: op('GetAccountPasswordPolicy'),
          answer: xmlError(
            403,
            'SignatureDoesNotMatch',
            [
              'The request signature we calculated does not match the signature you provided.',
              '',
              'The Canonical String for this request should have been',
              `'POST\n/\n\nhost:iam.amazonaws.com\nx-amz-security-token:${creds.SessionToken}\n'`,
            ].join('\n'),
          ),
        },
      ],
      { ...PROXY_SETTINGS, maxAttempts: 2 },
      { account: MEMBER, roleArn: roleArn(MEMBER) },
      signed,
    );
    expect(out.errors.map((e) => e.operation).sort()).toEqual([
      'eks:DescribeCluster',
      'eks:ListNodegroups',
      'iam:GetAccountPasswordPolicy',
      'iam:GetAccountSummary',
    ]);
    expect(out.errors.find((e) => e.operation === 'iam:GetAccountPasswordPolicy')?.message).toBe(
      'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. (HTTP 403)',
    );
    expect(out.errors.find((e) => e.operation === 'eks:DescribeCluster')).toMatchObject({
      resourceId: clusterArn(MEMBER, 'eu-west-1', 'gamma'),
      message: expect.stringMatching(/^AccessDeniedException: User: .* \(HTTP 403\)$/),
    });
    // Every IAM and EKS request (STS is mocked: it sends nothing) was signed with the role's key
    // and carried its session token.
    expect(signed.length).toBeGreaterThan(5);
    for (const s of signed) {
      expect(s.accessKeyId, s.operation).toBe(creds.AccessKeyId);
      expect(s.sessionToken, s.operation).toBe(creds.SessionToken);
    }
    // None of it in any error or anywhere in what was collected.
    for (const e of out.errors) expectNoCredentials(e.message, [MEMBER]);
    expectNoCredentials(JSON.stringify(out), [MEMBER]);
  });
});

describe('a scan survives what its collectors did not foresee', () => {
  const config = (kubernetes: boolean) =>
    scanConfigSchema().parse({
      aws: { accounts: 'organization', regions: [...REGIONS], roleName: ROLE },
      kubernetes: { enabled: kubernetes },
      collection: {
        concurrency: 8,
        maxAttempts: 2,
        budgetSeconds: 60,
        credentialReportWaitSeconds: 5,
      },
    });

  it('clusters that could not be listed leave their Kubernetes objects unknown: no Kubernetes check and no requirement PASSes for them', async () => {
    const world = mockWorld({
      eks: (m, account, region) => {
        if (account === DEV && region === 'eu-west-1') {
          m.on(ListClustersCommand).rejects(denied('eks:ListClusters'));
        }
      },
    });
    const { inventory } = await collectScan(config(true), {
      collectors: await allCollectors(config(true), { aws: world.factory }),
      now: () => NOW,
    });
    const unknown = inventory.errors.filter(
      (e) => e.provider === 'kubernetes' && e.scope.cluster === undefined,
    );
    expect(unknown.map((e) => [e.scope, e.operation])).toEqual([
      [{ account: DEV, region: 'eu-west-1' }, 'eks:ListClusters'],
    ]);
    const evaluation = evaluate(inventory);
    const adminBindings = evaluation.findings.filter(
      (f) => f.checkId === 'k8s-cluster-admin-restricted',
    );
    expect(adminBindings.map((f) => f.status)).not.toContain('PASS');
    expect(adminBindings.map((f) => f.resourceId)).toContain(`kubernetes:${DEV}/eu-west-1`);
    // 7.2.2 mixes IAM and Kubernetes checks: unread Kubernetes objects keep it from PASS.
    const r722 = evaluation.requirements.find((r) => r.id === '7.2.2');
    expect(r722?.status).not.toBe('PASS');
    expect(r722?.status).not.toBe('NOT_TESTED');
  });

  it('a collector that throws for one account loses that account only', async () => {
    const world = mockWorld();
    const factory: AwsClientFactory = {
      ...world.factory,
      eks: (p) => {
        if (p.account === DEV) throw new TypeError('endpoint resolution broke for this account');
        return world.factory.eks(p);
      },
    };
    const { inventory } = await collectScan(config(false), {
      collectors: await allCollectors(config(false), { aws: factory }),
      now: () => NOW,
    });
    expect(inventory.errors).toEqual([
      {
        provider: 'aws',
        scope: { account: DEV },
        types: [...AWS_TYPES],
        operation: 'aws:collect',
        message: 'TypeError: endpoint resolution broke for this account',
      },
    ]);
    for (const account of [MGMT, PROD]) {
      expect(keysIn(inventory, account)).toEqual(healthyKeys(account).sort());
    }
    const findings = evaluate(inventory).findings.filter((f) => f.scope.account === DEV);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.status)).not.toContain('PASS');
  });

  it('a plan that throws becomes an unscoped error, and the report is still made', async () => {
    const world = mockWorld();
    const factory: AwsClientFactory = {
      ...world.factory,
      // Made outside any guarded call of the plan: only collectScan's own guard catches it.
      organizations: () => {
        throw new Error('no region could be resolved');
      },
    };
    const result = await collectScan(config(false), {
      collectors: await allCollectors(config(false), { aws: factory }),
      now: () => NOW,
    });
    expect(result.units).toBe(0);
    expect(result.inventory.errors).toEqual([
      {
        provider: 'aws',
        scope: {},
        types: [...AWS_TYPES],
        operation: 'aws:plan',
        message: 'Error: no region could be resolved',
      },
    ]);
    const checks = evaluate(result.inventory).findings.filter((f) => f.provider === 'aws');
    expect(new Set(checks.map((f) => `${f.resourceId} ${f.status}`))).toEqual(
      new Set(['aws:* ERROR']),
    );
  });

  it('an organization that lists no ACTIVE account is an error, and the account of the credentials is still read', async () => {
    const world = mockWorld({
      organizations: (m) => {
        m.on(ListAccountsCommand).resolves({
          Accounts: [{ ...active(DEV), State: 'SUSPENDED', Status: 'SUSPENDED' }],
        });
      },
    });
    const { inventory } = await collectScan(config(false), {
      collectors: await allCollectors(config(false), { aws: world.factory }),
      now: () => NOW,
    });
    expect(inventory.errors.map((e) => [e.scope, e.operation, e.message])).toEqual([
      [{}, 'organizations:ListAccounts', 'Error: ListAccounts answered no ACTIVE account'],
    ]);
    expect(keysIn(inventory, MGMT)).toEqual(healthyKeys(MGMT).sort());
    expect(keysIn(inventory, DEV)).toEqual([]);
  });
});
