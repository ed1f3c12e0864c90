import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-no-secret-literals.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import {
  container,
  type Doc,
  inNamespace,
  KINDS,
  k8sDoc,
  obj,
  SPEC_PATH,
  workload,
} from './k8s.ts';

const SECRET = 'hunter2-Sup3rS3cret';
const env = (entries: Doc[], list = 'containers'): Resource =>
  workload('Deployment', {
    containers: [container('app')],
    [list]: [container(list === 'containers' ? 'app' : 'extra', { env: entries })],
  });

const cases: Array<[string, Resource, 'PASS' | 'FAIL']> = [
  ['passes-with-fixture-without-env', obj(inNamespace(k8sDoc('security-context'))), 'PASS'],
  ['fails-when-password-literal', env([{ name: 'DB_PASSWORD', value: SECRET }]), 'FAIL'],
  ['fails-when-passwd-literal', env([{ name: 'SMTP_PASSWD', value: SECRET }]), 'FAIL'],
  ['fails-when-secret-literal', env([{ name: 'AWS_SECRET_ACCESS_KEY', value: SECRET }]), 'FAIL'],
  ['fails-when-token-literal', env([{ name: 'GITHUB_TOKEN', value: SECRET }]), 'FAIL'],
  ['fails-when-api-key-literal', env([{ name: 'STRIPE_API_KEY', value: SECRET }]), 'FAIL'],
  ['fails-when-apikey-literal', env([{ name: 'APIKEY', value: SECRET }]), 'FAIL'],
  ['fails-when-private-key-literal', env([{ name: 'PRIVATE_KEY', value: SECRET }]), 'FAIL'],
  ['fails-when-privatekey-literal', env([{ name: 'JWT_PRIVATEKEY', value: SECRET }]), 'FAIL'],
  ['fails-when-credential-literal', env([{ name: 'DB_CREDENTIALS', value: SECRET }]), 'FAIL'],
  ['fails-when-name-is-lower-case', env([{ name: 'db_password', value: SECRET }]), 'FAIL'],
  [
    'fails-when-value-was-already-redacted',
    env([{ name: 'DB_PASSWORD', value: '[REDACTED]' }]),
    'FAIL',
  ],
  ['passes-when-value-is-empty', env([{ name: 'DB_PASSWORD', value: '' }]), 'PASS'],
  ['passes-when-value-is-missing', env([{ name: 'DB_PASSWORD' }]), 'PASS'],
  [
    'passes-when-value-from-secret-ref',
    env([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]),
    'PASS',
  ],
  [
    'passes-when-name-is-not-secret-looking',
    env([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'SSH_KEY_PATH', value: '/k' },
    ]),
    'PASS',
  ],
  [
    'fails-when-init-container-has-literal',
    env([{ name: 'ADMIN_PASSWORD', value: SECRET }], 'initContainers'),
    'FAIL',
  ],
  [
    'fails-when-ephemeral-container-has-literal',
    env([{ name: 'TOKEN', value: SECRET }], 'ephemeralContainers'),
    'FAIL',
  ],
];

describe('k8s-workload-no-secret-literals', () => {
  it.each(cases)('%s', (_name, resource, expected) => {
    const findings = runCheck(check, [resource]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
    expect(JSON.stringify(findings)).not.toContain(SECRET);
  });

  it.each(KINDS)('names-the-variable-but-never-the-value-in-a-%s', (kind) => {
    const r = workload(kind, {
      containers: [
        container('app', {
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'DB_PASSWORD', value: SECRET },
          ],
        }),
      ],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: container app sets DB_PASSWORD to a literal value`,
    );
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.containers[0].env[1].value`, value: '[REDACTED]' },
    ]);
    expect(JSON.stringify(finding)).not.toContain(SECRET);
  });
});
