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
const isPerson = (member: string): boolean => /^(user|group|domain):/.test(member);

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
