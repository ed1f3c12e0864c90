/**
 * The read-only permissions of a scanned account, as IAM statements: exactly
 * `MEMBER_ROLE_ACTIONS`, each on the narrowest resource IAM supports for it. Used by the scanner's
 * collect role (for its own account) and by the member role (every other account).
 */
import { MEMBER_ROLE_ACTIONS } from '../functions/collect/aws/permissions.ts';
import type { Permission } from './least-privilege.ts';

/** Actions that take an EKS resource ARN, and the resource type they take. */
const EKS_RESOURCE: Partial<Record<(typeof MEMBER_ROLE_ACTIONS)[number], string>> = {
  'eks:DescribeCluster': 'cluster',
  'eks:ListNodegroups': 'cluster',
  'eks:ListAddons': 'cluster',
  'eks:DescribeNodegroup': 'nodegroup',
  'eks:DescribeAddon': 'addon',
};

/**
 * `MEMBER_ROLE_ACTIONS` as statements for `account`: EKS reads on that account's clusters,
 * node groups and add-ons (in `regions`, or every region), the rest on `*` (IAM's account-level
 * reads and `eks:ListClusters` take no resource).
 *
 * @example memberPermissions({ partition: 'aws', account: '111122223333', regions: ['eu-west-1'], who: 'the member role' })
 */
export function memberPermissions(where: {
  partition: string;
  account: string;
  regions?: readonly string[];
  /** Whose permissions these are, for the acknowledgement reasons. */
  who: string;
}): Permission[] {
  const regions = where.regions?.length ? where.regions : ['*'];
  const byType = new Map<string, string[]>();
  const unscoped: string[] = [];
  for (const action of MEMBER_ROLE_ACTIONS) {
    const type = EKS_RESOURCE[action];
    if (!type) {
      unscoped.push(action);
      continue;
    }
    byType.set(type, [...(byType.get(type) ?? []), action]);
  }
  const scoped: Permission[] = [...byType].map(([type, actions]) => ({
    actions,
    resources: regions.map(
      (region) => `arn:${where.partition}:eks:${region}:${where.account}:${type}/*`,
    ),
    wildcardReason: `${where.who}: ${actions.join(', ')} ${actions.length === 1 ? 'reads' : 'read'} every EKS ${type} of the scanned account${regions[0] === '*' ? ' in any region' : ` in ${regions.join(', ')}`}: the collector discovers them with eks:ListClusters, so their names are not known when the role is made.`,
  }));
  return [
    ...scoped,
    {
      actions: unscoped,
      resources: ['*'],
      wildcardReason: `${where.who}: ${unscoped.join(', ')} support no resource-level permissions (account-level IAM reads and eks:ListClusters); all are read-only (iam:GenerateCredentialReport only starts IAM's own report job).`,
    },
  ];
}
