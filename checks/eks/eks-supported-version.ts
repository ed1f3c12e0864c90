import * as z from 'zod';
import { compareVersions, displayName } from '../lib/values.ts';
import { ev, fail, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const VERSION = /^\d+(\.\d+)*$/;

const options = z
  .object({
    minimumVersion: z.string().regex(VERSION, 'a version such as 1.30').default('1.30'),
  })
  .strict();

export default defineCheck<z.infer<typeof options>>({
  meta: {
    id: 'eks-supported-version',
    title: 'EKS cluster runs a supported Kubernetes minor version',
    severity: 'medium',
    resourceTypes: ['aws.eks.cluster'],
    lookups: [],
    requirements: ['6.3.3', '12.3.4'],
    rationale:
      'Kubernetes versions past the end of support receive no security patches; PCI DSS 6.3.3 ' +
      'requires known vulnerabilities to be patched and 12.3.4 requires hardware and software ' +
      'technologies in use to be reviewed for continued vendor support.',
    remediation:
      'Upgrade one minor version at a time: `aws eks update-cluster-version --name <cluster> ' +
      '--kubernetes-version <next minor>`, then upgrade the node groups and add-ons. Console: EKS > ' +
      'cluster > Upgrade now.',
  },
  options,
  evaluate: (ctx) =>
    ctx.index.ofType('aws.eks.cluster').map((r) => {
      const name = displayName(r);
      const e = ev(r.data, 'version');
      const min = ctx.options.minimumVersion;
      if (typeof e.value !== 'string' || !/^\d/.test(e.value.trim())) {
        return fail(r, `${name}: Kubernetes version is missing or unreadable`, [e]);
      }
      const version = e.value.trim();
      return verdict(
        compareVersions(version, min) >= 0,
        r,
        `${name}: Kubernetes ${version} is at or above the supported minimum ${min}`,
        `${name}: Kubernetes ${version} is below the supported minimum ${min}`,
        [e],
      );
    }),
});
