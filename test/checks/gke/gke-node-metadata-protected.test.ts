import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-node-metadata-protected.ts';
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

const mode = (name: string, m: string): Record<string, unknown> =>
  pool(name, { config: { workloadMetadataConfig: { mode: m } } });
const protectedPool = (name: string) => mode(name, 'GKE_METADATA');
const STANDARD = { autopilot: { enabled: false } };

const rows: Row[] = [
  [
    'passes-when-every-pool-uses-gke-metadata',
    { ...STANDARD, nodePools: [protectedPool('default-pool'), protectedPool('payments')] },
    'PASS',
  ],
  [
    'passes-when-autopilot-whatever-the-pools-say',
    { autopilot: { enabled: true }, nodePools: [mode('pool-1', 'MODE_UNSPECIFIED')] },
    'PASS',
  ],
  ['passes-when-there-are-no-node-pools', { ...STANDARD, nodePools: [] }, 'PASS'],
  [
    'fails-when-a-pool-uses-gce-metadata',
    { ...STANDARD, nodePools: [protectedPool('default-pool'), mode('payments', 'GCE_METADATA')] },
    'FAIL',
  ],
  [
    'fails-when-a-pool-mode-is-unspecified',
    { ...STANDARD, nodePools: [mode('payments', 'MODE_UNSPECIFIED')] },
    'FAIL',
  ],
  [
    'fails-when-a-pool-has-no-workload-metadata-config',
    { ...STANDARD, nodePools: [pool('payments', { config: { workloadMetadataConfig: null } })] },
    'FAIL',
  ],
  [
    'fails-when-a-pool-has-no-config',
    { ...STANDARD, nodePools: [pool('payments', { config: null })] },
    'FAIL',
  ],
  [
    'fails-when-autopilot-missing-and-a-pool-is-unprotected',
    { autopilot: null, nodePools: [mode('payments', 'GCE_METADATA')] },
    'FAIL',
  ],
];

describe.each(FORMS)('gke-node-metadata-protected (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

describe('gke-node-metadata-protected evidence', () => {
  it('fails-on-the-cartography-fixture-as-published', () => {
    const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('default-111-111-111-111-gke-17');
  });

  it('fails-naming-only-the-failing-pools', () => {
    const data = overlay(baseCluster(), {
      nodePools: [
        mode('web', 'GCE_METADATA'),
        protectedPool('default-pool'),
        pool('batch', { config: { workloadMetadataConfig: null } }),
      ],
    });
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('web and batch');
    expect(finding?.message).not.toContain('default-pool');
    expect(finding?.evidence).toEqual([
      { path: 'autopilot.enabled', value: null },
      { path: 'nodePools.0.name', value: 'web' },
      { path: 'nodePools.0.config.workloadMetadataConfig.mode', value: 'GCE_METADATA' },
      { path: 'nodePools.2.name', value: 'batch' },
      { path: 'nodePools.2.config.workloadMetadataConfig.mode', value: null },
    ]);
  });

  it('passes-when-nodePools-is-missing-entirely', () => {
    const data = overlay(baseCluster(), { nodePools: undefined });
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding).toMatchObject({ status: 'PASS' });
    expect(finding?.evidence).toContainEqual({ path: 'nodePools', value: null });
  });
});
