import { grantEvidence, grants, listGrants, projectOf } from '../lib/gcp.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const BASIC_ROLES: readonly string[] = ['roles/owner', 'roles/editor'];

/** Owner, Editor, or a role whose last segment ends in `admin`/`Admin` (`roles/iam.securityAdmin`). */
function isAdminRole(role: string): boolean {
  if (BASIC_ROLES.includes(role)) return true;
  const last = role.split('/').pop() ?? '';
  return last.endsWith('admin') || last.endsWith('Admin');
}

export default defineCheck({
  meta: {
    id: 'gcp-iam-service-accounts-not-admin',
    title: 'No service account holds Owner, Editor or an admin role on the project',
    severity: 'high',
    resourceTypes: ['gcp.project.iam-policy'],
    lookups: [],
    requirements: ['7.2.5'],
    rationale:
      'Service account keys and tokens are used by code and are easily leaked; an administrator ' +
      'role on one turns any compromised workload into a project takeover. PCI DSS 7.2.5 ' +
      'requires system and application accounts to get only the privileges they need.',
    remediation:
      'Grant the service account narrowly scoped roles, then `gcloud projects ' +
      'remove-iam-policy-binding <project> --member=serviceAccount:<email> --role=<role>`. ' +
      'Console: IAM & Admin > IAM > service account > Edit principal.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('gcp.project.iam-policy').map((r) => {
      const found = grants(r).filter(
        (g) => g.member.startsWith('serviceAccount:') && isAdminRole(g.role),
      );
      return verdict(
        found.length === 0,
        r,
        `project ${projectOf(r)}: no service account holds Owner, Editor or an admin role`,
        `project ${projectOf(r)}: service accounts with administrator roles: ${listGrants(found)}`,
        grantEvidence(r, found),
      );
    }),
});
