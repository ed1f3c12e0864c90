import { describe, expect, it } from 'vitest';
import check from '../../../checks/kubernetes/k8s-workload-trusted-registries.ts';
import type { Resource } from '../../../checks/types.ts';
import { runCheck } from '../harness.ts';
import { container, inNamespace, KINDS, k8sDoc, obj, SPEC_PATH, workload } from './k8s.ts';

const DIGEST = 'sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac';
const image = (ref: string, list = 'containers'): Resource =>
  workload('Deployment', {
    containers: [container('app')],
    [list]: [{ name: list === 'containers' ? 'app' : 'extra', image: ref }],
  });

const cases: Array<[string, Resource, string[] | undefined, 'PASS' | 'FAIL']> = [
  ['fails-when-bare-name-is-docker-hub', image('nginx:1.27'), undefined, 'FAIL'],
  ['fails-when-library-path-is-docker-hub', image('library/nginx:1.27'), undefined, 'FAIL'],
  ['fails-when-explicit-docker-io', image('docker.io/library/nginx:1.27'), undefined, 'FAIL'],
  [
    'passes-when-docker-io-is-allowlisted-for-a-bare-name',
    image('nginx:1.27'),
    ['docker.io'],
    'PASS',
  ],
  ['fails-when-localhost-registry', image('localhost/x:1'), undefined, 'FAIL'],
  ['passes-when-localhost-allowlisted', image('localhost/x:1'), ['localhost'], 'PASS'],
  ['fails-when-host-with-port', image('registry:5000/x:1'), undefined, 'FAIL'],
  ['passes-when-host-with-port-allowlisted', image('registry:5000/x:1'), ['registry:5000'], 'PASS'],
  ['fails-when-allowlist-omits-the-port', image('registry:5000/x:1'), ['registry'], 'FAIL'],
  ['passes-when-pattern-covers-the-port', image('registry:5000/x:1'), ['registry:*'], 'PASS'],
  [
    'fails-when-first-part-has-no-dot-colon-or-localhost',
    image('registry/x:1'),
    ['registry'],
    'FAIL',
  ],
  [
    'fails-when-digest-pinned-from-untrusted-host',
    image(`my.reg.io/a/b:1@${DIGEST}`),
    undefined,
    'FAIL',
  ],
  ['passes-when-glob-allows-the-host', image(`my.reg.io/a/b:1@${DIGEST}`), ['*.reg.io'], 'PASS'],
  ['passes-when-registry-k8s-io', image('registry.k8s.io/pause:3.10'), undefined, 'PASS'],
  [
    'passes-when-ecr-private',
    image('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.3.1'),
    undefined,
    'PASS',
  ],
  ['passes-when-ecr-public', image('public.ecr.aws/nginx/nginx:1.27'), undefined, 'PASS'],
  [
    'passes-when-artifact-registry',
    image('europe-west1-docker.pkg.dev/shop-prod/apps/api:2.3.1'),
    undefined,
    'PASS',
  ],
  ['passes-when-gcr-io', image('gcr.io/distroless/static:nonroot'), undefined, 'PASS'],
  ['passes-when-regional-gcr-io', image('eu.gcr.io/shop-prod/api:2.3.1'), undefined, 'PASS'],
  ['passes-when-azure-container-registry', image('shop.azurecr.io/api:2.3.1'), undefined, 'PASS'],
  [
    'passes-when-microsoft-container-registry',
    image('mcr.microsoft.com/dotnet/aspnet:8.0'),
    undefined,
    'PASS',
  ],
  [
    'fails-when-allowed-name-is-only-a-prefix-of-the-host',
    image('gcr.io.evil.example/x:1'),
    undefined,
    'FAIL',
  ],
  [
    'fails-when-allowed-name-is-only-a-suffix-of-the-host',
    image('evilgcr.io/x:1'),
    undefined,
    'FAIL',
  ],
  ['fails-when-quay-io', obj(inNamespace(k8sDoc('fluentd-daemonset'))), undefined, 'FAIL'],
  ['passes-with-gcr-fixture', obj(inNamespace(k8sDoc('security-context'))), undefined, 'PASS'],
  [
    'passes-with-k8s-gcr-io-fixture',
    obj(inNamespace(k8sDoc('volumes-md_hostpath-pod'))),
    undefined,
    'PASS',
  ],
  [
    'fails-when-init-container-from-docker-hub',
    image('busybox:1.36', 'initContainers'),
    undefined,
    'FAIL',
  ],
  [
    'fails-when-ephemeral-container-from-docker-hub',
    image('busybox:1.36', 'ephemeralContainers'),
    undefined,
    'FAIL',
  ],
  [
    'fails-when-configured-allowlist-replaces-the-defaults',
    image('registry.k8s.io/pause:3.10'),
    ['quay.io'],
    'FAIL',
  ],
];

describe('k8s-workload-trusted-registries', () => {
  it.each(cases)('%s', (_name, resource, allowlist, expected) => {
    const findings = runCheck(check, [resource], allowlist ? { options: { allowlist } } : {});
    expect(findings.map((f) => [f.resourceId, f.status])).toEqual([[resource.id, expected]]);
  });

  it.each(KINDS)('fails-when-docker-hub-image-in-a-%s', (kind) => {
    const r = workload(kind, {
      containers: [container('app'), { name: 'proxy', image: 'envoyproxy/envoy:v1.31' }],
    });
    const [finding] = runCheck(check, [r]);
    expect(finding?.status).toBe('FAIL');
    expect(finding?.message).toBe(
      `shop/${kind}/web: container proxy image envoyproxy/envoy:v1.31 is from docker.io, not an allowed registry`,
    );
    expect(finding?.evidence).toEqual([
      { path: `${SPEC_PATH[kind]}.containers[1].image`, value: 'envoyproxy/envoy:v1.31' },
    ]);
  });

  it('defaults-to-the-catalog-allowlist', () => {
    expect(check.options?.parse({})).toEqual({
      allowlist: [
        '*.dkr.ecr.*.amazonaws.com',
        'public.ecr.aws',
        '*-docker.pkg.dev',
        'gcr.io',
        '*.gcr.io',
        '*.azurecr.io',
        'mcr.microsoft.com',
        'registry.k8s.io',
      ],
    });
    expect(() => check.options?.parse({ allowList: [] })).toThrow();
  });
});
