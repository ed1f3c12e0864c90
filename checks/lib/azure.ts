/**
 * Azure Resource Manager helpers shared by the AKS and Azure RBAC checks: ARM ids and scopes
 * (compared case-insensitively, as ARM does), the `properties` bag, built-in role ids.
 */
import type { Resource, Scope } from '../types.ts';

/** Built-in role definition ids (the last segment of `properties.roleDefinitionId`). */
export const BUILTIN_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
} as const;

/** The level of an ARM scope: where a role assignment applies. */
export type ArmScopeLevel =
  | 'root'
  | 'managementGroup'
  | 'subscription'
  | 'resourceGroup'
  | 'resource';

/**
 * An ARM id or scope in comparable form: lower case, no trailing `/` (the root scope stays `/`).
 *
 * @example normalizeArmId('/Subscriptions/ABC/') // '/subscriptions/abc'
 */
export function normalizeArmId(id: string): string {
  const trimmed = id.trim().toLowerCase().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/**
 * True when two ARM ids or scopes name the same thing (ARM ids are case-insensitive).
 *
 * @example armIdEquals('/subscriptions/ABC', '/subscriptions/abc/') // true
 */
export function armIdEquals(a: string, b: string): boolean {
  return normalizeArmId(a) === normalizeArmId(b);
}

/**
 * The last `/`-separated segment of an ARM id, as written (compare it case-insensitively).
 *
 * @example lastSegment('/providers/Microsoft.Authorization/roleDefinitions/8E3AF657-...') // '8E3AF657-...'
 */
export function lastSegment(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

/**
 * The level of an ARM scope: `/` is the root, `/providers/Microsoft.Management/managementGroups/x`
 * a management group, `/subscriptions/x` a subscription, `/subscriptions/x/resourceGroups/y` a
 * resource group; anything deeper is a resource.
 *
 * @example armScopeLevel('/providers/Microsoft.Management/managementGroups/corp') // 'managementGroup'
 */
export function armScopeLevel(scope: string): ArmScopeLevel {
  const s = normalizeArmId(scope);
  if (s === '/') return 'root';
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) {
    return 'managementGroup';
  }
  if (/^\/subscriptions\/[^/]+$/.test(s)) return 'subscription';
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return 'resourceGroup';
  return 'resource';
}

/**
 * The inventory scope an ARM id lives in: `subscription` and `resourceGroup` as the id spells
 * them, each left out when the id has none (a management-group or root id gives `{}`).
 *
 * @example
 * armScope('/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/c1')
 * // { subscription: '0000', resourceGroup: 'rg1' }
 */
export function armScope(id: string): Scope {
  const parts = id.split('/');
  const scope: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i++) {
    const key = parts[i]?.toLowerCase();
    const value = parts[i + 1];
    if (!value) continue;
    if (key === 'subscriptions' && scope.subscription === undefined) scope.subscription = value;
    if (key === 'resourcegroups' && scope.resourceGroup === undefined) scope.resourceGroup = value;
  }
  return scope;
}

/**
 * The scope part of a role assignment's id (`<scope>/providers/Microsoft.Authorization/roleAssignments/<name>`),
 * `/` for an assignment at the root; `undefined` when the id has no such suffix.
 *
 * @example
 * assignmentScopeFromId('/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1') // '/subscriptions/s1'
 */
export function assignmentScopeFromId(id: string): string | undefined {
  const m = /^(.*?)\/providers\/microsoft\.authorization\/roleassignments\/[^/]+\/?$/i.exec(id);
  if (!m) return undefined;
  return m[1] === '' ? '/' : m[1];
}

/**
 * The ARM `properties` bag of a resource's data, `{}` when it is missing or not an object.
 *
 * @example armProperties(cluster).enableRBAC // true
 */
export function armProperties(resource: Pick<Resource, 'data'>): Record<string, unknown> {
  const props = (resource.data as { properties?: unknown } | null)?.properties;
  return typeof props === 'object' && props !== null && !Array.isArray(props)
    ? (props as Record<string, unknown>)
    : {};
}

/**
 * Equality of ARM enum values, which ARM treats case-insensitively (`None` is `none`).
 *
 * @example sameEnum('Calico', 'calico') // true
 */
export function sameEnum(value: unknown, expected: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === expected.toLowerCase();
}

/** A role assignment's `properties`, as ARM returns them (wire JSON). */
export interface RoleAssignmentProperties {
  roleDefinitionId?: string;
  principalId?: string;
  principalType?: string;
  scope?: string;
}

/**
 * The scope a role assignment applies at: `properties.scope`, else the scope encoded in its id.
 *
 * @example assignmentScope(assignment) // '/subscriptions/s1'
 */
export function assignmentScope(assignment: Pick<Resource, 'id' | 'data'>): string | undefined {
  const scope = (armProperties(assignment) as RoleAssignmentProperties).scope;
  if (typeof scope === 'string' && scope.trim() !== '') return scope;
  return assignmentScopeFromId(assignment.id);
}

/**
 * True when the assignment's `properties.roleDefinitionId` ends in the given role id
 * (compared case-insensitively).
 *
 * @example assignsRole(assignment, BUILTIN_ROLES.owner) // true for an Owner assignment
 */
export function assignsRole(assignment: Pick<Resource, 'data'>, roleId: string): boolean {
  const roleDefinitionId = (armProperties(assignment) as RoleAssignmentProperties).roleDefinitionId;
  return (
    typeof roleDefinitionId === 'string' &&
    lastSegment(roleDefinitionId).toLowerCase() === roleId.toLowerCase()
  );
}

/**
 * The subscription a collected resource belongs to: its inventory `scope.subscription`, else
 * the subscription in its ARM id; `undefined` for one with neither (a management-group object).
 *
 * @example subscriptionOf(assignment) // 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2'
 */
export function subscriptionOf(resource: Pick<Resource, 'id' | 'scope'>): string | undefined {
  const fromScope = resource.scope.subscription;
  if (typeof fromScope === 'string' && fromScope !== '') return fromScope;
  return armScope(resource.id).subscription;
}

/**
 * How a role assignment is named in messages: its name (a GUID) and, when known, its principal.
 *
 * @example assignmentLabel(a) // 'b0f43c54-... (User ce2ce14e-...)'
 */
export function assignmentLabel(assignment: Pick<Resource, 'id' | 'data'>): string {
  const data = assignment.data as { name?: unknown } | null;
  const name =
    typeof data?.name === 'string' && data.name !== '' ? data.name : lastSegment(assignment.id);
  const props = armProperties(assignment) as RoleAssignmentProperties;
  if (typeof props.principalId !== 'string' || props.principalId === '') return name;
  const who = typeof props.principalType === 'string' ? `${props.principalType} ` : '';
  return `${name} (${who}${props.principalId})`;
}

/** An AKS agent pool as `properties.agentPoolProfiles[]` holds it (the fields the checks read). */
export interface AgentPoolProfile {
  name?: string;
  enableNodePublicIP?: boolean;
  enableEncryptionAtHost?: boolean;
}

/**
 * The agent pools of an AKS cluster (`properties.agentPoolProfiles`), `[]` when missing. One
 * entry per list item, so that index `i` is the pool's place in the list (evidence paths use
 * it); an item that is not an object reads as a pool with every field missing.
 *
 * @example agentPools(cluster).map((p) => p.name) // ['nodepool1']
 */
export function agentPools(cluster: Pick<Resource, 'data'>): AgentPoolProfile[] {
  const pools = armProperties(cluster).agentPoolProfiles;
  if (!Array.isArray(pools)) return [];
  return pools.map(
    (p: unknown): AgentPoolProfile =>
      typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as AgentPoolProfile) : {},
  );
}

/**
 * The name of agent pool number `i` in messages: its `name`, else `#<i>`.
 *
 * @example poolName({ name: 'system' }, 0) // 'system'
 */
export function poolName(pool: AgentPoolProfile, i: number): string {
  return typeof pool.name === 'string' && pool.name !== '' ? pool.name : `#${i}`;
}

/**
 * A field value as messages show it: `missing` for absent or null, else its JSON.
 *
 * @example shown(undefined) // 'missing'; shown('none') // '"none"'
 */
export function shown(value: unknown): string {
  return value === undefined || value === null ? 'missing' : JSON.stringify(value);
}
