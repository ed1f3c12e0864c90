import {
  errorVerdict,
  evidence,
  fieldPath,
  holds,
  isSystemSubject,
  metaOf,
  objectLabel,
  type PolicyRule,
  resolveRoleRef,
  roleRefOf,
  rulesOf,
  subjectLabel,
  subjectsOf,
} from '../lib/kubernetes.ts';
import { pass, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const BINDING_TYPES = ['kubernetes.ClusterRoleBinding', 'kubernetes.RoleBinding'];

/** A rule that lets its holder read Secrets (core API group, `secrets`, a read verb). */
function readsSecrets(rule: PolicyRule): boolean {
  return (
    (holds(rule.apiGroups, '') || holds(rule.apiGroups, '*')) &&
    (holds(rule.resources, 'secrets') || holds(rule.resources, '*')) &&
    ['get', 'list', 'watch', '*'].some((verb) => holds(rule.verbs, verb))
  );
}

export default defineCheck({
  meta: {
    id: 'k8s-secrets-access-restricted',
    title: 'Only system subjects can read Kubernetes Secrets',
    severity: 'high',
    resourceTypes: BINDING_TYPES,
    lookups: ['kubernetes.Role', 'kubernetes.ClusterRole'],
    requirements: ['3.6.1', '7.2.1', '7.2.2'],
    rationale:
      'Secrets hold keys, passwords and tokens, cryptographic material that protects account ' +
      'data included. PCI DSS 3.6.1 asks that access to keys is restricted to the fewest ' +
      'custodians, and 7.2 that access is least privilege; get, list or watch on secrets hands ' +
      'every Secret in scope to the subject.',
    remediation:
      'Remove the read verbs on `secrets` from the role (`kubectl edit role <name> -n <ns>` or ' +
      '`kubectl edit clusterrole <name>`), or remove the subject from the binding; let applications ' +
      'receive their Secrets as mounted volumes or through an external secrets store instead of ' +
      'reading them from the API. `kubectl auth can-i get secrets --as=<subject> -n <ns>` checks the result.',
  },
  evaluate: (ctx) =>
    BINDING_TYPES.flatMap((type) => ctx.index.ofType(type)).map((binding) => {
      const label = objectLabel(binding);
      const ref = roleRefOf(binding);
      const refEvidence = evidence('roleRef', ref);
      const roleName = `${ref.kind ?? 'role'} ${ref.name ?? '?'}`;
      const namespace = metaOf(binding).namespace;
      const people = subjectsOf(binding).filter(
        ({ subject }) => !isSystemSubject(subject, namespace),
      );
      if (people.length === 0) {
        return pass(binding, `${label}: binds only system subjects`, [refEvidence]);
      }
      const role = resolveRoleRef(ctx, binding);
      if (!role) {
        const kindType = `kubernetes.${ref.kind ?? 'Role'}`;
        if (ref.kind !== undefined && ctx.index.hasError(kindType, binding.scope)) {
          return errorVerdict(
            binding,
            `${label}: ${roleName} could not be collected, so what it grants is unknown`,
            [refEvidence],
          );
        }
        return pass(binding, `${label}: ${roleName} is not in the cluster and grants nothing`, [
          refEvidence,
        ]);
      }
      const rules = rulesOf(role).filter(({ rule }) => readsSecrets(rule));
      return verdict(
        rules.length === 0,
        binding,
        `${label}: ${roleName} does not grant reading Secrets`,
        `${label}: ${people.map(({ subject }) => subjectLabel(subject, namespace)).join(', ')} can read Secrets through ${roleName} (${rules.map(({ index }) => `rules[${index}]`).join(', ')})`,
        rules.length === 0
          ? [refEvidence]
          : [
              refEvidence,
              ...people.map(({ subject, index }) =>
                evidence(fieldPath('subjects', index), subject),
              ),
            ],
      );
    }),
});
