import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-nodes-not-default-service-account.ts';
import { overlay, runCheck } from '../harness.ts';
import {
  baseCluster,
  CLUSTER_NAME,
  FORMS,
  gkeCluster,
  patched,
  pool,
  type Row,
} from './gke-cluster.ts';

const sa = (name: string, account: string): Record<string, unknown> =>
  pool(name, { config: { serviceAccount: account } });
const DEDICATED = 'gke-nodes@test-cluster.iam.gserviceaccount.com';
const COMPUTE_DEFAULT = '123456789012-compute@developer.gserviceaccount.com';

const rows: Row[] = [
  [
    'passes-when-every-pool-has-a-dedicated-account',
    {
      nodePools: [
        sa('default-pool', DEDICATED),
        sa('payments', 'payments-nodes@test-cluster.iam.gserviceaccount.com'),
      ],
    },
    'PASS',
  ],
  [
    'passes-when-a-dedicated-account-is-merely-named-compute',
    { nodePools: [sa('default-pool', 'compute@test-cluster.iam.gserviceaccount.com')] },
    'PASS',
  ],
  ['passes-when-there-are-no-node-pools', { nodePools: [] }, 'PASS'],
  [
    'fails-when-a-pool-service-account-is-missing',
    { nodePools: [sa('default-pool', DEDICATED), sa('payments', '')] },
    'FAIL',
  ],
  [
    'fails-when-a-pool-service-account-is-default',
    { nodePools: [sa('payments', 'default')] },
    'FAIL',
  ],
  [
    'fails-when-a-pool-uses-the-compute-engine-default-account',
    { nodePools: [sa('payments', COMPUTE_DEFAULT)] },
    'FAIL',
  ],
  ['fails-when-a-pool-has-no-config', { nodePools: [pool('payments', { config: null })] }, 'FAIL'],
];

describe.each(FORMS)('gke-nodes-not-default-service-account (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

describe('gke-nodes-not-default-service-account evidence', () => {
  it('passes-on-the-cartography-fixture-as-published', () => {
    const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
    expect(finding).toMatchObject({
      status: 'PASS',
      evidence: [
        { path: 'nodePools.0.name', value: 'default-111-111-111-111-gke-17' },
        {
          path: 'nodePools.0.config.serviceAccount',
          value: 'test-cluster-node@test-cluster.iam.gserviceaccount.com',
        },
      ],
    });
  });

  it('fails-naming-only-the-failing-pools', () => {
    const data = overlay(baseCluster(), {
      nodePools: [sa('web', 'default'), sa('api', DEDICATED), sa('batch', COMPUTE_DEFAULT)],
    });
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('web and batch');
    expect(finding?.message).not.toContain('api');
    expect(finding?.evidence).toEqual([
      { path: 'nodePools.0.name', value: 'web' },
      { path: 'nodePools.0.config.serviceAccount', value: 'default' },
      { path: 'nodePools.2.name', value: 'batch' },
      { path: 'nodePools.2.config.serviceAccount', value: COMPUTE_DEFAULT },
    ]);
  });
});
