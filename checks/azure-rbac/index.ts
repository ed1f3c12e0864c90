/** The Azure RBAC checks (`azure.authorization.*`), sorted by id. */
import type { AnyCheck } from '../types.ts';
import azureRbacNoCustomWildcardRoles from './azure-rbac-no-custom-wildcard-roles.ts';
import azureRbacNoUserAccessAdmin from './azure-rbac-no-user-access-admin.ts';
import azureRbacOwnersLimited from './azure-rbac-owners-limited.ts';

export const azureRbacChecks: readonly AnyCheck[] = [
  azureRbacNoCustomWildcardRoles,
  azureRbacNoUserAccessAdmin,
  azureRbacOwnersLimited,
];
