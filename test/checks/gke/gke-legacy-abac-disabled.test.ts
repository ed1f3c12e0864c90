import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-legacy-abac-disabled.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const rows: Row[] = [
  ['passes-when-legacy-abac-disabled', { legacyAbac: { enabled: false } }, 'PASS'],
  ['passes-when-legacy-abac-missing', { legacyAbac: null }, 'PASS'],
  ['fails-when-legacy-abac-enabled', { legacyAbac: { enabled: true } }, 'FAIL'],
];

describe.each(FORMS)('gke-legacy-abac-disabled (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-legacy-abac-disabled passes-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({
    status: 'PASS',
    evidence: [{ path: 'legacyAbac.enabled', value: null }],
  });
});
