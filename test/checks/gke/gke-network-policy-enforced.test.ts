import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-network-policy-enforced.ts';
import { overlay, runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

/** A Standard cluster with no enforcement of any kind (Node client form). */
const NONE = {
  networkPolicy: { enabled: false, provider: 'PROVIDER_UNSPECIFIED' },
  networkConfig: { datapathProvider: 'DATAPATH_PROVIDER_UNSPECIFIED' },
  autopilot: { enabled: false },
};

const row = (name: string, patch: Record<string, unknown>, expected: Row[2]): Row => [
  name,
  overlay(NONE, patch),
  expected,
];

const rows: Row[] = [
  row(
    'passes-when-network-policy-enabled',
    { networkPolicy: { enabled: true, provider: 'CALICO' } },
    'PASS',
  ),
  row(
    'passes-when-dataplane-v2',
    { networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' } },
    'PASS',
  ),
  row('passes-when-autopilot', { autopilot: { enabled: true }, networkPolicy: null }, 'PASS'),
  row('fails-when-network-policy-disabled', {}, 'FAIL'),
  row(
    'fails-when-calico-provider-but-disabled',
    { networkPolicy: { enabled: false, provider: 'CALICO' } },
    'FAIL',
  ),
  row(
    'fails-when-legacy-datapath',
    { networkConfig: { datapathProvider: 'LEGACY_DATAPATH' } },
    'FAIL',
  ),
  row(
    'fails-when-all-three-missing',
    { networkPolicy: null, networkConfig: null, autopilot: null },
    'FAIL',
  ),
];

describe.each(FORMS)('gke-network-policy-enforced (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-network-policy-enforced passes-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({ status: 'PASS' });
  expect(finding?.evidence).toContainEqual({ path: 'networkPolicy.enabled', value: true });
});
