import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-secrets-encrypted-kms.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, runCheck } from '../harness.ts';
import { ODD_CLUSTER_DATA, rawEksCluster } from './helpers.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  [
    'passes-when-secrets-encrypted-with-key',
    [{ resources: ['secrets'], provider: { keyArn: KEY } }],
    'PASS',
  ],
  [
    'passes-when-secrets-config-is-the-second-entry',
    [
      { resources: ['configmaps'], provider: { keyArn: KEY } },
      { resources: ['secrets'], provider: { keyArn: KEY } },
    ],
    'PASS',
  ],
  ['fails-when-encryption-config-missing', undefined, 'FAIL'],
  ['fails-when-encryption-config-empty', [], 'FAIL'],
  [
    'fails-when-resources-do-not-hold-secrets',
    [{ resources: ['configmaps'], provider: { keyArn: KEY } }],
    'FAIL',
  ],
  ['fails-when-key-arn-empty', [{ resources: ['secrets'], provider: { keyArn: '' } }], 'FAIL'],
  ['fails-when-provider-missing', [{ resources: ['secrets'] }], 'FAIL'],
  [
    'fails-when-secrets-and-key-are-in-different-entries',
    [
      { resources: ['secrets'], provider: {} },
      { resources: ['configmaps'], provider: { keyArn: KEY } },
    ],
    'FAIL',
  ],
];

describe('eks-secrets-encrypted-kms', () => {
  it.each(cases)('%s', (_name, encryptionConfig, expected) => {
    const data = { ...base, encryptionConfig };
    if (encryptionConfig === undefined) delete data.encryptionConfig;
    const [finding] = runCheck(check, [eksCluster('payments', data)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain('payments');
    expect(finding?.evidence).toEqual([
      { path: 'encryptionConfig', value: encryptionConfig ?? null },
    ]);
  });

  it('fails-on-the-aws-cli-example-as-published', () => {
    expect(runCheck(check, [eksCluster('my-eks-cluster', base)])[0]?.status).toBe('FAIL');
  });

  it.each(ODD_CLUSTER_DATA)('fails-without-throwing-when-data-is-%s', (_name, data) => {
    const [finding] = runCheck(check, [rawEksCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('payments');
  });
});
