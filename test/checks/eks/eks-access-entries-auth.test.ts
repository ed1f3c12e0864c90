import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-access-entries-auth.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, runCheck } from '../harness.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-mode-api', { authenticationMode: 'API' }, 'PASS'],
  ['passes-when-mode-api-and-config-map', { authenticationMode: 'API_AND_CONFIG_MAP' }, 'PASS'],
  ['fails-when-mode-config-map', { authenticationMode: 'CONFIG_MAP' }, 'FAIL'],
  ['fails-when-mode-missing', {}, 'FAIL'],
  ['fails-when-access-config-missing', undefined, 'FAIL'],
  ['fails-when-mode-lower-case', { authenticationMode: 'api' }, 'FAIL'],
];

describe('eks-access-entries-auth', () => {
  it.each(cases)('%s', (_name, accessConfig, expected) => {
    const data = { ...base, accessConfig };
    const [finding] = runCheck(check, [eksCluster('payments', data)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain('payments');
  });

  it('judges-the-published-examples', () => {
    const clusters = fixture('aws/eks/examples/cartography_eks_describe_clusters.json')
      .DESCRIBE_CLUSTERS as Array<Record<string, unknown>>;
    const findings = runCheck(
      check,
      [base, ...clusters].map((c) => eksCluster(String(c.name), c)),
    );
    expect(findings.map((f) => f.status)).toEqual(['PASS', 'PASS', 'FAIL']);
    expect(findings[2]?.evidence).toEqual([
      { path: 'accessConfig.authenticationMode', value: 'CONFIG_MAP' },
    ]);
  });
});
