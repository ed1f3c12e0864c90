/**
 * Azure RBAC in one subscription: the role assignments that apply to it, and its custom roles.
 *
 * - RoleAssignments_ListForScope at `/subscriptions/<id>` with `$filter=atScope()`: the
 *   assignments at the subscription and those it inherits (management groups, the root `/`).
 *   These are what the checks judge: Owner at the subscription (azure-rbac-owners-limited) and
 *   User Access Administrator at subscription, management-group or root scope
 *   (azure-rbac-no-user-access-admin). Assignments below the subscription (resource groups,
 *   resources) could only ever PASS and can number in the thousands: they are not read.
 * - RoleDefinitions_List with `$filter=type eq 'CustomRole'`: the custom roles assignable there
 *   (azure-rbac-no-custom-wildcard-roles skips built-in roles, and the assignment checks compare
 *   built-in role ids, so built-in definitions are not needed).
 *
 * Each is stored as its ARM wire JSON, scoped `{ subscription }` (the subscription whose list
 * answered it; an inherited assignment appears in every subscription below it, with one id).
 */
import type { Collected, CollectRuntime } from '../runtime.ts';
import { armResource, readArmList } from './arm.ts';
import type { AzureClientFactory } from './clients.ts';

/** The Azure RBAC resource types, per subscription. */
export const AZURE_AUTHORIZATION_TYPES = [
  'azure.authorization.role-assignment',
  'azure.authorization.role-definition',
] as const;

/** One RBAC list of a subscription: its resource type, operation and page reader. */
interface RbacList {
  type: (typeof AZURE_AUTHORIZATION_TYPES)[number];
  operation: string;
  page: (clients: AzureClientFactory, subscription: string) => Parameters<typeof readArmList>[4];
}

const ROLE_ASSIGNMENTS: RbacList = {
  type: 'azure.authorization.role-assignment',
  operation: 'RoleAssignments_ListForScope',
  page: (clients, subscription) => (page) => clients.listRoleAssignments(subscription, page),
};

const ROLE_DEFINITIONS: RbacList = {
  type: 'azure.authorization.role-definition',
  operation: 'RoleDefinitions_List',
  page: (clients, subscription) => (page) => clients.listRoleDefinitions(subscription, page),
};

/** Reads one RBAC list of a subscription into `out`; a failure is an error for its type only. */
async function collectRbacList(
  list: RbacList,
  rt: CollectRuntime,
  clients: AzureClientFactory,
  subscription: string,
  out: Collected,
): Promise<void> {
  const on = {
    provider: 'azure' as const,
    scope: { subscription },
    types: [list.type],
    operation: list.operation,
  };
  const items = await readArmList(rt, out, on, clients.armOrigin, list.page(clients, subscription));
  for (const item of items ?? []) {
    out.resources.push(armResource(list.type, { subscription }, item));
  }
}

/**
 * Reads the role assignments that apply to a subscription into `out`; a failure is an error for
 * the subscription's role assignments only.
 *
 * @example await collectRoleAssignments(rt, clients, '00000000-0000-0000-0000-000000000000', out);
 */
export const collectRoleAssignments = (
  rt: CollectRuntime,
  clients: AzureClientFactory,
  subscription: string,
  out: Collected,
): Promise<void> => collectRbacList(ROLE_ASSIGNMENTS, rt, clients, subscription, out);

/**
 * Reads the custom role definitions of a subscription into `out`; a failure is an error for the
 * subscription's role definitions only.
 *
 * @example await collectRoleDefinitions(rt, clients, '00000000-0000-0000-0000-000000000000', out);
 */
export const collectRoleDefinitions = (
  rt: CollectRuntime,
  clients: AzureClientFactory,
  subscription: string,
  out: Collected,
): Promise<void> => collectRbacList(ROLE_DEFINITIONS, rt, clients, subscription, out);
