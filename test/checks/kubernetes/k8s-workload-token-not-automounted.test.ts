import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-token-not-automounted.ts';
import type { CollectionError, Resource } from '../../../checks/types.ts';
import { k8s, runCheck } from '../harness.ts';
import {
  CLUSTER,
  container,
  type Doc,
  inNamespace,
  KINDS,
  k8sDoc,
  NS,
  obj,
  SPEC_PATH,
  workload,
} from './k8s.ts';

/** ServiceAccount build-robot (automountServiceAccountToken: false), moved to `ns`. */
const buildRobot = (ns = NS): Resource =>
  obj(inNamespace(k8sDoc('configure-service-account-md_serviceaccount-no-automount'), ns));
const account = (name: string, extra: Doc = {}): Resource =>
  obj({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NS }, ...extra });
const pod = (spec: Doc): Resource => workload('Pod', { ...spec, containers: [container('app')] });
const saError: CollectionError = {
  provider: 'kubernetes',
  scope: { cluster: CLUSTER },
  types: ['kubernetes.ServiceAccount'],
  operation: 'listServiceAccountForAllNamespaces',
  message: 'Forbidden',
};

const cases: Array<[string, Resource, Resource[], 'PASS' | 'FAIL' | 'ERROR', CollectionError[]?]> =
  [
    [
      'passes-when-service-account-fixture-disables-automount',
      pod({ serviceAccountName: 'build-robot' }),
      [buildRobot()],
      'PASS',
    ],
    [
      'fails-when-pod-sets-true-despite-service-account-false',
      pod({ serviceAccountName: 'build-robot', automountServiceAccountToken: true }),
      [buildRobot()],
      'FAIL',
    ],
    [
      'passes-when-pod-sets-false',
      pod({ serviceAccountName: 'api', automountServiceAccountToken: false }),
      [],
      'PASS',
    ],
    [
      'passes-when-pod-sets-false-despite-service-account-true',
      pod({ serviceAccountName: 'api', automountServiceAccountToken: false }),
      [account('api', { automountServiceAccountToken: true })],
      'PASS',
    ],
    [
      'fails-when-service-account-sets-true',
      pod({ serviceAccountName: 'api' }),
      [account('api', { automountServiceAccountToken: true })],
      'FAIL',
    ],
    [
      'fails-when-service-account-sets-nothing',
      pod({ serviceAccountName: 'api' }),
      [account('api')],
      'FAIL',
    ],
    [
      'fails-when-service-account-missing-from-inventory',
      pod({ serviceAccountName: 'build-robot' }),
      [],
      'FAIL',
    ],
    [
      'errors-when-service-account-missing-and-not-collected',
      pod({ serviceAccountName: 'build-robot' }),
      [],
      'ERROR',
      [saError],
    ],
    [
      'fails-when-pod-sets-true-even-if-service-accounts-not-collected',
      pod({ serviceAccountName: 'build-robot', automountServiceAccountToken: true }),
      [],
      'FAIL',
      [saError],
    ],
    [
      'fails-when-matching-service-account-is-in-another-namespace',
      pod({ serviceAccountName: 'build-robot' }),
      [buildRobot('billing')],
      'FAIL',
    ],
    [
      'fails-when-matching-service-account-is-in-another-cluster',
      pod({ serviceAccountName: 'build-robot' }),
      [
        k8s(
          'arn:aws:eks:eu-west-1:111122223333:cluster/other',
          inNamespace(k8sDoc('configure-service-account-md_serviceaccount-no-automount')),
        ),
      ],
      'FAIL',
    ],
    [
      'passes-when-deprecated-service-account-field-names-it',
      pod({ serviceAccount: 'build-robot' }),
      [buildRobot()],
      'PASS',
    ],
    [
      'fails-when-name-wins-over-deprecated-field',
      pod({ serviceAccountName: 'api', serviceAccount: 'build-robot' }),
      [buildRobot(), account('api')],
      'FAIL',
    ],
    [
      'passes-when-default-service-account-disables-automount',
      pod({}),
      [account('default', { automountServiceAccountToken: false })],
      'PASS',
    ],
    ['fails-when-default-service-account-sets-nothing', pod({}), [account('default')], 'FAIL'],
    [
      'fails-when-service-account-false-is-a-string',
      pod({ serviceAccountName: 'api' }),
      [account('api', { automountServiceAccountToken: 'false' })],
      'FAIL',
    ],
  ];

describe('k8s-workload-token-not-automounted', () => {
  it.each(cases)('%s', (_name, resource, others, expected, errors = []) => {
    const findings = runCheck(check, [resource, ...others], { errors });
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('reads-the-pod-spec-of-a-%s', (kind) => {
    const on = workload(kind, {
      automountServiceAccountToken: true,
      serviceAccountName: 'build-robot',
      containers: [],
    });
    const [finding] = runCheck(check, [on, buildRobot()]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: pod spec sets automountServiceAccountToken: true`,
    );
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.automountServiceAccountToken`, value: true },
    ]);
    const inherited = workload(kind, { serviceAccountName: 'build-robot', containers: [] });
    expect(runCheck(check, [inherited, buildRobot()]).map((f) => f.status)).toEqual(['PASS']);
  });

  it('explains-a-missing-service-account', () => {
    const [finding] = runCheck(check, [pod({ serviceAccountName: 'api' })]);
    expect(finding?.message).toBe(
      'shop/Pod/web: the API token of ServiceAccount api is mounted (the pod spec does not set automountServiceAccountToken and the ServiceAccount is not in the inventory)',
    );
    expect(finding?.evidence).toEqual([
      { path: 'spec.automountServiceAccountToken', value: null },
      { path: 'spec.serviceAccountName', value: 'api' },
    ]);
  });

  it('looks-up-service-accounts', () => {
    expect(check.meta.lookups).toEqual(['kubernetes.ServiceAccount']);
  });

  it('emits-nothing-for-service-accounts-alone', () => {
    expect(runCheck(check, [buildRobot()])).toEqual([]);
  });
});
