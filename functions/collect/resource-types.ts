/**
 * The resource types each collector produces (CONTRACTS §1), and how each cloud provider's scan
 * units are scoped and named. This module imports no cloud SDK: the report step and the workflow
 * use it to turn a unit that yielded nothing into an error over its whole scope without carrying
 * any collector's clients in their bundles.
 */
import { WORKLOAD_TYPES } from '../../checks/lib/workloads.ts';
import type { CollectionError, Scope } from '../../checks/types.ts';

/** The EKS resource types, per account and region. */
export const AWS_EKS_TYPES = ['aws.eks.cluster', 'aws.eks.nodegroup', 'aws.eks.addon'] as const;

/** The IAM resource types, one set per account. */
export const AWS_IAM_TYPES = [
  'aws.iam.account-summary',
  'aws.iam.password-policy',
  'aws.iam.credential-report',
  'aws.iam.policy',
] as const;

/** Every AWS resource type the collector produces. */
export const AWS_TYPES = [...AWS_EKS_TYPES, ...AWS_IAM_TYPES] as const;

/** Every GCP resource type the collector produces. */
export const GCP_TYPES = ['gcp.gke.cluster', 'gcp.project.iam-policy'] as const;

/** Every Azure resource type the collector produces. */
export const AZURE_TYPES = [
  'azure.aks.managed-cluster',
  'azure.authorization.role-assignment',
  'azure.authorization.role-definition',
] as const;

/** The Kubernetes object kinds CONTRACTS §1 names, as resource types. */
export const KUBERNETES_TYPES: readonly string[] = [
  ...[
    'Namespace',
    'ServiceAccount',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
    'NetworkPolicy',
  ].map((kind) => `kubernetes.${kind}`),
  ...WORKLOAD_TYPES,
];

/**
 * The error of a cluster none of whose Kubernetes objects are known: every Kubernetes type, in
 * the cluster's scope.
 *
 * @example clusterUnread('onprem', 'kubernetes:connect', 'cluster onprem: not reachable: ...')
 */
export function clusterUnread(
  cluster: string,
  operation: string,
  message: string,
): CollectionError {
  return {
    provider: 'kubernetes',
    scope: { cluster },
    types: [...KUBERNETES_TYPES],
    operation,
    message,
  };
}

/** The providers whose scan units are cloud accounts, projects or subscriptions. */
export type CloudProvider = 'aws' | 'gcp' | 'azure';

/** How a cloud provider's scan unit is scoped, named and what it reads. */
export interface UnitShape {
  /** Every type a unit reads: what a unit that fails outright leaves unknown. */
  readonly types: readonly string[];
  /** The scope key of a unit (`account`, `project`, `subscription`). */
  readonly key: 'account' | 'project' | 'subscription';
}

/** The unit shape of each cloud provider. */
export const UNIT_SHAPES: Readonly<Record<CloudProvider, UnitShape>> = {
  aws: { types: AWS_TYPES, key: 'account' },
  gcp: { types: GCP_TYPES, key: 'project' },
  azure: { types: AZURE_TYPES, key: 'subscription' },
};

/**
 * Whether a provider name is one of the cloud providers.
 *
 * @example isCloudProvider('gcp') // true
 */
export function isCloudProvider(provider: string): provider is CloudProvider {
  return Object.hasOwn(UNIT_SHAPES, provider);
}

/**
 * The scope of a cloud scan unit (`{ account }`, `{ project }`, `{ subscription }`), read from the
 * unit's own field; `{}` when the unit does not carry it.
 *
 * @example unitScope('gcp', { provider: 'gcp', project: 'shop-prod' }) // { project: 'shop-prod' }
 */
export function unitScope(provider: CloudProvider, unit: unknown): Scope {
  const { key } = UNIT_SHAPES[provider];
  const value =
    typeof unit === 'object' && unit !== null ? (unit as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? { [key]: value } : {};
}
