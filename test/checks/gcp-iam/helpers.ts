/** GCP project IAM policies for the gcp-iam check tables. */
import type { Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { resource } from '../harness.ts';

export const PROJECT = 'shop-prod';

/**
 * A `gcp.project.iam-policy` resource for `project` holding `policy` (a getIamPolicy body).
 *
 * @example projectPolicy({ bindings: [{ role: 'roles/owner', members: ['user:a@example.com'] }] })
 */
export function projectPolicy(policy: unknown, project = PROJECT): Resource {
  return resource(
    'gcp',
    'gcp.project.iam-policy',
    `//cloudresourcemanager.googleapis.com/projects/${project}`,
    { project },
    policy,
  );
}

/**
 * A getIamPolicy body with one binding of `role` to `members` (and `extra`, e.g. a condition).
 *
 * @example binding('roles/editor', ['group:devs@example.com'])
 */
export function binding(role: string, members: string[], extra: Record<string, unknown> = {}) {
  return { bindings: [{ role, members, ...extra }], etag: 'BwWWja0YfJA=', version: 1 };
}

/**
 * The forseti project policy: owner to a group and a user, editor to service accounts.
 *
 * @example projectPolicy(forseti())
 */
export const forseti = (): Record<string, unknown> =>
  fixture('gcp/iam/forseti_project_iam_policy.json');

/**
 * The google.iam.v1 Policy example: organizationAdmin to user/group/domain/serviceAccount.
 *
 * @example projectPolicy(protoExample())
 */
export const protoExample = (): Record<string, unknown> =>
  fixture('gcp/iam/googleapis_policy_proto_examples.json');
