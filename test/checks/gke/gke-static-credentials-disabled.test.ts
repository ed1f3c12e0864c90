import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-static-credentials-disabled.ts';
import { overlay, runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const PASSWORD = 'hunter2-not-a-real-password';

/** `masterAuth` with no static credential (Node client form). */
const CLEAN = {
  username: '',
  password: '',
  clientCertificateConfig: null,
  clusterCaCertificate: '11111',
  clientCertificate: '',
  clientKey: '',
};

const row = (name: string, auth: Record<string, unknown> | null, expected: Row[2]): Row => [
  name,
  { masterAuth: auth === null ? null : overlay(CLEAN, auth) },
  expected,
];

const rows: Row[] = [
  row('passes-when-no-static-credentials', {}, 'PASS'),
  row(
    'passes-when-client-certificate-issuance-off',
    { clientCertificateConfig: { issueClientCertificate: false } },
    'PASS',
  ),
  row('passes-when-master-auth-missing', null, 'PASS'),
  row('fails-when-basic-auth-username-set', { username: 'admin', password: PASSWORD }, 'FAIL'),
  row(
    'fails-when-client-certificate-issuance-on',
    { clientCertificateConfig: { issueClientCertificate: true } },
    'FAIL',
  ),
  row(
    'fails-when-client-certificate-present',
    { clientCertificate: CERT, clientKey: 'KEY' },
    'FAIL',
  ),
];

describe.each(FORMS)('gke-static-credentials-disabled (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

describe('gke-static-credentials-disabled evidence', () => {
  it('passes-on-the-cartography-fixture-as-published', () => {
    const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
    expect(finding?.status).toBe('PASS');
  });

  it('fails-naming-all-three-without-leaking-secrets', () => {
    const data = overlay(baseCluster(), {
      masterAuth: {
        username: 'admin',
        password: PASSWORD,
        clientCertificateConfig: { issueClientCertificate: true },
        clientCertificate: CERT,
        clientKey: 'PRIVATE-KEY',
      },
    });
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('basic-auth');
    expect(finding?.message).toContain('client certificate issuance');
    expect(finding?.message).toContain('issued client certificate');
    expect(finding?.evidence).toEqual([
      { path: 'masterAuth.username', value: 'admin' },
      { path: 'masterAuth.clientCertificateConfig.issueClientCertificate', value: true },
      { path: 'masterAuth.clientCertificate', value: '[REDACTED]' },
    ]);
    const text = JSON.stringify(finding);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('PRIVATE-KEY');
    expect(text).not.toContain('BEGIN CERTIFICATE');
  });
});
