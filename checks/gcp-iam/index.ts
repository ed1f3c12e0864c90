/** The gcp-iam checks (`gcp.project.iam-policy`). */
import type { AnyCheck } from '../types.ts';
import gcpIamAuditLogging from './gcp-iam-audit-logging.ts';
import gcpIamNoBasicRolesForPeople from './gcp-iam-no-basic-roles-for-people.ts';
import gcpIamNoProjectLevelImpersonation from './gcp-iam-no-project-level-impersonation.ts';
import gcpIamNoPublicMembers from './gcp-iam-no-public-members.ts';
import gcpIamServiceAccountsNotAdmin from './gcp-iam-service-accounts-not-admin.ts';

/** Sorted by id. */
export const gcpIamChecks: readonly AnyCheck[] = [
  gcpIamAuditLogging,
  gcpIamNoBasicRolesForPeople,
  gcpIamNoProjectLevelImpersonation,
  gcpIamNoPublicMembers,
  gcpIamServiceAccountsNotAdmin,
];
