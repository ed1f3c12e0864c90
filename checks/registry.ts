/**
 * Every check, in one list. Each surface's `index.ts` lists its checks; this file joins them.
 */
import { aksChecks } from './aks/index.ts';
import { awsIamChecks } from './aws-iam/index.ts';
import { azureRbacChecks } from './azure-rbac/index.ts';
import { eksChecks } from './eks/index.ts';
import { gcpIamChecks } from './gcp-iam/index.ts';
import { gkeChecks } from './gke/index.ts';
import { kubernetesChecks } from './kubernetes/index.ts';
import type { AnyCheck } from './types.ts';

/** All registered checks, sorted by id. */
export const ALL_CHECKS: readonly AnyCheck[] = [
  ...eksChecks,
  ...gkeChecks,
  ...aksChecks,
  ...kubernetesChecks,
  ...awsIamChecks,
  ...gcpIamChecks,
  ...azureRbacChecks,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

/**
 * A check by id.
 *
 * @example checkById('eks-endpoint-not-public')?.meta.severity // 'high'
 */
export function checkById(id: string): AnyCheck | undefined {
  return ALL_CHECKS.find((c) => c.meta.id === id);
}
