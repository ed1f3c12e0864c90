import { describe, expect, it } from 'vitest';
import check from '../../../checks/gke/gke-control-plane-not-public.ts';
import { overlay, runCheck } from '../harness.ts';
import { baseCluster, CLUSTER_NAME, FORMS, gkeCluster, patched, type Row } from './gke-cluster.ts';

/** A public control plane with nothing restricting it (Node client form). */
const OPEN = {
  privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
  controlPlaneEndpointsConfig: null,
  masterAuthorizedNetworksConfig: { enabled: false, cidrBlocks: [] },
};
const OFFICE = { displayName: 'office', cidrBlock: '203.0.113.0/24' };
const WORLD4 = { displayName: 'anyone', cidrBlock: '0.0.0.0/0' };
const WORLD6 = { displayName: 'anyone-v6', cidrBlock: '::/0' };
const PUBLIC_IP = { enabled: true, enablePublicEndpoint: true };

const row = (name: string, patch: Record<string, unknown>, expected: Row[2]): Row => [
  name,
  overlay(OPEN, patch),
  expected,
];

const rows: Row[] = [
  row(
    'passes-when-private-endpoint-enabled',
    { privateClusterConfig: { enablePrivateEndpoint: true } },
    'PASS',
  ),
  row(
    'passes-when-private-endpoint-enabled-despite-open-networks',
    {
      privateClusterConfig: { enablePrivateEndpoint: true },
      masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [WORLD4] },
    },
    'PASS',
  ),
  row(
    'passes-when-ip-endpoints-disabled',
    {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: { enabled: false, enablePublicEndpoint: true },
      },
    },
    'PASS',
  ),
  row(
    'passes-when-ip-endpoints-public-endpoint-disabled',
    {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false },
      },
    },
    'PASS',
  ),
  row(
    'passes-when-ip-endpoints-config-present-with-fields-absent',
    { controlPlaneEndpointsConfig: { ipEndpointsConfig: {} } },
    'PASS',
  ),
  row(
    'fails-when-ip-endpoints-config-missing-and-networks-disabled',
    { controlPlaneEndpointsConfig: { ipEndpointsConfig: null } },
    'FAIL',
  ),
  row(
    'fails-when-public-ip-endpoint-and-networks-disabled',
    {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: {
          ...PUBLIC_IP,
          authorizedNetworksConfig: { enabled: false, cidrBlocks: [] },
        },
      },
    },
    'FAIL',
  ),
  row('fails-when-private-endpoint-off-and-networks-disabled', {}, 'FAIL'),
  row(
    'fails-when-no-endpoint-or-network-config-at-all',
    { privateClusterConfig: null, masterAuthorizedNetworksConfig: null },
    'FAIL',
  ),
  row(
    'passes-when-master-authorized-networks-limit-access',
    { masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [OFFICE] } },
    'PASS',
  ),
  row(
    'passes-when-master-authorized-networks-enabled-without-cidrs',
    { masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [] } },
    'PASS',
  ),
  row(
    'passes-when-ip-endpoint-authorized-networks-limit-access',
    {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: {
          ...PUBLIC_IP,
          authorizedNetworksConfig: { enabled: true, cidrBlocks: [OFFICE] },
        },
      },
    },
    'PASS',
  ),
  row(
    'fails-when-authorized-network-cidrs-given-but-not-enabled',
    { masterAuthorizedNetworksConfig: { enabled: false, cidrBlocks: [OFFICE] } },
    'FAIL',
  ),
  row(
    'fails-when-master-authorized-networks-hold-ipv4-world',
    { masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [OFFICE, WORLD4] } },
    'FAIL',
  ),
  row(
    'fails-when-master-authorized-networks-hold-ipv6-world',
    { masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [WORLD6] } },
    'FAIL',
  ),
  row(
    'fails-when-ip-endpoint-authorized-networks-hold-ipv4-world',
    {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: {
          ...PUBLIC_IP,
          authorizedNetworksConfig: { enabled: true, cidrBlocks: [WORLD4] },
        },
      },
    },
    'FAIL',
  ),
  row(
    'fails-when-ip-endpoint-authorized-networks-hold-ipv6-world',
    {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: {
          ...PUBLIC_IP,
          authorizedNetworksConfig: { enabled: true, cidrBlocks: [WORLD6] },
        },
      },
    },
    'FAIL',
  ),
  row(
    'fails-when-the-other-object-holds-the-world',
    {
      masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [OFFICE] },
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: {
          ...PUBLIC_IP,
          authorizedNetworksConfig: { enabled: false, cidrBlocks: [WORLD6] },
        },
      },
    },
    'FAIL',
  ),
];

describe.each(FORMS)('gke-control-plane-not-public (%s form)', (_form, toForm) => {
  it.each(rows)('%s', (_name, patch, expected) => {
    const [finding] = runCheck(check, [patched(toForm, patch)]);
    expect(finding?.status).toBe(expected);
    expect(finding?.message).toContain(CLUSTER_NAME);
  });
});

describe('gke-control-plane-not-public evidence', () => {
  it('passes-on-the-cartography-fixture-as-published', () => {
    const [finding] = runCheck(check, [gkeCluster(baseCluster())]);
    expect(finding).toMatchObject({
      status: 'PASS',
      evidence: [{ path: 'privateClusterConfig.enablePrivateEndpoint', value: true }],
    });
  });

  it('fails-naming-the-open-cidr-and-listing-both-network-configs', () => {
    const data = overlay(
      baseCluster(),
      overlay(OPEN, {
        masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [OFFICE, WORLD4] },
      }),
    );
    const [finding] = runCheck(check, [gkeCluster(data)]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toContain('0.0.0.0/0');
    expect(finding?.evidence).toContainEqual({
      path: 'masterAuthorizedNetworksConfig.cidrBlocks',
      value: [OFFICE, WORLD4],
    });
    expect(finding?.evidence.map((e) => e.path)).toContain(
      'controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig.cidrBlocks',
    );
  });
});
