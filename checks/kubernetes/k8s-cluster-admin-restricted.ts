import * as z from 'zod';
import {
  evidence,
  fieldPath,
  isSystemSubject,
  metaOf,
  objectLabel,
  roleRefOf,
  subjectLabel,
  subjectsOf,
} from '../lib/kubernetes.ts';
import { pass, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const BINDING_TYPES = ['kubernetes.ClusterRoleBinding', 'kubernetes.RoleBinding'];

export default defineCheck({
  meta: {
    id: 'k8s-cluster-admin-restricted',
    title: 'cluster-admin is bound only to system subjects and approved administrators',
    severity: 'critical',
    resourceTypes: BINDING_TYPES,
    // A binding's PASS ("does not grant cluster-admin") is judged with the cluster's RBAC read
    // whole: when its Roles or ClusterRoles could not be read, what its bindings grant is not
    // known either, so the PASS becomes ERROR (a FAIL proven by the binding itself stays FAIL).
    lookups: ['kubernetes.Role', 'kubernetes.ClusterRole'],
    requirements: ['7.2.1', '7.2.2', '7.2.5'],
    rationale:
      'cluster-admin grants every permission on every object of the cluster, Secrets included. ' +
      'PCI DSS 7.2 asks that access is limited to the least privilege each job needs and is ' +
      'approved; every holder of cluster-admin outside the platform itself must be on a reviewed list.',
    remediation:
      'Bind people and applications to narrower roles instead, then remove the binding: ' +
      '`kubectl delete clusterrolebinding <name>` (or `kubectl -n <ns> delete rolebinding <name>`). ' +
      'If the subject is an approved break-glass administrator, add it to the check option ' +
      '`allowedSubjects` as `User:<name>`, `Group:<name>` or `ServiceAccount:<namespace>/<name>`.',
  },
  options: z
    .object({
      /** Subjects approved to hold cluster-admin: `User:<name>`, `Group:<name>`, `ServiceAccount:<namespace>/<name>`. */
      allowedSubjects: z.array(z.string()).default(() => []),
    })
    .strict(),
  evaluate: (ctx) =>
    BINDING_TYPES.flatMap((type) => ctx.index.ofType(type)).map((binding) => {
      const label = objectLabel(binding);
      const ref = roleRefOf(binding);
      const refEvidence = evidence('roleRef', ref);
      if (ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') {
        return pass(binding, `${label}: does not grant cluster-admin`, [refEvidence]);
      }
      const allowed = new Set(ctx.options.allowedSubjects);
      const namespace = metaOf(binding).namespace;
      const offending = subjectsOf(binding).filter(
        ({ subject }) =>
          !isSystemSubject(subject, namespace) && !allowed.has(subjectLabel(subject, namespace)),
      );
      return verdict(
        offending.length === 0,
        binding,
        `${label}: grants cluster-admin only to system or approved subjects`,
        `${label}: grants cluster-admin to ${offending.map(({ subject }) => subjectLabel(subject, namespace)).join(', ')}`,
        [
          refEvidence,
          ...offending.map(({ subject, index }) => evidence(fieldPath('subjects', index), subject)),
        ],
      );
    }),
});
