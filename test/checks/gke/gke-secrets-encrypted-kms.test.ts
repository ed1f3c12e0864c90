import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-secrets-encrypted-kms.ts';
import { runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const KEY = 'projects/test-cluster/locations/europe-west2/keyRings/gke/cryptoKeys/secrets';

const rows: Row[] = [
  [
    'passes-when-encrypted-with-a-key',
    { databaseEncryption: { state: 'ENCRYPTED', keyName: KEY } },
    'PASS',
  ],
  ['fails-when-decrypted', { databaseEncryption: { state: 'DECRYPTED', keyName: '' } }, 'FAIL'],
  [
    'fails-when-decrypted-with-a-leftover-key-name',
    { databaseEncryption: { state: 'DECRYPTED', keyName: KEY } },
    'FAIL',
  ],
  [
    'fails-when-encrypted-without-a-key',
    { databaseEncryption: { state: 'ENCRYPTED', keyName: '' } },
    'FAIL',
  ],
  ['fails-when-state-unknown', { databaseEncryption: { state: 'UNKNOWN', keyName: KEY } }, 'FAIL'],
  ['fails-when-database-encryption-missing', { databaseEncryption: null }, 'FAIL'],
];

describe.each(FORMS)('gke-secrets-encrypted-kms (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

it('gke-secrets-encrypted-kms fails-on-the-cartography-fixture-as-published', () => {
  const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
  expect(finding).toMatchObject({
    status: 'FAIL',
    evidence: [
      { path: 'databaseEncryption.state', value: 'DECRYPTED' },
      { path: 'databaseEncryption.keyName', value: null },
    ],
  });
  expect(finding?.message).toContain('DECRYPTED');
});
