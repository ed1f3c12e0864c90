import { armProperties, sameEnum } from '../lib/azure.ts';
import { asArray, displayName } from '../lib/values.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck, type Evidence } from '../types.ts';

export default defineCheck({
  meta: {
    id: 'azure-rbac-no-custom-wildcard-roles',
    title: 'No custom Azure role grants every action (`*`)',
    severity: 'high',
    resourceTypes: ['azure.authorization.role-definition'],
    lookups: [],
    requirements: ['7.2.2'],
    rationale:
      'A custom role with `*` in its actions is an Owner in disguise that does not show up in ' +
      'Owner reviews; PCI DSS 7.2.2 requires privileges to be assigned by job function, with ' +
      'the least privilege needed.',
    remediation:
      'List the needed operations explicitly: edit the role JSON (`az role definition list ' +
      '--name "<role name>" --custom-role-only true`) and apply it with `az role definition ' +
      'update --role-definition <role.json>`. Portal: Subscriptions > Access control (IAM) > ' +
      'Roles > the custom role > Edit > Permissions.',
  },
  evaluate: (ctx) =>
    ctx.index.ofType('azure.authorization.role-definition').flatMap((r) => {
      const props = armProperties(r);
      // Built-in roles are Microsoft's: skipped (no finding). ARM enum values are case-insensitive.
      if (!sameEnum(props.type, 'CustomRole')) return [];
      const name =
        typeof props.roleName === 'string' && props.roleName !== ''
          ? props.roleName
          : displayName(r);
      const evidence: Evidence[] = asArray<unknown>(props.permissions).map((p, i) => ({
        path: `properties.permissions.${i}.actions`,
        value: (p as { actions?: unknown } | null)?.actions ?? null,
      }));
      const wildcard = evidence.filter((e) => asArray<unknown>(e.value).includes('*'));
      return [
        verdict(
          wildcard.length === 0,
          r,
          `custom role ${name}: no permission grants every action`,
          `custom role ${name}: grants every action (\`*\` in ${wildcard.map((e) => e.path).join(', ')})`,
          wildcard.length === 0 ? evidence : wildcard,
        ),
      ];
    }),
});
