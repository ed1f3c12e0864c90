/** GCP IAM policy helpers shared by the project IAM checks. */
import type { Evidence, Resource } from '../types.ts';
import { asArray, isPresent } from './values.ts';
import { ev } from './verdict.ts';

/** One member granted one role by one binding (conditional bindings included), with paths. */
export interface Grant {
  role: string;
  member: string;
  rolePath: string;
  memberPath: string;
}

/**
 * Every (role, member) pair of a project IAM policy's `bindings` (conditional bindings
 * included). A `bindings` or `members` that is a single value instead of a list reads as a list
 * of that one value, its path then naming the value itself.
 *
 * @example grants(policy).filter((g) => g.member === 'allUsers')
 */
export function grants(policy: Resource): Grant[] {
  const bindings = (policy.data as { bindings?: unknown } | null)?.bindings;
  return asArray<unknown>(bindings).flatMap((b, i): Grant[] => {
    const base = Array.isArray(bindings) ? `bindings.${i}` : 'bindings';
    const { role, members } = (isPresent(b) ? b : {}) as { role?: unknown; members?: unknown };
    if (typeof role !== 'string') return [];
    return asArray<unknown>(members).flatMap((member, j): Grant[] =>
      typeof member === 'string'
        ? [
            {
              role,
              member,
              rolePath: `${base}.role`,
              memberPath: Array.isArray(members) ? `${base}.members.${j}` : `${base}.members`,
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
