/** The aws-iam checks (`aws.iam.*`). */
import type { AnyCheck } from '../types.ts';
import awsIamAccessKeysRotated from './aws-iam-access-keys-rotated.ts';
import awsIamConsoleUsersMfa from './aws-iam-console-users-mfa.ts';
import awsIamInactiveCredentialsDisabled from './aws-iam-inactive-credentials-disabled.ts';
import awsIamNoFullAdminPolicies from './aws-iam-no-full-admin-policies.ts';
import awsIamPasswordPolicy from './aws-iam-password-policy.ts';
import awsIamRootMfa from './aws-iam-root-mfa.ts';
import awsIamRootNoAccessKeys from './aws-iam-root-no-access-keys.ts';

/** Sorted by id. */
export const awsIamChecks: readonly AnyCheck[] = [
  awsIamAccessKeysRotated,
  awsIamConsoleUsersMfa,
  awsIamInactiveCredentialsDisabled,
  awsIamNoFullAdminPolicies,
  awsIamPasswordPolicy,
  awsIamRootMfa,
  awsIamRootNoAccessKeys,
];
