import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-shielded-nodes.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const rows: Row[] = [
  ['passes-when-shielded-nodes-enabled', { shieldedNodes: { enabled: true } }, 'PASS'],
  ['fails-when-shielded-nodes-disabled', { shieldedNodes: { enabled: false } }, 'FAIL'],
  ['fails-when-shielded-nodes-missing', { shieldedNodes: null }, 'FAIL'],
];

describe.each(FORMS)('gke-shielded-nodes (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-shielded-nodes fails-on-the-cartography-fixture-as-published', () => {
  // The fixture has `shieldedNodes: {}`: the message is set, `enabled` is false.
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({
    status: 'FAIL',
    evidence: [{ path: 'shieldedNodes.enabled', value: null }],
  });
});
