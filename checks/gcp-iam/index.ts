/** The gcp-iam checks. */
import type { AnyCheck } from '../types.ts';

export const gcpIamChecks: readonly AnyCheck[] = [];
