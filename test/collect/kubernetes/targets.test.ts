/**
 * Which clusters the Kubernetes collector reads, and how: targets made from the providers' own
 * DescribeCluster, GKE Cluster and AKS managedClusters JSON, and from the config.
 */
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../checks/types.ts';
import { serverOfKubeconfig } from '../../../functions/collect/kubernetes/auth.ts';
import { clustersFound, directTarget } from '../../../functions/collect/kubernetes/targets.ts';
import { fixture } from '../../fixtures/load.ts';

const eks = fixture('aws/eks/examples/awscli_describe-cluster.cli-output.json').cluster;
const gke = fixture('gcp/container/v1/examples/cartography_gke_list_clusters.json').clusters[0];
const aks = fixture('azure/containerservice/2026-06-01/ManagedClustersList.json').responses['200']
  .body.value[0];

const EKS_ARN = 'arn:aws:eks:us-east-2:111122223333:cluster/my-eks-cluster';
const GKE_ID =
  '//container.googleapis.com/projects/test-cluster/locations/europe-west2/clusters/test-cluster';

const eksResource = (data: object): Resource => ({
  provider: 'aws',
  type: 'aws.eks.cluster',
  id: EKS_ARN,
  scope: { account: '111122223333', region: 'us-east-2' },
  data,
});
const gkeResource = (data: object): Resource => ({
  provider: 'gcp',
  type: 'gcp.gke.cluster',
  id: GKE_ID,
  scope: { project: 'test-cluster', location: 'europe-west2' },
  data,
});
const aksResource = (data: { id: string }): Resource => ({
  provider: 'azure',
  type: 'azure.aks.managed-cluster',
  id: data.id,
  scope: { subscription: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg1' },
  data,
});

describe('clusters a cloud unit found', () => {
  it('EKS: endpoint and CA from DescribeCluster; tokens with the role the AWS unit assumed', () => {
    const unit = {
      provider: 'aws',
      account: '111122223333',
      roleArn: 'arn:aws:iam::111122223333:role/PciPostureReadOnly',
      externalId: 'x-1',
    };
    const [t] = clustersFound(unit, [eksResource(eks)]);
    expect(t).toEqual({
      id: EKS_ARN,
      label: 'eks my-eks-cluster (111122223333/us-east-2)',
      foundIn: 'aws',
      scope: { account: '111122223333', region: 'us-east-2', cluster: EKS_ARN },
      server: eks.endpoint,
      caData: eks.certificateAuthority.data,
      access: {
        kind: 'eks',
        account: '111122223333',
        region: 'us-east-2',
        clusterName: 'my-eks-cluster',
        partition: 'aws',
        roleArn: unit.roleArn,
        externalId: 'x-1',
      },
    });
  });

  it('GKE: https to the endpoint, CA from masterAuth', () => {
    const [t] = clustersFound({ provider: 'gcp', project: 'test-cluster' }, [gkeResource(gke)]);
    expect(t?.server).toBe(`https://${gke.endpoint}`);
    expect(t?.caData).toBe(gke.masterAuth.clusterCaCertificate);
    expect(t?.access).toEqual({ kind: 'gke' });
    expect(t?.unreachable).toBeUndefined();
  });

  it('AKS: the spec example has no Entra ID integration: not reachable, with the reason, never contacted', () => {
    const [t] = clustersFound({ provider: 'azure' }, [aksResource(aks)]);
    expect(t?.access).toEqual({
      kind: 'aks',
      subscription: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'rg1',
      name: 'clustername1',
    });
    expect(t?.unreachable).toMatch(
      /no Microsoft Entra ID integration .*never fetches admin or local-account credentials/,
    );
  });

  it('AKS with Entra ID: a target whose server and CA come from the user kubeconfig', () => {
    const entra = {
      ...aks,
      properties: { ...aks.properties, aadProfile: { managed: true, enableAzureRBAC: true } },
    };
    const [t] = clustersFound({ provider: 'azure' }, [aksResource(entra)]);
    expect(t?.unreachable).toBeUndefined();
    expect(t?.server).toBeUndefined();
    const stopped = {
      ...entra,
      properties: { ...entra.properties, powerState: { code: 'Stopped' } },
    };
    expect(clustersFound({}, [aksResource(stopped)])[0]?.unreachable).toMatch(/stopped/);
  });

  it.each([
    ['an EKS cluster being created', eksResource({ ...eks, status: 'CREATING' }), /CREATING/],
    [
      'an EKS cluster without endpoint',
      eksResource({ ...eks, endpoint: undefined }),
      /no API server endpoint/,
    ],
    [
      'a GKE cluster being provisioned',
      gkeResource({ ...gke, status: 'PROVISIONING' }),
      /PROVISIONING/,
    ],
    [
      'a GKE cluster without endpoint',
      gkeResource({ ...gke, endpoint: undefined }),
      /no API server endpoint/,
    ],
  ])('%s is not reachable, with the reason', (_name, resource, why) => {
    expect(clustersFound({}, [resource])[0]?.unreachable).toMatch(why);
  });

  it('EKS in another partition: the partition of the ARN, for the STS domain of the token', () => {
    const arn = 'arn:aws-cn:eks:cn-north-1:111122223333:cluster/my-eks-cluster';
    const [t] = clustersFound({}, [{ ...eksResource(eks), id: arn }]);
    expect(t?.access).toMatchObject({ kind: 'eks', partition: 'aws-cn' });
  });

  it('AKS with a legacy (not managed) Entra integration: its own server application', () => {
    const legacy = {
      ...aks,
      properties: {
        ...aks.properties,
        aadProfile: { managed: false, serverAppID: 'server-app-1' },
      },
    };
    expect(clustersFound({}, [aksResource(legacy)])[0]?.access).toMatchObject({
      kind: 'aks',
      serverAppId: 'server-app-1',
    });
  });

  it('only cluster resources become targets', () => {
    const policy: Resource = {
      provider: 'aws',
      type: 'aws.iam.policy',
      id: 'arn:aws:iam::1:policy/p',
      scope: {},
      data: {},
    };
    expect(clustersFound({}, [policy])).toEqual([]);
  });
});

describe('clusters listed in the config', () => {
  it('the name is the scope; the CA as given, whitespace removed', () => {
    expect(
      directTarget({
        name: 'onprem',
        endpoint: 'https://k8s.example.com:6443',
        caData: 'TFMw\nLS0t',
        token: { secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:k8s-AbCdEf' },
      }),
    ).toEqual({
      id: 'onprem',
      label: 'cluster onprem',
      foundIn: 'kubernetes',
      scope: { cluster: 'onprem' },
      server: 'https://k8s.example.com:6443',
      caData: 'TFMwLS0t',
      access: {
        kind: 'direct',
        token: { secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:k8s-AbCdEf' },
      },
    });
  });
});

describe("an AKS cluster's user kubeconfig", () => {
  const kubeconfig = (yaml: string) => ({
    kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(yaml).toString('base64') }],
  });
  const EXEC = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0
    server: https://dnsprefix1-abcd1234.hcp.eastus.azmk8s.io:443
  name: clustername1
contexts:
- context: { cluster: clustername1, user: clusterUser_rg1_clustername1 }
  name: clustername1
current-context: clustername1
kind: Config
users:
- name: clusterUser_rg1_clustername1
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
`;

  it('gives the server and CA, and nothing else', () => {
    expect(serverOfKubeconfig(kubeconfig(EXEC))).toEqual({
      server: 'https://dnsprefix1-abcd1234.hcp.eastus.azmk8s.io:443',
      caData: 'TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTMHRMUzB0',
    });
  });

  it.each([
    ['no kubeconfig', {}, /holds no kubeconfig/],
    ['not YAML', { kubeconfigs: [{ value: Buffer.from('{ :').toString('base64') }] }, /not YAML/],
    [
      'no https server',
      kubeconfig('clusters: [{ cluster: { server: http://x } }]'),
      /no https API server/,
    ],
  ])('refuses %s, quoting none of it', (_name, body, why) => {
    expect(() => serverOfKubeconfig(body)).toThrow(why);
  });
});
