/**
 * The IAM actions the AWS collector calls, as data: the README lists them, the tests check that
 * a scan calls nothing else, and the deployment's roles are granted exactly these.
 */

/** What the read-only role in each scanned account must allow. All read, none changes anything. */
export const MEMBER_ROLE_ACTIONS = [
  'eks:DescribeAddon',
  'eks:DescribeCluster',
  'eks:DescribeNodegroup',
  'eks:ListAddons',
  'eks:ListClusters',
  'eks:ListNodegroups',
  // Starts IAM's own report job; it changes no configuration.
  'iam:GenerateCredentialReport',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetAccountPasswordPolicy',
  'iam:GetAccountSummary',
  'iam:GetCredentialReport',
] as const;

/**
 * What the scanner's own identity needs besides: who it is, the organization's accounts, and the
 * member role (plus {@link MEMBER_ROLE_ACTIONS} for its own account when that is scanned).
 */
export const SCANNER_ACTIONS = [
  'organizations:ListAccounts',
  'sts:AssumeRole',
  'sts:GetCallerIdentity',
] as const;
