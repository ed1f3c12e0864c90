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
