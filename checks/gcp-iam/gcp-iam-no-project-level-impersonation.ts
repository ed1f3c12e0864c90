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

const IMPERSONATION_ROLES: readonly string[] = [
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
];
const isPerson = (member: string): boolean => /^(user|group|domain):/.test(member);

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
