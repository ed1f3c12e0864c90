/** GCP IAM policy helpers shared by the project IAM checks. */
import type { Evidence, Resource } from '../types.ts';
import { ev } from './verdict.ts';

/** One member granted one role by one binding (conditional bindings included), with paths. */
export interface Grant {
  role: string;
  member: string;
  rolePath: string;
  memberPath: string;
}

/**
 * Every (role, member) pair of a project IAM policy's `bindings`.
 *
 * @example grants(policy).filter((g) => g.member === 'allUsers')
 */
export function grants(policy: Resource): Grant[] {
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

/**
 * Evidence for the offending grants: each binding's role once, then its offending members.
 *
 * @example grantEvidence(policy, found) // [{ path: 'bindings.0.role', ... }, { path: 'bindings.0.members.1', ... }]
 */
export function grantEvidence(policy: Resource, found: readonly Grant[]): Evidence[] {
  const out: Evidence[] = [];
  for (const g of found) {
    if (!out.some((e) => e.path === g.rolePath)) out.push(ev(policy.data, g.rolePath));
    out.push(ev(policy.data, g.memberPath));
  }
  return out;
}

/**
 * The project a policy belongs to, for messages.
 *
 * @example projectOf(policy) // 'shop-prod'
 */
export const projectOf = (r: Resource): string => r.scope.project ?? r.id.split('/').pop() ?? r.id;

/**
 * The grants as a readable list: `user:a@x has roles/owner, ...`.
 *
 * @example listGrants(found)
 */
export const listGrants = (found: readonly Grant[]): string =>
  found.map((g) => `${g.member} has ${g.role}`).join(', ');

/**
 * True for members that stand for people: `user:`, `group:` or `domain:`.
 *
 * @example isPerson('group:admins@example.com') // true
 */
export const isPerson = (member: string): boolean => /^(user|group|domain):/.test(member);
