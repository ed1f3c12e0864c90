import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-audit-logging-enabled.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, runCheck } from '../harness.ts';
import { ODD_CLUSTER_DATA, rawEksCluster } from './helpers.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;
const MISSING = 'logging.clusterLogging[enabled].types:missing';

const cases: Array<[string, unknown, 'PASS' | 'FAIL', string[]]> = [
  [
    'passes-when-one-entry-enables-all-three',
    [{ types: ['api', 'audit', 'authenticator'], enabled: true }],
    'PASS',
    [],
  ],
  [
    'passes-when-types-spread-over-several-enabled-entries',
    [
      { types: ['api'], enabled: true },
      { types: ['controllerManager', 'scheduler'], enabled: false },
      { types: ['audit', 'authenticator'], enabled: true },
    ],
    'PASS',
    [],
  ],
  [
    'fails-when-authenticator-is-only-in-a-disabled-entry',
    [
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator'], enabled: false },
    ],
    'FAIL',
    ['authenticator'],
  ],
  [
    'fails-when-enabled-flag-missing-on-the-entry',
    [{ types: ['api', 'audit', 'authenticator'] }],
    'FAIL',
    ['api', 'audit', 'authenticator'],
  ],
  [
    'fails-when-only-scheduler-enabled',
    [{ types: ['scheduler'], enabled: true }],
    'FAIL',
    ['api', 'audit', 'authenticator'],
  ],
  ['fails-when-cluster-logging-empty', [], 'FAIL', ['api', 'audit', 'authenticator']],
  ['fails-when-logging-missing', undefined, 'FAIL', ['api', 'audit', 'authenticator']],
];

describe('eks-audit-logging-enabled', () => {
  it.each(cases)('%s', (_name, clusterLogging, expected, missing) => {
    const data = {
      ...base,
      logging: clusterLogging === undefined ? undefined : { clusterLogging },
    };
    const [finding] = runCheck(check, [eksCluster('payments', data)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain('payments');
    const named = finding?.evidence.find((e) => e.path === MISSING);
    if (missing.length === 0) expect(named).toBeUndefined();
    else {
      expect(named?.value).toEqual(missing);
      for (const t of missing) expect(finding?.message).toContain(t);
    }
  });

  it('passes-on-the-aws-cli-example-and-fails-cartography-clusters-without-authenticator', () => {
    const clusters = fixture('aws/eks/examples/cartography_eks_describe_clusters.json')
      .DESCRIBE_CLUSTERS as Array<Record<string, unknown>>;
    const findings = runCheck(
      check,
      [base, ...clusters].map((c) => eksCluster(String(c.name), c)),
    );
    expect(findings.map((f) => f.status)).toEqual(['PASS', 'FAIL', 'FAIL']);
    expect(findings[1]?.evidence).toContainEqual({ path: MISSING, value: ['authenticator'] });
  });

  it.each(ODD_CLUSTER_DATA)('fails-without-throwing-when-data-is-%s', (_name, data) => {
    const [finding] = runCheck(check, [rawEksCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('payments');
  });
});
