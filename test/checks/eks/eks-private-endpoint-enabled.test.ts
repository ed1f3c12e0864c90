import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-private-endpoint-enabled.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, overlay, runCheck } from '../harness.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-private-access-true', true, 'PASS'],
  ['fails-when-private-access-false', false, 'FAIL'],
  ['fails-when-private-access-missing', undefined, 'FAIL'],
  ['fails-when-private-access-is-the-string-true', 'true', 'FAIL'],
];

describe('eks-private-endpoint-enabled', () => {
  it.each(cases)('%s', (_name, value, expected) => {
    const data = overlay(base, { resourcesVpcConfig: { endpointPrivateAccess: value } });
    const [finding] = runCheck(check, [eksCluster('payments', data)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain('payments');
    expect(finding?.evidence).toEqual([
      { path: 'resourcesVpcConfig.endpointPrivateAccess', value: value ?? null },
    ]);
  });

  it('fails-when-resources-vpc-config-missing', () => {
    const data = overlay(base, { resourcesVpcConfig: undefined });
    expect(runCheck(check, [eksCluster('payments', data)])[0]?.status).toBe('FAIL');
  });

  it('passes-on-the-published-examples', () => {
    const clusters = fixture('aws/eks/examples/cartography_eks_describe_clusters.json')
      .DESCRIBE_CLUSTERS as Array<Record<string, unknown>>;
    const resources = [base, ...clusters].map((c) => eksCluster(String(c.name), c));
    expect(runCheck(check, resources).map((f) => f.status)).toEqual(['PASS', 'PASS', 'PASS']);
  });
});
