import { describe, expect, it } from 'vitest';
import check from '../../../checks/eks/eks-network-policy-enforced.ts';
import type { CollectionError, Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { eksCluster, runCheck } from '../harness.ts';
import { ACCOUNT, clusterArn, daemonSet, eksAddon, REGION } from './helpers.ts';

const base = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;
const createAddonOutputs = fixture(
  'aws/eks/examples/awscli_create-addon.cli-outputs.json',
) as Array<{
  addon: Record<string, unknown>;
}>;
/** create-addon example outputs: [3] has JSON configurationValues, [4] YAML. */
const jsonValues = createAddonOutputs[3]?.addon.configurationValues as string;
const yamlValues = createAddonOutputs[4]?.addon.configurationValues as string;

const CLUSTER = 'payments';
const ID = clusterArn(CLUSTER);
const vpcCni = (configurationValues: unknown) => eksAddon(CLUSTER, { configurationValues });

const addonErrors: CollectionError[] = [
  {
    provider: 'aws',
    scope: { account: ACCOUNT, region: REGION },
    types: ['aws.eks.addon'],
    operation: 'eks:DescribeAddon',
    message: 'AccessDeniedException',
  },
];
const daemonSetErrors: CollectionError[] = [
  {
    provider: 'kubernetes',
    scope: { cluster: ID },
    types: ['kubernetes.DaemonSet'],
    operation: 'list daemonsets',
    message: 'Forbidden',
  },
];

const cases: Array<[string, Resource[], CollectionError[], 'PASS' | 'FAIL' | 'ERROR']> = [
  [
    'passes-when-vpc-cni-json-sets-string-true',
    [vpcCni('{"enableNetworkPolicy":"true"}')],
    [],
    'PASS',
  ],
  [
    'passes-when-vpc-cni-json-sets-boolean-true',
    [vpcCni('{"enableNetworkPolicy":true}')],
    [],
    'PASS',
  ],
  [
    'passes-when-vpc-cni-yaml-sets-quoted-true',
    [vpcCni(`${yamlValues}\nenableNetworkPolicy: "true"`)],
    [],
    'PASS',
  ],
  [
    'passes-when-vpc-cni-yaml-sets-boolean-true',
    [vpcCni(`enableNetworkPolicy: true\n${yamlValues}`)],
    [],
    'PASS',
  ],
  [
    'passes-when-pretty-json-from-the-aws-cli-example-adds-the-flag',
    [vpcCni(jsonValues.replace('{', '{\n    "enableNetworkPolicy": "true",'))],
    [],
    'PASS',
  ],
  [
    'fails-when-vpc-cni-yaml-has-no-flag-as-in-the-aws-cli-example',
    [vpcCni(yamlValues)],
    [],
    'FAIL',
  ],
  [
    'fails-when-vpc-cni-json-has-no-flag-as-in-the-aws-cli-example',
    [vpcCni(jsonValues)],
    [],
    'FAIL',
  ],
  ['fails-when-flag-is-string-false', [vpcCni('{"enableNetworkPolicy":"false"}')], [], 'FAIL'],
  ['fails-when-flag-is-boolean-false', [vpcCni('enableNetworkPolicy: false')], [], 'FAIL'],
  ['fails-when-flag-is-string-yes', [vpcCni('{"enableNetworkPolicy":"yes"}')], [], 'FAIL'],
  [
    'fails-when-configuration-values-unparsable',
    [vpcCni('{"enableNetworkPolicy": "true"')],
    [],
    'FAIL',
  ],
  ['fails-when-configuration-values-missing', [vpcCni(undefined)], [], 'FAIL'],
  ['fails-when-no-addon-and-no-daemonset', [], [], 'FAIL'],
  [
    'fails-when-the-enabled-vpc-cni-belongs-to-a-different-cluster',
    [eksAddon('orders', { configurationValues: '{"enableNetworkPolicy":"true"}' })],
    [],
    'FAIL',
  ],
  [
    'fails-when-the-enabled-vpc-cni-is-in-another-region',
    [
      eksAddon(
        CLUSTER,
        { configurationValues: '{"enableNetworkPolicy":"true"}' },
        { region: 'us-east-2' },
      ),
    ],
    [],
    'FAIL',
  ],
  [
    'fails-when-the-enabled-vpc-cni-is-in-another-account',
    [
      eksAddon(
        CLUSTER,
        { configurationValues: '{"enableNetworkPolicy":"true"}' },
        { account: '444455556666' },
      ),
    ],
    [],
    'FAIL',
  ],
  [
    'fails-when-the-flag-is-on-an-addon-that-is-not-vpc-cni',
    [
      eksAddon(CLUSTER, {
        addonName: 'my-eks-addon',
        configurationValues: '{"enableNetworkPolicy":"true"}',
      }),
    ],
    [],
    'FAIL',
  ],
  [
    'passes-when-calico-daemonset-in-kube-system',
    [daemonSet(ID, 'kube-system', 'calico-node')],
    [],
    'PASS',
  ],
  [
    'passes-when-calico-daemonset-in-calico-system',
    [daemonSet(ID, 'calico-system', 'calico-node')],
    [],
    'PASS',
  ],
  [
    'passes-when-cilium-daemonset-in-kube-system',
    [daemonSet(ID, 'kube-system', 'cilium')],
    [],
    'PASS',
  ],
  [
    'fails-when-calico-daemonset-in-another-namespace',
    [daemonSet(ID, 'tigera-operator', 'calico-node')],
    [],
    'FAIL',
  ],
  [
    'fails-when-cilium-daemonset-in-default-namespace',
    [daemonSet(ID, 'default', 'cilium')],
    [],
    'FAIL',
  ],
  [
    'fails-when-kube-system-daemonset-is-not-a-policy-engine',
    [daemonSet(ID, 'kube-system', 'aws-node')],
    [],
    'FAIL',
  ],
  [
    'fails-when-calico-daemonset-is-in-another-cluster',
    [daemonSet(clusterArn('orders'), 'kube-system', 'calico-node')],
    [],
    'FAIL',
  ],
  ['errors-when-addons-could-not-be-read', [vpcCni(yamlValues)], addonErrors, 'ERROR'],
  ['errors-when-daemonsets-could-not-be-read', [], daemonSetErrors, 'ERROR'],
  [
    'errors-when-addon-errors-are-scoped-to-this-cluster',
    [],
    [{ ...addonErrors[0]!, scope: { account: ACCOUNT, region: REGION, cluster: ID } }],
    'ERROR',
  ],
  [
    'fails-when-addon-errors-are-scoped-to-another-cluster',
    [],
    [
      {
        ...addonErrors[0]!,
        scope: { account: ACCOUNT, region: REGION, cluster: clusterArn('orders') },
      },
    ],
    'FAIL',
  ],
  [
    'passes-when-vpc-cni-json-repeats-the-key-last-one-true',
    [vpcCni('{"enableNetworkPolicy":"false","enableNetworkPolicy":"true"}')],
    [],
    'PASS',
  ],
  [
    'fails-when-addon-errors-are-for-another-region',
    [],
    [{ ...addonErrors[0]!, scope: { account: ACCOUNT, region: 'us-east-2' } }],
    'FAIL',
  ],
  [
    'fails-when-daemonset-errors-are-for-another-cluster',
    [],
    [{ ...daemonSetErrors[0]!, scope: { cluster: clusterArn('orders') } }],
    'FAIL',
  ],
  [
    'passes-when-addon-proves-it-despite-daemonset-errors',
    [vpcCni('{"enableNetworkPolicy":"true"}')],
    daemonSetErrors,
    'PASS',
  ],
  [
    'passes-when-daemonset-proves-it-despite-addon-errors',
    [daemonSet(ID, 'kube-system', 'cilium')],
    addonErrors,
    'PASS',
  ],
];

describe('eks-network-policy-enforced', () => {
  it.each(cases)('%s', (_name, others, errors, expected) => {
    const findings = runCheck(check, [eksCluster(CLUSTER, base), ...others], { errors });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resourceId).toBe(ID);
    expect(findings[0]?.status).toBe(expected);
    expect(findings[0]?.message).toContain(CLUSTER);
  });

  it('cites-the-addon-flag-as-evidence', () => {
    const addon = vpcCni('enableNetworkPolicy: "true"');
    const [finding] = runCheck(check, [eksCluster(CLUSTER, base), addon]);
    expect(finding?.evidence).toEqual([
      { path: `${addon.id}#configurationValues.enableNetworkPolicy`, value: 'true' },
    ]);
  });

  it('judges-each-cluster-by-its-own-addon', () => {
    const findings = runCheck(check, [
      eksCluster(CLUSTER, base),
      eksCluster('orders', base),
      eksAddon('orders', { configurationValues: '{"enableNetworkPolicy":"true"}' }),
      vpcCni(yamlValues),
    ]);
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([
      [ID, 'FAIL'],
      [clusterArn('orders'), 'PASS'],
    ]);
  });
});
