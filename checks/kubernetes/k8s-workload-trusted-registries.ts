import * as z from 'zod';
import {
  containerField,
  containerLabel,
  evidence,
  fieldPath,
  hostAllowed,
  parseImage,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

/** The registries CHECKS.md trusts by default: the clouds' own registries and the Kubernetes project's. */
export const DEFAULT_REGISTRY_ALLOWLIST: readonly string[] = [
  '*.dkr.ecr.*.amazonaws.com',
  'public.ecr.aws',
  '*-docker.pkg.dev',
  'gcr.io',
  '*.gcr.io',
  '*.azurecr.io',
  'mcr.microsoft.com',
  'registry.k8s.io',
];

export default defineCheck({
  meta: {
    id: 'k8s-workload-trusted-registries',
    title: 'Every image comes from an allowed registry',
    severity: 'medium',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['2.2.1', '6.3.2'],
    rationale:
      "Images pulled from public or unknown registries bypass the organisation's scanning, " +
      'signing and inventory of bespoke and third-party software. PCI DSS 6.3.2 asks for an ' +
      'inventory of software components, and 2.2.1 for configuration standards that say where ' +
      'components come from. A name without a registry host is pulled from Docker Hub (docker.io).',
    remediation:
      'Mirror the image into your own registry (ECR, Artifact Registry, ACR) and reference it ' +
      'there: `kubectl -n <ns> set image deployment/<name> <container>=<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`. ' +
      'To trust another registry, add its host (glob patterns, `*` for any characters) to the ' +
      'check option `allowlist`.',
  },
  options: z
    .object({
      /** Registry host patterns, matching the whole host; `*` stands for any run of characters. */
      allowlist: z.array(z.string()).default(() => [...DEFAULT_REGISTRY_ALLOWLIST]),
    })
    .strict(),
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const images = w.containers.flatMap((ref) => {
        const image: unknown = ref.container.image;
        return typeof image === 'string' && image
          ? [{ ref, image, host: parseImage(image).host }]
          : [];
      });
      const bad = images.filter((i) => !hostAllowed(i.host, ctx.options.allowlist));
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: every image comes from an allowed registry (${[...new Set(images.map((i) => i.host))].join(', ') || 'no images'})`,
        `${w.label}: ${bad.map((b) => `${containerLabel(b.ref)} image ${b.image} is from ${b.host}`).join('; ')}, not an allowed registry`,
        (bad.length > 0 ? bad : images).map((i) =>
          evidence(fieldPath(...containerField(w, i.ref, 'image')), i.image),
        ),
      );
    }),
});
