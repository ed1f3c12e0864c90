import {
  type ArmScopeLevel,
  armScopeLevel,
  assignmentLabel,
  assignmentScope,
  assignsRole,
  BUILTIN_ROLES,
} from '../lib/azure.ts';
import { ev, fail, pass } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

/** The scopes at which a User Access Administrator assignment fails. */
const BROAD: ReadonlySet<ArmScopeLevel> = new Set(['root', 'managementGroup', 'subscription']);

const LEVEL_NAME: Record<ArmScopeLevel, string> = {
  root: 'root (/)',
  managementGroup: 'management group',
  subscription: 'subscription',
  resourceGroup: 'resource group',
  resource: 'resource',
};

export default defineCheck({
  meta: {
    id: 'azure-rbac-no-user-access-admin',
    title:
      'No User Access Administrator role assignment at subscription, management-group or root scope',
    severity: 'medium',
    resourceTypes: ['azure.authorization.role-assignment'],
    lookups: [],
    requirements: ['7.2.2'],
    rationale:
      'User Access Administrator can grant anyone any role, Owner included, over everything ' +
      'below its scope; held at subscription level or above, it defeats the least-privilege ' +
      'assignment that PCI DSS 7.2.2 requires.',
    remediation:
      '`az role assignment delete --assignee <principal-id> --role "User Access Administrator" ' +
      '--scope <scope>`; grant it at resource-group scope, as a PIM-eligible assignment, or use ' +
      '"Role Based Access Control Administrator" with conditions instead. Portal: Subscriptions ' +
      '(or Management groups) > Access control (IAM) > Role assignments.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.authorization.role-assignment').map((r) => {
      const label = assignmentLabel(r);
      const evidence = [ev(r.data, 'properties.roleDefinitionId'), ev(r.data, 'properties.scope')];
      if (!assignsRole(r, BUILTIN_ROLES.userAccessAdministrator)) {
        return pass(r, `${label}: does not assign User Access Administrator`, evidence);
      }
      const scope = assignmentScope(r);
      const level = scope === undefined ? undefined : armScopeLevel(scope);
      if (level !== undefined && BROAD.has(level)) {
        return fail(
          r,
          `${label}: assigns User Access Administrator at ${LEVEL_NAME[level]} scope ${scope}`,
          evidence,
        );
      }
      const where =
        level === undefined ? 'an unknown scope' : `${LEVEL_NAME[level]} scope ${scope}`;
      return pass(r, `${label}: assigns User Access Administrator only at ${where}`, evidence);
    }),
});
