import { describe, expect, it } from 'vitest';
import check from '../../../checks/aks/aks-encryption-at-host.ts';
import { aksCluster, EXAMPLES, example, judge, withProperties } from './aks-cluster.ts';

const DES =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/des';

const cases: Array<[string, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  [
    'passes-when-disk-encryption-set-given-whatever-the-pools',
    { diskEncryptionSetID: DES, agentPoolProfiles: [{ name: 'system' }] },
    'PASS',
  ],
  [
    'passes-when-every-pool-encrypts-at-host',
    {
      diskEncryptionSetID: undefined,
      agentPoolProfiles: [
        { name: 'system', enableEncryptionAtHost: true },
        { name: 'user', enableEncryptionAtHost: true },
      ],
    },
    'PASS',
  ],
  [
    'passes-when-empty-disk-encryption-set-and-every-pool-encrypts-at-host',
    {
      diskEncryptionSetID: '',
      agentPoolProfiles: [{ name: 'system', enableEncryptionAtHost: true }],
    },
    'PASS',
  ],
  [
    'passes-when-there-are-no-pools',
    { diskEncryptionSetID: undefined, agentPoolProfiles: [] },
    'PASS',
  ],
  [
    'passes-when-pools-missing',
    { diskEncryptionSetID: undefined, agentPoolProfiles: undefined },
    'PASS',
  ],
  [
    'fails-when-a-pool-entry-is-null-so-has-no-encryption-at-host',
    {
      diskEncryptionSetID: undefined,
      agentPoolProfiles: [{ name: 'system', enableEncryptionAtHost: true }, null],
    },
    'FAIL',
  ],
  [
    'fails-when-one-pool-lacks-encryption-at-host',
    {
      diskEncryptionSetID: undefined,
      agentPoolProfiles: [
        { name: 'system', enableEncryptionAtHost: true },
        { name: 'user', enableEncryptionAtHost: false },
      ],
    },
    'FAIL',
  ],
  [
    'fails-when-encryption-at-host-missing',
    { diskEncryptionSetID: null, agentPoolProfiles: [{ name: 'system' }] },
    'FAIL',
  ],
  [
    'fails-when-empty-disk-encryption-set-and-no-encryption-at-host',
    { diskEncryptionSetID: '', agentPoolProfiles: [{ name: 'system' }] },
    'FAIL',
  ],
];

describe('aks-encryption-at-host', () => {
  it.each(cases)('%s', (_name, properties, expected) => {
    const finding = judge(check, withProperties(properties));
    expect(finding.status).toBe(expected);
    expect(finding.evidence[0]?.path).toBe('properties.diskEncryptionSetID');
  });

  it('names-the-pools-without-encryption-at-host', () => {
    const finding = judge(
      check,
      withProperties({
        diskEncryptionSetID: undefined,
        agentPoolProfiles: [
          { name: 'system', enableEncryptionAtHost: true },
          { name: 'batch', enableEncryptionAtHost: false },
        ],
      }),
    );
    expect(finding.message).toContain('batch');
    expect(finding.message).not.toContain('system');
  });

  it.each([
    ['passes-on-the-get-example-as-published (disk encryption set)', EXAMPLES.get, 'PASS'],
    [
      'passes-on-the-private-cluster-example-as-published (encryption at host)',
      EXAMPLES.privateCluster,
      'PASS',
    ],
  ])('%s', (_name, path, expected) => {
    expect(judge(check, aksCluster(example(path))).status).toBe(expected);
  });
});
