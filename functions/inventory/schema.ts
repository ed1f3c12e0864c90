/**
 * The inventory envelope (CONTRACTS §1) as a runtime schema. `data` is the provider's own JSON
 * and is not reshaped here; the envelope around it is validated strictly.
 */
import * as z from 'zod';

export const PROVIDERS = ['aws', 'gcp', 'azure', 'kubernetes'] as const;

const nonEmpty = z.string().min(1, 'must be a non-empty string');

/** ISO-8601 date-time with a zone (`2026-11-26T02:00:00Z`). */
export const isoDateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time with a time zone, like 2026-11-26T02:00:00Z',
});

const scope = z.record(z.string(), nonEmpty, 'must be an object of strings');

const resourceSchema = z
  .object({
    provider: z.enum(PROVIDERS),
    type: z
      .string()
      .regex(
        /^(aws|gcp|azure|kubernetes)\.[A-Za-z0-9][A-Za-z0-9.-]*$/,
        'must look like <provider>.<service>.<kind>, e.g. aws.eks.cluster',
      ),
    id: nonEmpty,
    scope,
    // Checked without copying: `data` is the provider's JSON and can be large.
    data: z.custom<Record<string, unknown> | null>(
      (v) => v === null || (typeof v === 'object' && !Array.isArray(v)),
      { message: 'must be the provider object (a JSON object) or null' },
    ),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (!r.type.startsWith(`${r.provider}.`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `type "${r.type}" does not belong to provider "${r.provider}"`,
      });
    }
    if (r.provider === 'kubernetes' && !r.scope.cluster) {
      ctx.addIssue({
        code: 'custom',
        path: ['scope', 'cluster'],
        message: 'Kubernetes objects need scope.cluster (the cluster resource id)',
      });
    }
  });

const errorSchema = z
  .object({
    provider: z.enum(PROVIDERS),
    scope,
    types: z.array(nonEmpty).min(1, 'must list at least one resource type'),
    operation: z.string().optional(),
    message: z.string(),
    resourceId: nonEmpty.optional(),
  })
  .strict();

/** The whole inventory file. */
export const inventorySchema = z
  .object({
    schema: z.literal('pci-posture/inventory@1', {
      message: 'must be "pci-posture/inventory@1"',
    }),
    collectedAt: isoDateTime,
    resources: z.array(resourceSchema),
    errors: z.array(errorSchema),
  })
  .strict();
