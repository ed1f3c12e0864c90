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

/**
 * Reads the role assignments that apply to a subscription into `out`; a failure is an error for
 * the subscription's role assignments only.
 *
 * @example await collectRoleAssignments(rt, clients, '00000000-0000-0000-0000-000000000000', out);
 */
export async function collectRoleAssignments(
  rt: CollectRuntime,
  clients: AzureClientFactory,
  subscription: string,
  out: Collected,
): Promise<void> {
  const type = 'azure.authorization.role-assignment';
  const items = await readArmList(
    rt,
    out,
    {
      provider: 'azure',
      scope: { subscription },
      types: [type],
      operation: 'RoleAssignments_ListForScope',
    },
    clients.armOrigin,
    (page) => clients.listRoleAssignments(subscription, page),
  );
  for (const item of items ?? []) out.resources.push(armResource(type, { subscription }, item));
}

/**
 * Reads the custom role definitions of a subscription into `out`; a failure is an error for the
 * subscription's role definitions only.
 *
 * @example await collectRoleDefinitions(rt, clients, '00000000-0000-0000-0000-000000000000', out);
 */
export async function collectRoleDefinitions(
  rt: CollectRuntime,
  clients: AzureClientFactory,
  subscription: string,
  out: Collected,
): Promise<void> {
  const type = 'azure.authorization.role-definition';
  const items = await readArmList(
    rt,
    out,
    {
      provider: 'azure',
      scope: { subscription },
      types: [type],
      operation: 'RoleDefinitions_List',
    },
    clients.armOrigin,
    (page) => clients.listRoleDefinitions(subscription, page),
  );
  for (const item of items ?? []) out.resources.push(armResource(type, { subscription }, item));
}
