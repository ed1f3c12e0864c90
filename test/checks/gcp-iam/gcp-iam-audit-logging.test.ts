import { describe, expect, it } from 'vitest';
import check from '../../../checks/gcp-iam/gcp-iam-audit-logging.ts';
import { runCheck } from '../harness.ts';
import { forseti, PROJECT, projectPolicy, protoExample } from './helpers.ts';

const ALL = [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }];
const allServices = (auditLogConfigs: unknown) => ({
  auditConfigs: [{ service: 'allServices', auditLogConfigs }],
});

const cases: Array<[string, unknown, 'PASS' | 'FAIL', string[]]> = [
  ['passes-when-all-services-enables-the-three-types', allServices(ALL), 'PASS', []],
  ['passes-on-the-forseti-policy-despite-a-per-service-exemption', forseti(), 'PASS', []],
  [
    'fails-when-data-read-is-missing',
    allServices([{ logType: 'ADMIN_READ' }, { logType: 'DATA_WRITE' }]),
    'FAIL',
    ['DATA_READ'],
  ],
  ['fails-when-admin-read-is-missing', allServices(ALL.slice(1)), 'FAIL', ['ADMIN_READ']],
  [
    'fails-when-a-member-is-exempted',
    allServices([
      { logType: 'ADMIN_READ' },
      { logType: 'DATA_READ', exemptedMembers: ['user:jose@example.com'] },
      { logType: 'DATA_WRITE' },
    ]),
    'FAIL',
    ['user:jose@example.com', 'DATA_READ'],
  ],
  [
    'passes-when-exempted-members-is-empty',
    allServices([{ logType: 'ADMIN_READ', exemptedMembers: [] }, ...ALL.slice(1)]),
    'PASS',
    [],
  ],
  [
    'fails-on-the-policy-proto-example-exempting-jose',
    protoExample(),
    'FAIL',
    ['user:jose@example.com'],
  ],
  [
    'fails-when-only-a-single-service-is-logged',
    { auditConfigs: [{ service: 'storage.googleapis.com', auditLogConfigs: ALL }] },
    'FAIL',
    ['no audit config for allServices'],
  ],
  [
    'fails-when-there-are-no-audit-configs',
    { bindings: [] },
    'FAIL',
    ['no audit config for allServices'],
  ],
  [
    'fails-when-the-all-services-entry-is-empty',
    { auditConfigs: [{ service: 'allServices' }] },
    'FAIL',
    ['ADMIN_READ, DATA_READ, DATA_WRITE'],
  ],
];

describe('gcp-iam-audit-logging', () => {
  it.each(cases)('%s', (_name, policy, expected, named) => {
    const findings = runCheck(check, [projectPolicy(policy)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.message).toContain(PROJECT);
    for (const n of named) expect(findings[0]?.message).toContain(n);
  });

  it('cites-the-all-services-log-configs', () => {
    const [finding] = runCheck(check, [projectPolicy(protoExample())]);
    expect(finding?.evidence).toEqual([
      {
        path: 'auditConfigs.0.auditLogConfigs',
        value: [
          { logType: 'DATA_READ', exemptedMembers: ['user:jose@example.com'] },
          { logType: 'DATA_WRITE' },
          { logType: 'ADMIN_READ' },
        ],
      },
    ]);
  });
});
