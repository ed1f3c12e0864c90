import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-endpoint-not-public.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, overlay, runCheck } from '../harness.ts';
import { ODD_CLUSTER_DATA, rawEksCluster } from './helpers.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;

const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  [
    'passes-when-endpoint-private-only',
    { endpointPublicAccess: false, publicAccessCidrs: ['0.0.0.0/0'] }, // AWS still returns 0.0.0.0/0
    'PASS',
  ],
  [
    'passes-when-public-limited-to-cidrs',
    { endpointPublicAccess: true, publicAccessCidrs: ['22.19.18.2/32'] },
    'PASS',
  ],
  [
    'fails-when-public-open-to-ipv4-world',
    { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    'FAIL',
  ],
  [
    'fails-when-public-open-to-ipv6-world',
    { endpointPublicAccess: true, publicAccessCidrs: ['10.0.0.0/8', '::/0'] },
    'FAIL',
  ],
  [
    'fails-when-public-with-missing-cidrs',
    { endpointPublicAccess: true, publicAccessCidrs: undefined },
    'FAIL',
  ],
  [
    'fails-when-public-with-empty-cidrs',
    { endpointPublicAccess: true, publicAccessCidrs: [] },
    'FAIL',
  ],
  [
    'fails-when-public-access-missing',
    { endpointPublicAccess: undefined, publicAccessCidrs: ['22.19.18.2/32'] },
    'FAIL',
  ],
];

describe('eks-endpoint-not-public', () => {
  it.each(cases)('%s', (_name, vpc, expected) => {
    const data = overlay(base, { resourcesVpcConfig: vpc });
    const [finding] = runCheck(check, [eksCluster('payments', data)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain('payments');
  });

  it('passes-on-the-aws-cli-example-as-published', () => {
    const [finding] = runCheck(check, [eksCluster('my-eks-cluster', base)]);
    expect(finding).toMatchObject({ status: 'PASS' });
    expect(finding?.evidence).toContainEqual({
      path: 'resourcesVpcConfig.endpointPublicAccess',
      value: true,
    });
  });

  it.each(ODD_CLUSTER_DATA)('fails-without-throwing-when-data-is-%s', (_name, data) => {
    const [finding] = runCheck(check, [rawEksCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('payments');
  });
});
