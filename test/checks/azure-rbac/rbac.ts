/**
 * Test data for the Azure RBAC checks: role assignments and role definitions shaped like the
 * `Microsoft.Authorization` 2022-04-01 examples, in envelopes whose id is the ARM id and whose
 * scope is `{subscription, resourceGroup}` read from it.
 */
import type { Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { resource } from '../harness.ts';

/** The subscription of the RoleAssignments_ListForScope example. */
export const SUB = 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2';
export const SUB_SCOPE = `/subscriptions/${SUB}`;

/** Built-in role definition ids (CHECKS.md). */
export const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
export const USER_ACCESS_ADMIN = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9';
/** Reader, for assignments that are neither. */
export const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

/**
 * A `roleDefinitionId` as ARM returns it in role assignments listed at a subscription.
 *
 * @example roleDefinitionId(OWNER) // '/subscriptions/a925.../providers/Microsoft.Authorization/roleDefinitions/8e3a...'
 */
export function roleDefinitionId(role: string, sub = SUB): string {
  return `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/**
 * The inventory scope of an ARM id: `subscription` and `resourceGroup` as the id spells them.
 *
 * @example scopeOfArmId('/subscriptions/s1/resourceGroups/rg1/providers/x') // { subscription: 's1', resourceGroup: 'rg1' }
 */
export function scopeOfArmId(id: string): Record<string, string> {
  const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
  const rg = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
  return { ...(sub ? { subscription: sub } : {}), ...(rg ? { resourceGroup: rg } : {}) };
}

/** The published role assignment example (a fresh copy each call). */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are untyped provider JSON
export function exampleAssignment(): any {
  return fixture('azure/authorization/2022-04-01/RoleAssignments_ListForScope.json').responses[
    '200'
  ].body.value[0];
}

/** The published role definition example (a fresh copy each call). */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are untyped provider JSON
export function exampleDefinition(): any {
  return fixture('azure/authorization/2022-04-01/GetRoleDefinitionByName.json').responses['200']
    .body;
}

export interface AssignmentSpec {
  /** The assignment's name (a GUID in real data). */
  name: string;
  /** A built-in role id, or a full `roleDefinitionId`. */
  role: string;
  /** `properties.scope`; `undefined` leaves it out. */
  scope: string | undefined;
  principalId?: string;
  principalType?: string;
  /**
   * The inventory scope's subscription, when it differs from the id's: an assignment inherited
   * from a management group or the root is listed (and collected) under a subscription.
   */
  collectedIn?: string;
  /** The scope part of the id, when it differs from `scope` (default: `scope`, or `/`). */
  idScope?: string;
}

/**
 * An `azure.authorization.role-assignment` resource as ARM lists it: id
 * `<scope>/providers/Microsoft.Authorization/roleAssignments/<name>`, scope read from that id.
 *
 * @example roleAssignment({ name: 'a1', role: OWNER, scope: SUB_SCOPE }).scope // { subscription: SUB }
 */
export function roleAssignment(spec: AssignmentSpec): Resource {
  const idScope = (spec.idScope ?? spec.scope ?? '/').replace(/\/+$/, '');
  const id = `${idScope}/providers/Microsoft.Authorization/roleAssignments/${spec.name}`;
  const base = exampleAssignment();
  const props: Record<string, unknown> = {
    ...base.properties,
    roleDefinitionId: spec.role.includes('/') ? spec.role : roleDefinitionId(spec.role),
    principalId: spec.principalId ?? `principal-${spec.name}`,
    principalType: spec.principalType ?? 'User',
    scope: spec.scope,
  };
  const scope = scopeOfArmId(id);
  return resource(
    'azure',
    'azure.authorization.role-assignment',
    id,
    spec.collectedIn ? { ...scope, subscription: spec.collectedIn } : scope,
    JSON.parse(JSON.stringify({ ...base, id, name: spec.name, properties: props })),
  );
}

/**
 * An `azure.authorization.role-definition` resource from the published example, with
 * `properties` replaced by `properties` where given.
 *
 * @example roleDefinition('custom-1', { type: 'CustomRole', roleName: 'Ops' }).id
 */
export function roleDefinition(name: string, properties: Record<string, unknown>): Resource {
  const base = exampleDefinition();
  const id = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${name}`;
  return resource(
    'azure',
    'azure.authorization.role-definition',
    id,
    scopeOfArmId(id),
    JSON.parse(
      JSON.stringify({ ...base, id, name, properties: { ...base.properties, ...properties } }),
    ),
  );
}

/**
 * An envelope for an ARM body as published (type from its `type`), id and scope from its `id`.
 *
 * @example resourceFor(exampleAssignment()).type // 'azure.authorization.role-assignment'
 */
export function resourceFor(body: { id: string; type: string }): Resource {
  const type = /roleAssignments$/i.test(body.type)
    ? 'azure.authorization.role-assignment'
    : 'azure.authorization.role-definition';
  return resource('azure', type, body.id, scopeOfArmId(body.id), body);
}
