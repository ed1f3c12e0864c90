import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-private-nodes.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const rows: Row[] = [
  [
    'passes-when-private-cluster-config-has-private-nodes',
    {
      privateClusterConfig: { enablePrivateNodes: true },
      networkConfig: { defaultEnablePrivateNodes: false },
    },
    'PASS',
  ],
  [
    'passes-when-network-config-defaults-to-private-nodes',
    {
      privateClusterConfig: { enablePrivateNodes: false },
      networkConfig: { defaultEnablePrivateNodes: true },
    },
    'PASS',
  ],
  [
    'passes-when-network-config-private-and-no-private-cluster-config',
    { privateClusterConfig: null, networkConfig: { defaultEnablePrivateNodes: true } },
    'PASS',
  ],
  [
    'fails-when-both-are-false',
    {
      privateClusterConfig: { enablePrivateNodes: false, enablePrivateEndpoint: false },
      networkConfig: { defaultEnablePrivateNodes: false },
    },
    'FAIL',
  ],
  [
    'fails-when-private-endpoint-only',
    {
      privateClusterConfig: { enablePrivateNodes: false, enablePrivateEndpoint: true },
      networkConfig: { defaultEnablePrivateNodes: false },
    },
    'FAIL',
  ],
  ['fails-when-both-configs-missing', { privateClusterConfig: null, networkConfig: null }, 'FAIL'],
];

describe.each(FORMS)('gke-private-nodes (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-private-nodes passes-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({ status: 'PASS' });
  expect(finding?.evidence).toEqual([
    { path: 'privateClusterConfig.enablePrivateNodes', value: true },
    { path: 'networkConfig.defaultEnablePrivateNodes', value: null },
  ]);
});
