import * as z from 'zod';
import {
  armIdEquals,
  armProperties,
  armScope,
  assignmentScope,
  assignsRole,
  BUILTIN_ROLES,
  type RoleAssignmentProperties,
  subscriptionOf,
} from '../lib/azure.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck, type Resource } from '../types.ts';

const options = z.object({ maxOwners: z.number().int().min(0).default(3) }).strict();

export default defineCheck({
  meta: {
    id: 'azure-rbac-owners-limited',
    title: 'Each Azure subscription has at most 3 Owner role assignments at subscription scope',
    severity: 'medium',
    resourceTypes: ['azure.authorization.role-assignment'],
    lookups: [],
    requirements: ['7.2.1', '7.2.2'],
    rationale:
      'Owner at subscription scope can change every resource and grant any access, including to ' +
      'the cardholder data environment; PCI DSS 7.2.1 and 7.2.2 require such privileges to be ' +
      'limited to the few people whose job needs them.',
    remediation:
      'List them with `az role assignment list --scope /subscriptions/<subscription-id> --role ' +
      'Owner --output table`, then remove the ones not needed: `az role assignment delete ' +
      '--assignee <principal-id> --role Owner --scope /subscriptions/<subscription-id>` (make ' +
      'the rest PIM-eligible rather than permanent). Portal: Subscriptions > subscription > ' +
      'Access control (IAM) > Role assignments > Owner.',
  },
  options,
  evaluate: (ctx) => {
    // One group per subscription (case-insensitive), in inventory order.
    const groups = new Map<string, { subscription: string; assignments: Resource[] }>();
    for (const r of ctx.index.ofType('azure.authorization.role-assignment')) {
      const subscription = subscriptionOf(r);
      if (subscription === undefined) continue;
      const key = subscription.toLowerCase();
      const group = groups.get(key) ?? { subscription, assignments: [] };
      group.assignments.push(r);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ subscription, assignments }) => {
      const subscriptionScope = `/subscriptions/${subscription}`;
      const owners = assignments.filter((a) => {
        const scope = assignmentScope(a);
        return (
          assignsRole(a, BUILTIN_ROLES.owner) &&
          scope !== undefined &&
          armIdEquals(scope, subscriptionScope)
        );
      });
      // The finding stands on a subscription-level assignment when there is one, so that its
      // scope (and an ERROR from a collection error) is the subscription's, not a resource group's.
      const anchor =
        assignments.find((a) => armScope(a.id).resourceGroup === undefined) ?? assignments[0]!;
      const max = ctx.options.maxOwners;
      const principals = owners.map((a) => {
        const p = armProperties(a) as RoleAssignmentProperties;
        return `${p.principalType ? `${p.principalType} ` : ''}${p.principalId ?? a.id}`;
      });
      const evidence = [
        {
          path: 'ownerAssignmentsAtSubscriptionScope',
          value: owners.map((a) => {
            const p = armProperties(a) as RoleAssignmentProperties;
            return {
              id: a.id,
              principalId: p.principalId ?? null,
              principalType: p.principalType ?? null,
            };
          }),
        },
        { path: 'maxOwners', value: max },
      ];
      const listed = principals.length > 0 ? `: ${principals.join(', ')}` : '';
      return verdict(
        owners.length <= max,
        anchor,
        `subscription ${subscription}: ${owners.length} Owner assignment(s) at subscription scope (at most ${max})${listed}`,
        `subscription ${subscription}: ${owners.length} Owner assignments at subscription scope, more than ${max}${listed}`,
        evidence,
        subscriptionScope,
      );
    });
  },
});
