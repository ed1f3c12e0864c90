import {
  evidence,
  fieldPath,
  metaOf,
  objectLabel,
  roleRefOf,
  subjectLabel,
  subjectsOf,
} from '../lib/kubernetes.ts';
import { pass, verdict } from '../lib/verdict.ts';
import { defineCheck } from '../types.ts';

const BINDING_TYPES = ['kubernetes.ClusterRoleBinding', 'kubernetes.RoleBinding'];
const PUBLIC_INFO_VIEWER = 'system:public-info-viewer';

export default defineCheck({
  meta: {
    id: 'k8s-no-anonymous-bindings',
    title: 'No RBAC binding grants anything to anonymous or unauthenticated users',
    severity: 'critical',
    resourceTypes: BINDING_TYPES,
    lookups: [],
    requirements: ['7.2.1', '8.2.1'],
    rationale:
      'A binding to the user system:anonymous or the group system:unauthenticated gives its ' +
      'permissions to anyone who can reach the API server, without any identity. PCI DSS 8.2.1 ' +
      'asks that every access is by a unique ID, and 7.2.1 that access is defined and approved.',
    remediation:
      'Remove the anonymous subjects from the binding (`kubectl edit clusterrolebinding <name>` or ' +
      '`kubectl -n <ns> edit rolebinding <name>`), or delete it; bind the role to ' +
      '`system:authenticated` or to named groups instead. Consider `--anonymous-auth=false` on the API server.',
  },
  evaluate: (ctx) =>
    BINDING_TYPES.flatMap((type) => ctx.index.ofType(type)).map((binding) => {
      const label = objectLabel(binding);
      const ref = roleRefOf(binding);
      if (
        binding.type === 'kubernetes.ClusterRoleBinding' &&
        metaOf(binding).name === PUBLIC_INFO_VIEWER &&
        ref.kind === 'ClusterRole' &&
        ref.name === PUBLIC_INFO_VIEWER
      ) {
        return pass(
          binding,
          `${label}: the built-in public-info-viewer binding (version and health endpoints only) is accepted`,
          [evidence('roleRef', ref)],
        );
      }
      const anonymous = subjectsOf(binding).filter(
        ({ subject }) =>
          (subject.kind === 'User' && subject.name === 'system:anonymous') ||
          (subject.kind === 'Group' && subject.name === 'system:unauthenticated'),
      );
      return verdict(
        anonymous.length === 0,
        binding,
        `${label}: no anonymous or unauthenticated subject`,
        `${label}: grants ${ref.kind ?? 'role'} ${ref.name ?? '?'} to ${anonymous.map(({ subject }) => subjectLabel(subject)).join(', ')}`,
        anonymous.map(({ subject, index }) => evidence(fieldPath('subjects', index), subject)),
      );
    }),
});
