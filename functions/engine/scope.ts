/**
 * How collection errors reach findings: which errors cover a resource, and the name of a scope.
 */
import type { CollectionError, Resource, Scope } from '../../checks/types.ts';

/** Scope keys, in the order CONTRACTS §1 joins them into a scope name. */
export const SCOPE_KEY_ORDER = [
  'account',
  'region',
  'project',
  'location',
  'subscription',
  'resourceGroup',
  'cluster',
] as const;

const CASE_INSENSITIVE_KEYS = new Set(['subscription', 'resourceGroup', 'cluster']);

function sameValue(key: string, a: string, b: string): boolean {
  return CASE_INSENSITIVE_KEYS.has(key) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The cluster types whose resources are themselves the `cluster` scope of Kubernetes objects. */
export const CLUSTER_TYPES: ReadonlySet<string> = new Set([
  'aws.eks.cluster',
  'gcp.gke.cluster',
  'azure.aks.managed-cluster',
]);

/**
 * The ids of the clusters among some resources (a cloud unit's shard).
 *
 * @example clusterIds(shard.resources) // ['arn:aws:eks:eu-west-1:111122223333:cluster/payments']
 */
export function clusterIds(resources: readonly Resource[]): string[] {
  return resources.filter((r) => CLUSTER_TYPES.has(r.type)).map((r) => r.id);
}

/**
 * The scope a resource is judged in: its own scope, plus `cluster` = its id when it is a cluster,
 * so that an error on a cluster's Kubernetes objects reaches the cluster's own findings.
 *
 * @example contextScope(eksCluster) // { account, region, cluster: <cluster arn> }
 */
export function contextScope(resource: Pick<Resource, 'type' | 'id' | 'scope'>): Scope {
  if (CLUSTER_TYPES.has(resource.type) && resource.scope.cluster === undefined) {
    return { ...resource.scope, cluster: resource.id };
  }
  return resource.scope;
}

/**
 * True when every key of the error's scope has the same value in `scope`. An error scoped to an
 * account covers all its regions; an error scoped to a cluster covers that cluster's objects.
 *
 * @example scopeCovers({ account: '1' }, { account: '1', region: 'eu-west-1' }) // true
 */
export function scopeCovers(errorScope: Scope, scope: Scope): boolean {
  for (const [key, value] of Object.entries(errorScope)) {
    const other = scope[key];
    if (other === undefined || !sameValue(key, value, other)) return false;
  }
  return true;
}

/**
 * True when two resource ids name the same resource: equal, or equal but for case (ARM ids are
 * case-insensitive).
 *
 * @example sameResourceId('/subscriptions/S/resourceGroups/RG', '/subscriptions/s/resourcegroups/rg') // true
 */
export function sameResourceId(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/**
 * True when a collection error reaches a resource: the resource it is about, or every resource of
 * its scope (judged in the resource's context scope). Whether the error's types matter is the
 * caller's question.
 *
 * @example errorReaches({ provider: 'aws', scope: { account: '1' }, types: [...], message }, cluster) // true for a cluster in account 1
 */
export function errorReaches(
  error: CollectionError,
  resource: Pick<Resource, 'type' | 'id' | 'scope'>,
): boolean {
  return error.resourceId !== undefined
    ? sameResourceId(error.resourceId, resource.id)
    : scopeCovers(error.scope, contextScope(resource));
}

/**
 * The name of an error's scope, used as the `resourceId` of a check's ERROR finding when the
 * scope holds nothing readable: `<provider>:` and the scope values joined with `/`; the cluster
 * id for Kubernetes types; the resource id when the error is about one resource; `<provider>:*`
 * for an error with no scope.
 *
 * @example scopeName({ provider: 'gcp', scope: { project: 'shop-prod' }, ... }) // 'gcp:shop-prod'
 */
export function scopeName(error: CollectionError): string {
  if (error.resourceId) return error.resourceId;
  if (error.scope.cluster && error.types.every((t) => t.startsWith('kubernetes.'))) {
    return error.scope.cluster;
  }
  const values = SCOPE_KEY_ORDER.filter((k) => k !== 'cluster' || error.provider === 'kubernetes')
    .map((k) => error.scope[k])
    .filter((v): v is string => typeof v === 'string');
  // An error with no scope (the accounts of an organization could not be listed) covers them all.
  return `${error.provider}:${values.length > 0 ? values.join('/') : '*'}`;
}
