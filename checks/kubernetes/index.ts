/** The kubernetes checks. */
import type { AnyCheck } from '../types.ts';

export const kubernetesChecks: readonly AnyCheck[] = [];
