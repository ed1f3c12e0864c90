/** The azure-rbac checks. */
import type { AnyCheck } from '../types.ts';

export const azureRbacChecks: readonly AnyCheck[] = [];
