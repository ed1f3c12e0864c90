import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-workload-identity-enabled.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const rows: Row[] = [
  [
    'passes-when-workload-pool-set',
    {
      workloadIdentityConfig: { workloadPool: 'test-cluster.svc.id.goog' },
      autopilot: { enabled: false },
    },
    'PASS',
  ],
  [
    'passes-when-autopilot-without-workload-pool',
    { workloadIdentityConfig: null, autopilot: { enabled: true } },
    'PASS',
  ],
  [
    'fails-when-workload-pool-empty',
    { workloadIdentityConfig: { workloadPool: '' }, autopilot: { enabled: false } },
    'FAIL',
  ],
  [
    'fails-when-workload-identity-config-missing',
    { workloadIdentityConfig: null, autopilot: null },
    'FAIL',
  ],
];

describe.each(FORMS)('gke-workload-identity-enabled (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-workload-identity-enabled passes-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({
    status: 'PASS',
    evidence: [
      { path: 'workloadIdentityConfig.workloadPool', value: 'test-cluster.svc.id.goog' },
      { path: 'autopilot.enabled', value: null },
    ],
  });
});
