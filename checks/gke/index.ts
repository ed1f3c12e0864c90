/** The gke checks. */
import type { AnyCheck } from '../types.ts';

export const gkeChecks: readonly AnyCheck[] = [];
