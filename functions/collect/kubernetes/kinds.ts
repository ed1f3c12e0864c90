/**
 * The Kubernetes object kinds the collector lists (CONTRACTS §1), each with the API group version
 * and the cluster-wide list path it is read from. Secrets are not among them, and never will be:
 * the collector has no path to them.
 */

/** A kind the collector lists. */
export type KubernetesKind =
  | 'Namespace'
  | 'ServiceAccount'
  | 'Role'
  | 'ClusterRole'
  | 'RoleBinding'
  | 'ClusterRoleBinding'
  | 'NetworkPolicy'
  | 'Pod'
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'Job'
  | 'CronJob';

/** Where a kind is listed. */
export interface KindList {
  readonly kind: KubernetesKind;
  /** The object's `apiVersion` (`v1`, `apps/v1`): list items do not carry it, objects do. */
  readonly apiVersion: string;
  /** The resource's plural name in its group (`pods`, `clusterrolebindings`). */
  readonly plural: string;
  /** Whether objects of the kind live in a namespace. */
  readonly namespaced: boolean;
}

const list = (
  kind: KubernetesKind,
  apiVersion: string,
  plural: string,
  namespaced = true,
): KindList => ({ kind, apiVersion, plural, namespaced });

/**
 * Every kind the collector lists, Namespaces first: the first list a cluster answers tells
 * whether it can be reached and accepts the token at all. Then the kinds that usually have the
 * most pages (Pods, ReplicaSets), so that their page-by-page lists start first in the call pool
 * and the cluster's reading ends sooner.
 */
export const KIND_LISTS: readonly KindList[] = [
  list('Namespace', 'v1', 'namespaces', false),
  list('Pod', 'v1', 'pods'),
  list('ReplicaSet', 'apps/v1', 'replicasets'),
  list('Deployment', 'apps/v1', 'deployments'),
  list('ServiceAccount', 'v1', 'serviceaccounts'),
  list('Job', 'batch/v1', 'jobs'),
  list('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings'),
  list('Role', 'rbac.authorization.k8s.io/v1', 'roles'),
  list('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  list('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', false),
  list('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies'),
  list('StatefulSet', 'apps/v1', 'statefulsets'),
  list('DaemonSet', 'apps/v1', 'daemonsets'),
  list('CronJob', 'batch/v1', 'cronjobs'),
];

/**
 * The cluster-wide list path of a kind (`/api/v1/pods`, `/apis/apps/v1/deployments`).
 *
 * @example listPath(KIND_LISTS[0]) // '/api/v1/namespaces'
 */
export function listPath(k: KindList): string {
  return k.apiVersion.includes('/')
    ? `/apis/${k.apiVersion}/${k.plural}`
    : `/api/${k.apiVersion}/${k.plural}`;
}

/**
 * The inventory type of a kind (`kubernetes.Pod`).
 *
 * @example kindType('Pod') // 'kubernetes.Pod'
 */
export const kindType = (kind: KubernetesKind) => `kubernetes.${kind}`;
