/** The aws-iam checks. */
import type { AnyCheck } from '../types.ts';

export const awsIamChecks: readonly AnyCheck[] = [];
