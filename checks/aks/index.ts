/** The aks checks. */
import type { AnyCheck } from '../types.ts';

export const aksChecks: readonly AnyCheck[] = [];
