import { grantEvidence, grants, listGrants, projectOf } from '../lib/gcp.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const PUBLIC_MEMBERS: readonly string[] = ['allUsers', 'allAuthenticatedUsers'];

export default defineCheck({
  meta: {
    id: 'gcp-iam-no-public-members',
    title: 'The project IAM policy grants nothing to allUsers or allAuthenticatedUsers',
    severity: 'critical',
    resourceTypes: ['gcp.project.iam-policy'],
    lookups: [],
    requirements: ['7.2.1'],
    rationale:
      'allUsers is anyone on the internet and allAuthenticatedUsers is anyone with a Google ' +
      'account; a project-level grant to either opens project resources to the public, against ' +
      'PCI DSS 7.2.1 (access assigned by need to know).',
    remediation:
      '`gcloud projects remove-iam-policy-binding <project> --member=allUsers --role=<role>` ' +
      '(and `--member=allAuthenticatedUsers`). Console: IAM & Admin > IAM > principal > Remove ' +
      'access.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('gcp.project.iam-policy').map((r) => {
      const found = grants(r).filter((g) => PUBLIC_MEMBERS.includes(g.member));
      return verdict(
        found.length === 0,
        r,
        `project ${projectOf(r)}: no role is granted to allUsers or allAuthenticatedUsers`,
        `project ${projectOf(r)}: roles granted to the public: ${listGrants(found)}`,
        grantEvidence(r, found),
      );
    }),
});
