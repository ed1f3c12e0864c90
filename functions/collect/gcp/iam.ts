/**
 * A project's IAM policy: `projects.getIamPolicy` (Resource Manager v3) with
 * `requestedPolicyVersion: 3`, so that conditional role bindings are answered rather than refused.
 */
import type { Resource } from '../../../checks/types.ts';
import { attempt, type Collected, type CollectRuntime } from '../runtime.ts';
import { type GcpClient, MalformedResponse } from './clients.ts';

/** The project IAM resource type. */
export const GCP_IAM_TYPES = ['gcp.project.iam-policy'] as const;

/** The operation name of the policy read (the API's method id). */
export const GET_IAM_POLICY = 'cloudresourcemanager.projects.getIamPolicy';

/**
 * The full resource name of a project's policy (CONTRACTS §1).
 *
 * @example projectPolicyId('shop-prod') // '//cloudresourcemanager.googleapis.com/projects/shop-prod'
 */
export function projectPolicyId(project: string): string {
  return `//cloudresourcemanager.googleapis.com/projects/${project}`;
}

/**
 * Reads one project's IAM policy into `out` as the REST JSON; a failure is an error for the
 * project's policy only.
 *
 * @example await collectProjectIamPolicy(rt, client, 'shop-prod', out);
 */
export async function collectProjectIamPolicy(
  rt: CollectRuntime,
  client: GcpClient,
  project: string,
  out: Collected,
): Promise<void> {
  await attempt(
    out,
    async () => {
      const policy = await rt.call(GET_IAM_POLICY, (signal) =>
        client.json(
          {
            api: 'resourceManager',
            method: 'POST',
            path: `/v3/projects/${encodeURIComponent(project)}:getIamPolicy`,
            body: { options: { requestedPolicyVersion: 3 } },
          },
          signal,
        ),
      );
      const { bindings, auditConfigs } = policy as { bindings?: unknown; auditConfigs?: unknown };
      if (
        (bindings !== undefined && !Array.isArray(bindings)) ||
        (auditConfigs !== undefined && !Array.isArray(auditConfigs))
      ) {
        throw new MalformedResponse(
          `${GET_IAM_POLICY} answered bindings or auditConfigs that are not lists`,
        );
      }
      out.resources.push({
        provider: 'gcp',
        type: 'gcp.project.iam-policy',
        id: projectPolicyId(project),
        scope: { project },
        data: policy as Resource['data'],
      });
    },
    { provider: 'gcp', scope: { project }, types: GCP_IAM_TYPES, operation: GET_IAM_POLICY },
  );
}
