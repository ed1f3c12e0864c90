import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-nodegroup-no-open-ssh.ts';
import { runCheck } from '../harness.ts';
import { eksNodegroup } from './helpers.ts';

const cases: Array<[string, unknown, 'PASS' | 'FAIL']> = [
  ['passes-when-no-remote-access-as-in-the-aws-cli-example', undefined, 'PASS'],
  [
    'passes-when-ssh-key-limited-to-source-security-groups',
    { ec2SshKey: 'ops-key', sourceSecurityGroups: ['sg-0123456789abcdef0'] },
    'PASS',
  ],
  ['fails-when-ssh-key-without-source-security-groups', { ec2SshKey: 'ops-key' }, 'FAIL'],
  [
    'fails-when-ssh-key-with-empty-source-security-groups',
    { ec2SshKey: 'ops-key', sourceSecurityGroups: [] },
    'FAIL',
  ],
  [
    'passes-when-source-security-groups-without-ssh-key',
    { sourceSecurityGroups: ['sg-0123456789abcdef0'] },
    'PASS',
  ],
  ['passes-when-ssh-key-empty', { ec2SshKey: '' }, 'PASS'],
  ['passes-when-remote-access-empty', {}, 'PASS'],
];

describe('eks-nodegroup-no-open-ssh', () => {
  it.each(cases)('%s', (_name, remoteAccess, expected) => {
    const ng = eksNodegroup(
      'payments',
      'workers',
      remoteAccess === undefined ? {} : { remoteAccess },
    );
    const [finding] = runCheck(check, [ng]);
    expect(finding?.status).toBe(expected);
    expect(finding?.resourceId).toBe(ng.id);
    expect(finding?.message).toContain('payments/workers');
  });

  it('names-the-key-and-cites-both-fields-on-failure', () => {
    const [finding] = runCheck(check, [
      eksNodegroup('payments', 'workers', { remoteAccess: { ec2SshKey: 'ops-key' } }),
    ]);
    expect(finding?.message).toContain('ops-key');
    expect(finding?.evidence).toEqual([
      { path: 'remoteAccess.ec2SshKey', value: 'ops-key' },
      { path: 'remoteAccess.sourceSecurityGroups', value: null },
    ]);
  });
});
