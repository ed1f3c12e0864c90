/** The EKS checks (`aws.eks.*`). */
import type { AnyCheck } from '../types.ts';
import eksEndpointNotPublic from './eks-endpoint-not-public.ts';

export const eksChecks: readonly AnyCheck[] = [eksEndpointNotPublic];
