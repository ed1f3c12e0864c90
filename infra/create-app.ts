/**
 * The CDK app: the `PciPosture` stack (the checker) and the `PciPostureMemberRole` stack (the
 * member role, for StackSets), from CDK context, with cdk-nag. `infra/app.ts` runs it; tests call
 * it with their own context.
 *
 * Context (`-c key=value` or cdk.json):
 * - `config`: a scan configuration file (YAML or JSON). Without it: this account's EKS clusters in
 *   `region` (`-c region=`, else CDK_DEFAULT_REGION, else us-east-1), with a synth warning.
 * - `objectLockMode`, `retentionDays`, `archiveTransitionDays`, `stagingExpirationDays`,
 *   `maxConcurrency`, `scheduleExpression`, `scheduleTimeZone`, `collectRoleName`,
 *   `collectKubernetesRoleName`: the props of `PciPostureChecker`; `notificationEmails`:
 *   comma-separated addresses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, App, type AppProps, Stack } from 'aws-cdk-lib';
import {
  ASSET_RESOURCE_METADATA_ENABLED_CONTEXT,
  PATH_METADATA_ENABLE_CONTEXT,
} from 'aws-cdk-lib/cx-api';
import { loadScanConfig } from '../functions/config/scan-config.ts';
import { InputError } from '../functions/errors.ts';
import { REPO_ROOT } from './bundling.ts';
import { PciPostureMemberRoleStack } from './member-role.ts';
import { applyNag } from './nag.ts';
import {
  type ObjectLockMode,
  PciPostureChecker,
  type PciPostureCheckerProps,
} from './pci-posture-checker.ts';

/** The stacks' names. */
export const STACK_NAMES = { checker: 'PciPosture', memberRole: 'PciPostureMemberRole' } as const;

/** The region of the default configuration when neither `-c region=` nor CDK_DEFAULT_REGION is set. */
export const FALLBACK_REGION = 'us-east-1';

/**
 * The context `cdk` gives the app from cdk.json (the feature flags) and by default (construct
 * paths and asset locations in the template), so that `node infra/app.ts` run alone (a benchmark,
 * a test) builds the same templates as `npx cdk synth`. The CLI's own context still wins.
 *
 * @example new App({ context: cliDefaultContext() });
 */
export function cliDefaultContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return {
    ...cdkJson.context,
    [PATH_METADATA_ENABLE_CONTEXT]: true,
    [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true,
  };
}

/** What {@link createApp} made. */
export interface PciPostureApp {
  app: App;
  checkerStack: Stack;
  checker: PciPostureChecker;
  memberRoleStack: PciPostureMemberRoleStack;
}

const WHERE = 'CDK context (-c)';

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InputError(WHERE, key, `must be a string, got ${JSON.stringify(value)}`);
}

function contextInt(app: App, key: string): number | undefined {
  const text = contextString(app, key);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) {
    throw new InputError(WHERE, key, `must be a whole number, got ${JSON.stringify(text)}`);
  }
  return Number(text.trim());
}

/** The checker's props from context; a context value that cannot be read throws an InputError. */
function checkerProps(app: App, stack: Stack): PciPostureCheckerProps {
  const file = contextString(app, 'config');
  let config: object;
  if (file) {
    config = loadScanConfig(file);
  } else {
    const region =
      contextString(app, 'region') ?? process.env.CDK_DEFAULT_REGION ?? FALLBACK_REGION;
    config = { aws: { accounts: 'current', regions: [region] } };
    Annotations.of(stack).addWarningV2(
      'pci-posture:defaultConfig',
      `no scan configuration given (-c config=FILE): scanning only the EKS clusters and IAM of the deployment account in ${region}. Give a configuration file for an organization or more regions.`,
    );
  }
  const mode = contextString(app, 'objectLockMode');
  const emails = contextString(app, 'notificationEmails');
  const optional = {
    objectLockMode: mode as ObjectLockMode | undefined,
    retentionDays: contextInt(app, 'retentionDays'),
    archiveTransitionDays: contextInt(app, 'archiveTransitionDays'),
    stagingExpirationDays: contextInt(app, 'stagingExpirationDays'),
    maxConcurrency: contextInt(app, 'maxConcurrency'),
    scheduleExpression: contextString(app, 'scheduleExpression'),
    scheduleTimeZone: contextString(app, 'scheduleTimeZone'),
    collectRoleName: contextString(app, 'collectRoleName'),
    collectKubernetesRoleName: contextString(app, 'collectKubernetesRoleName'),
    notificationEmails: emails
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean),
  };
  return {
    config,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Builds the app: both stacks, with cdk-nag. Throws an `InputError` for a bad config file or
 * context value, a `PropsError` for a prop the construct refuses.
 *
 * @example const { app } = createApp(); app.synth();
 */
export function createApp(props: AppProps = {}): PciPostureApp {
  const app = new App({ ...props, context: { ...cliDefaultContext(), ...props.context } });
  const env = {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };
  const checkerStack = new Stack(app, STACK_NAMES.checker, {
    env,
    description: 'pci-posture: nightly signed PCI DSS posture reports of Kubernetes estates',
  });
  const checkerOptions = checkerProps(app, checkerStack);
  const checker = new PciPostureChecker(checkerStack, 'Checker', checkerOptions);
  const aws = checker.scanConfig.aws;
  const memberRoleStack = new PciPostureMemberRoleStack(app, STACK_NAMES.memberRole, {
    collectRoleName: checker.collectRoleName,
    collectKubernetesRoleName: checker.collectKubernetesRoleName,
    ...(aws ? { roleName: aws.roleName, regions: aws.regions } : {}),
  });
  applyNag(app);
  return { app, checkerStack, checker, memberRoleStack };
}
