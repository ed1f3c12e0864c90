import {
  containerField,
  containerLabel,
  evidence,
  fieldPath,
  parseImage,
  pinnedByDigest,
  workloadsToEvaluate,
} from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { WORKLOAD_TYPES } from '../lib/workloads.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'k8s-workload-images-pinned',
    title: 'Every image is pinned to a digest or a version tag other than latest',
    severity: 'low',
    resourceTypes: WORKLOAD_TYPES,
    lookups: [],
    requirements: ['6.3.2'],
    rationale:
      'An image without a tag, or tagged latest, can change under the same name at the next ' +
      'pull, so what runs is not what was reviewed and scanned. PCI DSS 6.3.2 asks for an ' +
      'inventory of the software components in use, which needs a fixed version; a digest fixes ' +
      'the exact bytes.',
    remediation:
      'Reference a version tag or, better, a digest: `kubectl -n <ns> set image deployment/<name> ' +
      '<container>=<registry>/<repo>:1.4.2@sha256:<digest>` (`crane digest <image>` or ' +
      '`docker buildx imagetools inspect <image>` prints the digest).',
  },
  evaluate: (ctx) =>
    workloadsToEvaluate(ctx).map((w) => {
      const images = w.containers.flatMap((ref) => {
        const image: unknown = ref.container.image;
        if (typeof image !== 'string' || !image) return [];
        const parsed = parseImage(image);
        const problem = pinnedByDigest(parsed)
          ? undefined
          : parsed.tag === undefined || parsed.tag === ''
            ? 'has neither a tag nor a digest'
            : parsed.tag === 'latest'
              ? 'is tagged latest'
              : undefined;
        return [{ ref, image, problem }];
      });
      const bad = images.filter((i) => i.problem !== undefined);
      return verdict(
        bad.length === 0,
        w.resource,
        `${w.label}: every image is pinned to a digest or a version tag`,
        `${w.label}: ${bad.map((b) => `${containerLabel(b.ref)} image ${b.image} ${b.problem}`).join('; ')}`,
        (bad.length > 0 ? bad : images).map((i) =>
          evidence(fieldPath(...containerField(w, i.ref, 'image')), i.image),
        ),
      );
    }),
});
