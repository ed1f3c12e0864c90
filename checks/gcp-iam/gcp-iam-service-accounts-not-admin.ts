import { ev, verdict } from '../lib/verdict.ts';
import type { Evidence, Resource } from '../types.ts';
import { defineCheck } from '../types.ts';

/** One member granted one role by one binding (conditional bindings included), with paths. */
interface Grant {
  role: string;
  member: string;
  rolePath: string;
  memberPath: string;
}

/** Every (role, member) pair of a project IAM policy's `bindings`. */
function grants(policy: Resource): Grant[] {
  const bindings = (policy.data as { bindings?: unknown } | null)?.bindings;
  if (!Array.isArray(bindings)) return [];
  return bindings.flatMap((b: { role?: unknown; members?: unknown } | null, i): Grant[] => {
    if (typeof b?.role !== 'string' || !Array.isArray(b.members)) return [];
    const role = b.role;
    return b.members.flatMap((member: unknown, j): Grant[] =>
      typeof member === 'string'
        ? [
            {
              role,
              member,
              rolePath: `bindings.${i}.role`,
              memberPath: `bindings.${i}.members.${j}`,
            },
          ]
        : [],
    );
  });
}

/** Evidence for the offending grants: each binding's role once, then its offending members. */
function grantEvidence(policy: Resource, found: readonly Grant[]): Evidence[] {
  const out: Evidence[] = [];
  for (const g of found) {
    if (!out.some((e) => e.path === g.rolePath)) out.push(ev(policy.data, g.rolePath));
    out.push(ev(policy.data, g.memberPath));
  }
  return out;
}

const projectOf = (r: Resource): string => r.scope.project ?? r.id.split('/').pop() ?? r.id;
const listGrants = (found: readonly Grant[]): string =>
  found.map((g) => `${g.member} has ${g.role}`).join(', ');

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
