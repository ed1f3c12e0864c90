import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-binary-authorization.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const binauthz = (evaluationMode: string, enabled = false): Record<string, unknown> => ({
  binaryAuthorization: { enabled, evaluationMode },
});

const rows: Row[] = [
  [
    'passes-when-project-singleton-policy-enforced',
    binauthz('PROJECT_SINGLETON_POLICY_ENFORCE'),
    'PASS',
  ],
  [
    'passes-when-policy-bindings-and-project-singleton-policy-enforced',
    binauthz('POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE'),
    'PASS',
  ],
  ['passes-when-legacy-enabled-flag-set', binauthz('EVALUATION_MODE_UNSPECIFIED', true), 'PASS'],
  ['fails-when-evaluation-mode-disabled', binauthz('DISABLED'), 'FAIL'],
  ['fails-when-policy-bindings-only', binauthz('POLICY_BINDINGS'), 'FAIL'],
  ['fails-when-evaluation-mode-unspecified', binauthz('EVALUATION_MODE_UNSPECIFIED'), 'FAIL'],
  ['fails-when-binary-authorization-missing', { binaryAuthorization: null }, 'FAIL'],
];

describe.each(FORMS)('gke-binary-authorization (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-binary-authorization fails-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({
    status: 'FAIL',
    evidence: [
      { path: 'binaryAuthorization.evaluationMode', value: null },
      { path: 'binaryAuthorization.enabled', value: null },
    ],
  });
});
