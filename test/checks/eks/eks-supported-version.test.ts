import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-supported-version.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, runCheck } from '../harness.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;

const cases: Array<[string, unknown, Record<string, unknown>, 'PASS' | 'FAIL']> = [
  ['passes-when-version-equals-default-minimum-1.30', '1.30', {}, 'PASS'],
  ['passes-when-version-above-minimum', '1.33', {}, 'PASS'],
  ['passes-when-major-above-minimum', '2.0', {}, 'PASS'],
  ['fails-when-version-1.4-compared-numerically-below-1.30', '1.4', {}, 'FAIL'],
  ['fails-when-version-1.29', '1.29', {}, 'FAIL'],
  ['fails-when-version-1.26-as-in-the-aws-cli-example', '1.26', {}, 'FAIL'],
  ['fails-when-version-missing', undefined, {}, 'FAIL'],
  ['fails-when-version-empty', '', {}, 'FAIL'],
  ['fails-when-version-not-a-version', 'latest', {}, 'FAIL'],
  ['fails-when-below-overridden-minimum', '1.31', { minimumVersion: '1.32' }, 'FAIL'],
  ['passes-when-at-overridden-minimum', '1.32', { minimumVersion: '1.32' }, 'PASS'],
  ['passes-when-above-lowered-minimum', '1.14', { minimumVersion: '1.9' }, 'PASS'],
];

describe('eks-supported-version', () => {
  it.each(cases)('%s', (_name, version, options, expected) => {
    const data = { ...base, version };
    const [finding] = runCheck(check, [eksCluster('payments', data)], { options });
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain('payments');
    expect(finding?.evidence).toEqual([{ path: 'version', value: version ?? null }]);
  });

  it('defaults-the-minimum-to-1.30', () => {
    expect(check.options?.parse({})).toEqual({ minimumVersion: '1.30' });
  });

  it.each([[{ minimumVersion: 'latest' }], [{ minimumVersion: 1.3 }], [{ minimum: '1.30' }]])(
    'rejects-bad-options-%j',
    (options) => {
      expect(() => check.options?.parse(options)).toThrow();
    },
  );
});
