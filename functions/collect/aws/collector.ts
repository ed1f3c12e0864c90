/**
 * The AWS collector. `planAws` turns the config's targets into scan units, one per account
 * (GetCallerIdentity; Organizations ListAccounts for `accounts: organization`); `collectAwsUnit`
 * reads one account: it assumes the read-only role (the account of the credentials is read with
 * them as they are), then reads IAM once and EKS in every region.
 *
 * Units are plain JSON so that a Step Functions Map can hand them to another function.
 */
import { type Account, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { CollectionError } from '../../../checks/types.ts';
import type { AwsTargets } from '../../config/scan-config.ts';
import type { Collector } from '../collector.ts';
import { AWS_EKS_TYPES, AWS_IAM_TYPES, AWS_TYPES } from '../resource-types.ts';
import { type Collected, type CollectRuntime, collectionError, readPages } from '../runtime.ts';
import { assumeRole } from './assume-role.ts';
import type { AwsClientFactory, AwsClientParams } from './clients.ts';
import { collectEksRegion } from './eks.ts';
import { collectIam } from './iam.ts';

export { AWS_TYPES };

/** One AWS account to read. */
export interface AwsScanUnit {
  provider: 'aws';
  account: string;
  partition: string;
  regions: string[];
  /** The role to assume; absent for the account of the credentials themselves. */
  roleArn?: string;
  externalId?: string;
  /** How long to wait for the IAM credential report, in ms. */
  reportWaitMs: number;
}

/** The planned units, and what planning could not read. */
export interface AwsPlan {
  units: AwsScanUnit[];
  errors: CollectionError[];
  /** The account of the credentials (the management account for `organization`). */
  callerAccount?: string;
}

/** The region STS, IAM and Organizations are called in: the first configured one. */
const homeRegion = (targets: AwsTargets) => targets.regions[0] ?? 'us-east-1';

/**
 * The accounts to scan, as units. If the credentials cannot be identified, or the organization
 * cannot be listed, the plan says so in `errors` (every AWS type, unscoped: nothing AWS can PASS)
 * and keeps what it can.
 *
 * @example const plan = await planAws(rt, clients, config.aws, 60_000);
 */
export async function planAws(
  rt: CollectRuntime,
  clients: AwsClientFactory,
  targets: AwsTargets,
  reportWaitMs: number,
): Promise<AwsPlan> {
  const region = homeRegion(targets);
  const errors: CollectionError[] = [];
  let caller: { account: string; partition: string };
  try {
    const sts = clients.sts({ region });
    const id = await rt
      .call('sts:GetCallerIdentity', (s) =>
        sts.send(new GetCallerIdentityCommand({}), { abortSignal: s }),
      )
      .finally(() => sts.destroy());
    if (!id.Account || !id.Arn) throw new Error('GetCallerIdentity answered without Account');
    caller = { account: id.Account, partition: id.Arn.split(':')[1] ?? 'aws' };
  } catch (err) {
    errors.push(collectionError('aws', {}, AWS_TYPES, 'sts:GetCallerIdentity', err));
    return { units: [], errors };
  }

  let accounts: string[];
  if (targets.accounts === 'current') accounts = [caller.account];
  else if (targets.accounts === 'organization') {
    // If the organization's accounts are not all known, no AWS finding may PASS (an unscoped
    // error); the account of the credentials and the accounts of good pages are still read.
    const org = clients.organizations({ account: caller.account, region });
    const on = {
      provider: 'aws' as const,
      scope: {},
      types: AWS_TYPES,
      operation: 'organizations:ListAccounts',
    };
    const listed = await readPages(
      rt,
      { resources: [], errors },
      on,
      (NextToken, s) => org.send(new ListAccountsCommand({ NextToken }), { abortSignal: s }),
      (page) => [page.Accounts, page.NextToken] as const,
    );
    org.destroy();
    accounts = (listed ?? []).filter(isActive).map((a) => a.Id!);
    if (listed && accounts.length === 0) {
      // The management account is always a member: an empty answer is not an organization.
      errors.push(
        collectionError(
          'aws',
          {},
          AWS_TYPES,
          on.operation,
          new Error('ListAccounts answered no ACTIVE account'),
        ),
      );
    }
    if (!accounts.includes(caller.account)) accounts.push(caller.account);
  } else accounts = targets.accounts;

  const excluded = new Set(targets.excludeAccounts);
  const units = [...new Set(accounts)]
    .filter((a) => !excluded.has(a))
    .sort()
    .map(
      (account): AwsScanUnit => ({
        provider: 'aws',
        account,
        partition: caller.partition,
        regions: [...targets.regions],
        reportWaitMs,
        ...(account === caller.account
          ? {}
          : {
              roleArn: `arn:${caller.partition}:iam::${account}:role/${targets.roleName}`,
              ...(targets.externalId ? { externalId: targets.externalId } : {}),
            }),
      }),
    );
  return { units, errors, callerAccount: caller.account };
}

/** ACTIVE accounts: the `State` field, or the older `Status` where `State` is absent. */
function isActive(a: Account): boolean {
  if (!a.Id) return false;
  return (a.State ?? a.Status) === 'ACTIVE';
}

/**
 * Reads one account. A role that cannot be assumed makes every type of the account an error
 * (per region for EKS, so that each region's ERROR is named); other failures are as narrow as
 * the call that failed.
 *
 * @example const { resources, errors } = await collectAwsUnit(rt, clients, unit);
 */
export async function collectAwsUnit(
  rt: CollectRuntime,
  clients: AwsClientFactory,
  unit: AwsScanUnit,
): Promise<Collected> {
  const out: Collected = { resources: [], errors: [] };
  const home = unit.regions[0] ?? 'us-east-1';
  let params: Omit<AwsClientParams, 'region'> = { account: unit.account };
  if (unit.roleArn) {
    try {
      const sts = clients.sts({ region: home });
      const credentials = await assumeRole(rt, sts, {
        roleArn: unit.roleArn,
        sessionName: 'pci-posture',
        ...(unit.externalId ? { externalId: unit.externalId } : {}),
      }).finally(() => sts.destroy());
      params = { account: unit.account, credentials };
    } catch (err) {
      const why = `${unit.roleArn} cannot be assumed`;
      out.errors.push(
        withPrefix(
          collectionError('aws', { account: unit.account }, AWS_IAM_TYPES, 'sts:AssumeRole', err),
          why,
        ),
        ...unit.regions.map((region) =>
          withPrefix(
            collectionError(
              'aws',
              { account: unit.account, region },
              AWS_EKS_TYPES,
              'sts:AssumeRole',
              err,
            ),
            why,
          ),
        ),
      );
      return out;
    }
  }
  const where = { account: unit.account, partition: unit.partition };
  const iam = clients.iam({ ...params, region: home });
  const eks = unit.regions.map((region) => ({
    region,
    client: clients.eks({ ...params, region }),
  }));
  try {
    await Promise.all([
      collectIam(rt, iam, { ...where, reportWaitMs: unit.reportWaitMs }, out),
      ...eks.map(({ region, client }) => collectEksRegion(rt, client, { ...where, region }, out)),
    ]);
  } finally {
    // Each account's clients hold their own sockets: release them once the account is read.
    iam.destroy();
    for (const { client } of eks) client.destroy();
  }
  return out;
}

function withPrefix(e: CollectionError, prefix: string): CollectionError {
  return { ...e, message: `${prefix}: ${e.message}` };
}

/**
 * The AWS collector behind the shared {@link Collector} interface.
 *
 * @example const aws = awsCollector(config.aws, awsClientFactory(config.aws, settings), 60_000);
 */
export function awsCollector(
  targets: AwsTargets,
  clients: AwsClientFactory,
  reportWaitMs: number,
): Collector<AwsScanUnit> {
  return {
    provider: 'aws',
    plan: (rt) => planAws(rt, clients, targets, reportWaitMs),
    collect: (rt, unit) => collectAwsUnit(rt, clients, unit),
    label: (unit) => `aws ${unit.account}`,
    types: AWS_TYPES,
    scope: (unit) => ({ account: unit.account }),
  };
}
