/**
 * The role pci-posture assumes in every scanned account other than its own: read-only, exactly
 * `MEMBER_ROLE_ACTIONS`, trusting only the scanner account's two collect roles by name (and,
 * optionally, an external id): the AWS collect role, which reads the account, and the Kubernetes
 * collect role, which only signs the EKS tokens of the account's clusters with it. As a construct for your own stacks, and as a parameterised stack for
 * CloudFormation StackSets across an organization.
 */
import {
  Aws,
  CfnCondition,
  CfnParameter,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  type StackProps,
  Token,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { scanConfigSchema } from '../functions/config/scan-config.ts';
import { attachPolicy } from './least-privilege.ts';
import { memberPermissions } from './member-permissions.ts';
import {
  DEFAULT_COLLECT_KUBERNETES_ROLE_NAME,
  DEFAULT_COLLECT_ROLE_NAME,
} from './pci-posture-checker.ts';
import { PropsError } from './props-error.ts';

/** The member role name the scan configuration assumes by default (`aws.roleName`). */
export const DEFAULT_MEMBER_ROLE_NAME: string =
  scanConfigSchema().parse({ aws: { regions: ['us-east-1'] } }).aws?.roleName ?? '';

const ROLE_PATH_AND_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Properties of {@link PciPostureMemberRole}. */
export interface PciPostureMemberRoleProps {
  /** The account pci-posture is deployed in (12 digits, or a token such as a parameter). */
  readonly scannerAccountId: string;
  /**
   * The role's name, optionally after a path (`security/PciPostureReadOnly`): the config's
   * `aws.roleName`.
   *
   * @default 'PciPostureReadOnly'
   */
  readonly roleName?: string;
  /**
   * The name of the scanner's collect function role (`collectRoleName` of `PciPostureChecker`):
   * the only principal of the scanner account that may assume this role.
   *
   * @default 'pci-posture-collect-aws'
   */
  readonly collectRoleName?: string;
  /**
   * The name of the scanner's Kubernetes collect function role (`collectKubernetesRoleName` of
   * `PciPostureChecker`): the other principal of the scanner account that may assume this role,
   * to sign the EKS tokens (STS GetCallerIdentity) of this account's clusters. Map this role to
   * a Kubernetes group with an EKS access entry.
   *
   * @default 'pci-posture-collect-kubernetes'
   */
  readonly collectKubernetesRoleName?: string;
  /**
   * The `sts:ExternalId` the scanner must give (the config's `aws.externalId`).
   *
   * @default - no external id is required
   */
  readonly externalId?: string;
  /**
   * The regions whose EKS clusters may be read (the config's `aws.regions`).
   *
   * @default - every region
   */
  readonly regions?: readonly string[];
}

/**
 * The read-only role a member account gives the scanner.
 *
 * @example
 * new PciPostureMemberRole(stack, 'PciPosture', { scannerAccountId: '111122223333', externalId: 'pci-2026' });
 */
export class PciPostureMemberRole extends Construct {
  /** The role the scanner assumes. */
  readonly role: iam.Role;
  /** Its policy: exactly `MEMBER_ROLE_ACTIONS`. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: PciPostureMemberRoleProps) {
    super(scope, id);
    const { scannerAccountId } = props;
    if (!isToken(scannerAccountId) && !ACCOUNT_ID.test(scannerAccountId)) {
      throw new PropsError(
        'scannerAccountId',
        scannerAccountId,
        "give the 12-digit id of the account pci-posture is deployed in, in quotes ('111122223333')",
      );
    }
    const roleName = props.roleName ?? DEFAULT_MEMBER_ROLE_NAME;
    if (!ROLE_PATH_AND_NAME.test(roleName)) {
      throw new PropsError(
        'roleName',
        roleName,
        "give an IAM role name, or path/name without leading, trailing or doubled slashes ('security/PciPostureReadOnly')",
      );
    }
    const collectRoleName = props.collectRoleName ?? DEFAULT_COLLECT_ROLE_NAME;
    if (!ROLE_NAME.test(collectRoleName)) {
      throw new PropsError(
        'collectRoleName',
        collectRoleName,
        "give the scanner's collect role name (collectRoleName of PciPostureChecker): 1 to 64 letters, digits and +=,.@_-",
      );
    }
    const kubernetesRoleName =
      props.collectKubernetesRoleName ?? DEFAULT_COLLECT_KUBERNETES_ROLE_NAME;
    if (!ROLE_NAME.test(kubernetesRoleName)) {
      throw new PropsError(
        'collectKubernetesRoleName',
        kubernetesRoleName,
        "give the scanner's Kubernetes collect role name (collectKubernetesRoleName of PciPostureChecker): 1 to 64 letters, digits and +=,.@_-",
      );
    }
    const { externalId } = props;
    if (externalId !== undefined && !isToken(externalId) && !EXTERNAL_ID.test(externalId)) {
      throw new PropsError(
        'externalId',
        externalId,
        'give 2 to 1224 letters, digits and +=,.@:/-_ (the same as aws.externalId in the scan configuration)',
      );
    }
    for (const [i, region] of (props.regions ?? []).entries()) {
      if (!REGION.test(region)) {
        throw new PropsError(
          `regions[${i}]`,
          region,
          "give an AWS region name such as 'eu-west-1'",
        );
      }
    }

    const slash = roleName.lastIndexOf('/');
    const partition = Stack.of(this).partition;
    const scannerRole = (name: string) => `arn:${partition}:iam::${scannerAccountId}:role/${name}`;
    this.role = new iam.Role(this, 'Role', {
      roleName: roleName.slice(slash + 1),
      path: slash < 0 ? '/' : `/${roleName.slice(0, slash)}/`,
      description: `pci-posture: read-only scan of this account by ${collectRoleName} (EKS tokens for ${kubernetesRoleName}) of the scanner account`,
      assumedBy: new iam.AccountPrincipal(scannerAccountId).withConditions({
        ArnEquals: {
          'aws:PrincipalArn': [scannerRole(collectRoleName), scannerRole(kubernetesRoleName)],
        },
        ...(externalId !== undefined ? { StringEquals: { 'sts:ExternalId': externalId } } : {}),
      }),
    });
    this.policy = attachPolicy(
      this,
      'ReadOnlyPolicy',
      this.role,
      'pci-posture member account: read-only EKS and IAM configuration (MEMBER_ROLE_ACTIONS)',
      memberPermissions({
        partition,
        account: Aws.ACCOUNT_ID,
        regions: props.regions,
        who: `The member role ${roleName}`,
      }),
    );
  }
}

function isToken(value: string): boolean {
  return Token.isUnresolved(value);
}

/** Properties of {@link PciPostureMemberRoleStack}. */
export interface PciPostureMemberRoleStackProps extends StackProps {
  /**
   * The role's name, optionally after a path: the config's `aws.roleName`.
   *
   * @default 'PciPostureReadOnly'
   */
  readonly roleName?: string;
  /**
   * The scanner's collect role name (`collectRoleName` of `PciPostureChecker`).
   *
   * @default 'pci-posture-collect-aws'
   */
  readonly collectRoleName?: string;
  /**
   * The scanner's Kubernetes collect role name (`collectKubernetesRoleName` of
   * `PciPostureChecker`).
   *
   * @default 'pci-posture-collect-kubernetes'
   */
  readonly collectKubernetesRoleName?: string;
  /**
   * The regions whose EKS clusters may be read: the config's `aws.regions`.
   *
   * @default - every region
   */
  readonly regions?: readonly string[];
}

/**
 * The member role as a self-contained template for CloudFormation StackSets: no assets, no
 * bootstrap version check; the scanner account id and the external id are parameters.
 *
 * @example
 * new PciPostureMemberRoleStack(app, 'PciPostureMemberRole', { roleName: 'PciPostureReadOnly' });
 * // aws cloudformation create-stack-set --template-body file://cdk.out/PciPostureMemberRole.template.json
 * //   --parameters ParameterKey=ScannerAccountId,ParameterValue=111122223333 ...
 */
export class PciPostureMemberRoleStack extends Stack {
  /** The member role construct. */
  readonly memberRole: PciPostureMemberRole;

  constructor(scope: Construct, id: string, props: PciPostureMemberRoleStackProps = {}) {
    super(scope, id, {
      description: 'pci-posture: the read-only role the scanner assumes in this account',
      ...props,
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
    });
    const scanner = new CfnParameter(this, 'ScannerAccountId', {
      type: 'String',
      description: 'The 12-digit id of the account pci-posture is deployed in',
      allowedPattern: '^\\d{12}$',
      constraintDescription: 'a 12-digit AWS account id',
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      default: '',
      noEcho: true,
      description: 'The sts:ExternalId the scanner must give (aws.externalId); empty: none',
      allowedPattern: '^([\\w+=,.@:/-]{2,1224})?$',
      constraintDescription: 'empty, or 2 to 1224 letters, digits and +=,.@:/-_',
    });
    const hasExternalId = new CfnCondition(this, 'HasExternalId', {
      expression: Fn.conditionNot(Fn.conditionEquals(externalId.valueAsString, '')),
    });
    this.memberRole = new PciPostureMemberRole(this, 'MemberRole', {
      scannerAccountId: scanner.valueAsString,
      externalId: externalId.valueAsString,
      ...(props.roleName ? { roleName: props.roleName } : {}),
      ...(props.collectRoleName ? { collectRoleName: props.collectRoleName } : {}),
      ...(props.collectKubernetesRoleName
        ? { collectKubernetesRoleName: props.collectKubernetesRoleName }
        : {}),
      ...(props.regions ? { regions: props.regions } : {}),
    });
    // Without an external id, the condition on it goes away.
    const cfnRole = this.memberRole.role.node.defaultChild as iam.CfnRole;
    cfnRole.addPropertyOverride(
      'AssumeRolePolicyDocument.Statement.0.Condition.StringEquals',
      Fn.conditionIf(
        hasExternalId.logicalId,
        { 'sts:ExternalId': externalId.valueAsString },
        Aws.NO_VALUE,
      ),
    );
  }
}
