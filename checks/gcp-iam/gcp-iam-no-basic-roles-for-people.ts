import { grantEvidence, grants, isPerson, listGrants, projectOf } from '../lib/gcp.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const BASIC_ROLES: readonly string[] = ['roles/owner', 'roles/editor'];

export default defineCheck({
  meta: {
    id: 'gcp-iam-no-basic-roles-for-people',
    title: 'No user, group or domain holds the basic Owner or Editor role on the project',
    severity: 'high',
    resourceTypes: ['gcp.project.iam-policy'],
    lookups: [],
    requirements: ['7.2.1', '7.2.2'],
    rationale:
      'Owner and Editor grant thousands of permissions across every service of a project; PCI ' +
      'DSS 7.2.1 and 7.2.2 require people to receive only the privileges their job function ' +
      'needs, which predefined or custom roles can express.',
    remediation:
      'Grant the predefined roles the person needs, then `gcloud projects ' +
      'remove-iam-policy-binding <project> --member=user:<email> --role=roles/owner` (likewise for ' +
      '`group:`/`domain:` members and `roles/editor`). Console: IAM & Admin > IAM > principal > ' +
      'Edit principal.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('gcp.project.iam-policy').map((r) => {
      const found = grants(r).filter((g) => BASIC_ROLES.includes(g.role) && isPerson(g.member));
      return verdict(
        found.length === 0,
        r,
        `project ${projectOf(r)}: no user, group or domain holds roles/owner or roles/editor`,
        `project ${projectOf(r)}: basic roles granted to people: ${listGrants(found)}`,
        grantEvidence(r, found),
      );
    }),
});
