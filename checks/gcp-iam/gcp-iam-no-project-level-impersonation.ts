import { grantEvidence, grants, isPerson, listGrants, projectOf } from '../lib/gcp.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const IMPERSONATION_ROLES: readonly string[] = [
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
];

export default defineCheck({
  meta: {
    id: 'gcp-iam-no-project-level-impersonation',
    title: 'No user, group or domain can impersonate every service account of the project',
    severity: 'medium',
    resourceTypes: ['gcp.project.iam-policy'],
    lookups: [],
    requirements: ['7.2.2'],
    rationale:
      'Service Account User or Token Creator granted on the project lets the holder act as every ' +
      'service account in it, inheriting all of their privileges; PCI DSS 7.2.2 requires ' +
      'privileges to match job function, so grant these roles on individual service accounts.',
    remediation:
      'Grant the role on the one service account needed: `gcloud iam service-accounts ' +
      'add-iam-policy-binding <sa-email> --member=user:<email> ' +
      '--role=roles/iam.serviceAccountUser`, then `gcloud projects remove-iam-policy-binding ' +
      '<project> --member=user:<email> --role=roles/iam.serviceAccountUser`. Console: IAM & ' +
      'Admin > Service Accounts > account > Principals with access.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('gcp.project.iam-policy').map((r) => {
      const found = grants(r).filter(
        (g) => IMPERSONATION_ROLES.includes(g.role) && isPerson(g.member),
      );
      return verdict(
        found.length === 0,
        r,
        `project ${projectOf(r)}: no user, group or domain holds a service account impersonation role at project level`,
        `project ${projectOf(r)}: project-level service account impersonation: ${listGrants(found)}`,
        grantEvidence(r, found),
      );
    }),
});
