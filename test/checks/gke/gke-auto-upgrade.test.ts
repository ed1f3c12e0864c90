import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-auto-upgrade.ts';
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

const upgrading = (name: string, on: boolean): Record<string, unknown> =>
  pool(name, { management: { autoUpgrade: on, autoRepair: true } });
const NO_CHANNEL = { releaseChannel: { channel: 'UNSPECIFIED' } };

const rows: Row[] = [
  [
    'passes-when-on-the-regular-channel-whatever-the-pools-say',
    { releaseChannel: { channel: 'REGULAR' }, nodePools: [upgrading('default-pool', false)] },
    'PASS',
  ],
  [
    'passes-when-on-the-extended-channel',
    { releaseChannel: { channel: 'EXTENDED' }, nodePools: [upgrading('default-pool', false)] },
    'PASS',
  ],
  [
    'passes-when-channel-unspecified-but-every-pool-auto-upgrades',
    { ...NO_CHANNEL, nodePools: [upgrading('default-pool', true), upgrading('payments', true)] },
    'PASS',
  ],
  [
    'passes-when-release-channel-missing-but-every-pool-auto-upgrades',
    { releaseChannel: null, nodePools: [upgrading('default-pool', true)] },
    'PASS',
  ],
  ['passes-when-channel-unspecified-and-no-node-pools', { ...NO_CHANNEL, nodePools: [] }, 'PASS'],
  [
    'fails-when-channel-unspecified-and-a-pool-does-not-auto-upgrade',
    { ...NO_CHANNEL, nodePools: [upgrading('default-pool', true), upgrading('payments', false)] },
    'FAIL',
  ],
  [
    'fails-when-release-channel-missing-and-a-pool-has-no-management',
    { releaseChannel: null, nodePools: [pool('payments', { management: null })] },
    'FAIL',
  ],
];

describe.each(FORMS)('gke-auto-upgrade (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

describe('gke-auto-upgrade evidence', () => {
  it('fails-on-the-cartography-fixture-as-published', () => {
    // No release channel; the one pool has autoRepair only.
    const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
    expect(finding).toMatchObject({
      status: 'FAIL',
      evidence: [
        { path: 'releaseChannel.channel', value: null },
        { path: 'nodePools.0.name', value: 'default-111-111-111-111-gke-17' },
        { path: 'nodePools.0.management.autoUpgrade', value: null },
      ],
    });
  });

  it('passes-on-the-channel-alone', () => {
    const data = overlay(baseCluster(), { releaseChannel: { channel: 'STABLE' } });
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding).toMatchObject({
      status: 'PASS',
      evidence: [{ path: 'releaseChannel.channel', value: 'STABLE' }],
    });
    expect(finding?.message).toContain('STABLE');
  });

  it('fails-naming-only-the-pools-without-auto-upgrade', () => {
    const data = overlay(baseCluster(), {
      nodePools: [upgrading('web', false), upgrading('api', true), upgrading('batch', false)],
    });
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding?.message).toContain('web and batch');
    expect(finding?.evidence.map((e) => e.value)).toEqual([null, 'web', false, 'batch', false]);
  });
});
