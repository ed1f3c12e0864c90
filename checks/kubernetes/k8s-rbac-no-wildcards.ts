import { evidence, fieldPath, holds, metaOf, objectLabel, rulesOf } from '../lib/kubernetes.ts';
import { verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const ROLE_TYPES = ['kubernetes.Role', 'kubernetes.ClusterRole'];

export default defineCheck({
  meta: {
    id: 'k8s-rbac-no-wildcards',
    title: 'Roles list the verbs and resources they grant, without wildcards',
    severity: 'high',
    resourceTypes: ROLE_TYPES,
    lookups: [],
    requirements: ['7.2.1', '7.2.2'],
    rationale:
      'A `*` in verbs or resources grants every action, or every resource type, including ones ' +
      'added later (Secrets, escalation verbs such as bind and impersonate). PCI DSS 7.2.1 and ' +
      '7.2.2 ask that privileges are the least needed and assigned on purpose, which a wildcard ' +
      "cannot show. Built-in `system:` roles and `cluster-admin` are the platform's own and are skipped.",
    remediation:
      'Replace each wildcard with the verbs and resources the role needs, e.g. ' +
      '`kubectl edit role <name> -n <ns>` and change `verbs: ["*"]` to `verbs: ["get", "list", "watch"]` ' +
      'and `resources: ["*"]` to `resources: ["deployments", "pods"]`; ' +
      '`kubectl auth can-i --list --as=<subject>` shows what a subject really holds.',
  },
  evaluate: (ctx) =>
    ROLE_TYPES.flatMap((type) => ctx.index.ofType(type))
      .filter((role) => {
        const name = metaOf(role).name ?? '';
        if (name.startsWith('system:')) return false;
        return !(role.type === 'kubernetes.ClusterRole' && name === 'cluster-admin');
      })
      .map((role) => {
        const label = objectLabel(role);
        const wild = rulesOf(role).flatMap(({ rule, index }) => [
          ...(holds(rule.verbs, '*') ? [{ index, field: 'verbs', value: rule.verbs }] : []),
          ...(holds(rule.resources, '*')
            ? [{ index, field: 'resources', value: rule.resources }]
            : []),
        ]);
        return verdict(
          wild.length === 0,
          role,
          `${label}: no rule has a wildcard verb or resource`,
          `${label}: ${wild.map((w) => `rules[${w.index}] has * in ${w.field}`).join(', ')}`,
          wild.map((w) => evidence(fieldPath('rules', w.index, w.field), w.value)),
        );
      }),
});
