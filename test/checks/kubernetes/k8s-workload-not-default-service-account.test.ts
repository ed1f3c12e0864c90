import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-not-default-service-account.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import {
  container,
  type Doc,
  inNamespace,
  KINDS,
  k8sDoc,
  obj,
  SPEC_PATH,
  workload,
} from './k8s.ts';

const pod = (spec: Doc): Resource => workload('Pod', { ...spec, containers: [container('app')] });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  [
    'passes-with-autoscaler-fixture-own-account',
    obj(inNamespace(k8sDoc('dns-horizontal-autoscaler', 'Deployment'))),
    'PASS',
  ],
  ['fails-with-fixture-without-account', obj(inNamespace(k8sDoc('security-context'))), 'FAIL'],
  ['fails-when-service-account-name-missing', pod({}), 'FAIL'],
  ['fails-when-service-account-name-is-default', pod({ serviceAccountName: 'default' }), 'FAIL'],
  ['fails-when-service-account-name-is-empty', pod({ serviceAccountName: '' }), 'FAIL'],
  ['passes-when-service-account-name-set', pod({ serviceAccountName: 'api' }), 'PASS'],
  ['passes-when-only-deprecated-service-account-set', pod({ serviceAccount: 'api' }), 'PASS'],
  ['fails-when-deprecated-service-account-is-default', pod({ serviceAccount: 'default' }), 'FAIL'],
  [
    'passes-when-name-is-empty-and-deprecated-field-set',
    pod({ serviceAccountName: '', serviceAccount: 'api' }),
    'PASS',
  ],
  [
    'passes-when-name-wins-over-deprecated-default',
    pod({ serviceAccountName: 'api', serviceAccount: 'default' }),
    'PASS',
  ],
  [
    'fails-when-name-default-wins-over-deprecated',
    pod({ serviceAccountName: 'default', serviceAccount: 'api' }),
    'FAIL',
  ],
];

describe('k8s-workload-not-default-service-account', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-no-account-in-a-%s', (kind) => {
    const [finding] = runCheck(check, [workload(kind, { containers: [container('app')] })]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: sets no serviceAccountName, so it runs as the default ServiceAccount`,
    );
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.serviceAccountName`, value: null },
    ]);
  });

  it.each(KINDS)('passes-when-own-account-in-a-%s', (kind) => {
    const [finding] = runCheck(check, [
      workload(kind, { serviceAccountName: 'api', containers: [] }),
    ]);
    expect(finding).toMatchObject({
      status: 'PASS',
      message: `shop/${kind}/web: runs as ServiceAccount api`,
    });
  });
});
