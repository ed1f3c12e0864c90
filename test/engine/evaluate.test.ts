import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import eksEndpointNotPublic from '../../checks/eks/eks-endpoint-not-public.ts';
import { pass } from '../../checks/lib/verdict.ts';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { AnyCheck, CollectionError, Inventory, Resource } from '../../checks/types.ts';
import { defineCheck } from '../../checks/types.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { eksCluster, k8s, resource } from '../checks/harness.ts';

const CLUSTER = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';

function inventory(resources: Resource[], errors: CollectionError[] = []): Inventory {
  return {
    schema: 'pci-posture/inventory@1',
    collectedAt: '2026-11-26T02:00:00Z',
    resources,
    errors,
  };
}

const open = eksCluster('storefront', {
  version: '1.31',
  resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
});
const closed = eksCluster('payments', {
  version: '1.31',
  resourcesVpcConfig: { endpointPublicAccess: false },
});

/** A check on Namespaces that looks up NetworkPolicies, and always passes. */
const nsCheck = defineCheck({
  meta: {
    id: 'test-namespace-check',
    title: 'test',
    severity: 'low',
    resourceTypes: ['kubernetes.Namespace'],
    lookups: ['kubernetes.NetworkPolicy'],
    requirements: ['1.3.1'],
    rationale: 'test',
    remediation: 'test',
  },
  evaluate: (ctx) =>
    ctx.index
      .ofType('kubernetes.Namespace')
      .filter(
        (r) => !ctx.isSystemNamespace((r.data as { metadata: { name: string } }).metadata.name),
      )
      .map((r) => pass(r, 'ok')),
});

const ns = (name: string) =>
  k8s(
    CLUSTER,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    { account: '111122223333', region: 'eu-west-1' },
  );

describe('evaluate', () => {
  it('orders findings by check id then resource id, whatever the inventory order', () => {
    const a = evaluate(inventory([open, closed]), { checks: [nsCheck, eksEndpointNotPublic] });
    const b = evaluate(inventory([closed, open]), { checks: [eksEndpointNotPublic, nsCheck] });
    expect(a.findings).toEqual(b.findings);
    expect(a.findings.map((f) => f.resourceId)).toEqual([closed.id, open.id]);
  });

  it('fills each finding from the check metadata', () => {
    const [f] = evaluate(inventory([open]), { checks: [eksEndpointNotPublic] }).findings;
    expect(f).toMatchObject({
      checkId: 'eks-endpoint-not-public',
      resourceType: 'aws.eks.cluster',
      provider: 'aws',
      scope: { account: '111122223333', region: 'eu-west-1' },
      status: 'FAIL',
      severity: 'high',
      requirements: ['1.3.1', '1.4.1', '1.4.4'],
    });
    expect(f?.remediation).toContain('aws eks update-cluster-config');
  });

  it('turns a PASS inside an errored scope into ERROR, and keeps a FAIL proven by what was read', () => {
    const error: CollectionError = {
      provider: 'aws',
      scope: { account: '111122223333', region: 'eu-west-1' },
      types: ['aws.eks.cluster'],
      operation: 'ListClusters',
      message: 'page 2: ThrottlingException',
    };
    const r = evaluate(inventory([open, closed], [error]), { checks: [eksEndpointNotPublic] });
    expect(r.findings.map((f) => [f.resourceId, f.status])).toEqual([
      [closed.id, 'ERROR'],
      [open.id, 'FAIL'],
    ]);
    expect(r.findings[0]?.message).toContain('ThrottlingException');
    expect(r.complete).toBe(false);
  });

  it('gives one ERROR per check named after a scope that holds nothing readable', () => {
    const errors: CollectionError[] = [
      {
        provider: 'aws',
        scope: { account: '444455556666', region: 'us-east-1' },
        types: ['aws.eks.cluster'],
        message: 'AccessDenied',
      },
      {
        provider: 'gcp',
        scope: { project: 'shop-prod' },
        types: ['gcp.gke.cluster'],
        message: 'PERMISSION_DENIED',
      },
      {
        provider: 'kubernetes',
        scope: { cluster: CLUSTER },
        types: ['kubernetes.Namespace'],
        message: '403',
      },
    ];
    const r = evaluate(inventory([closed], errors), { checks: [eksEndpointNotPublic, nsCheck] });
    expect(r.findings.map((f) => [f.checkId, f.resourceId, f.status])).toEqual([
      ['eks-endpoint-not-public', 'arn:aws:eks:eu-west-1:111122223333:cluster/payments', 'PASS'],
      ['eks-endpoint-not-public', 'aws:444455556666/us-east-1', 'ERROR'],
      ['test-namespace-check', CLUSTER, 'ERROR'],
    ]);
    expect(r.findings[1]?.scope).toEqual({ account: '444455556666', region: 'us-east-1' });
  });

  it('names the scope account/region, project/location and subscription/resourceGroup in order', () => {
    const gke = defineCheck({
      ...nsCheck,
      meta: { ...nsCheck.meta, id: 'g', resourceTypes: ['gcp.gke.cluster'], lookups: [] },
    });
    const aks = defineCheck({
      ...nsCheck,
      meta: { ...nsCheck.meta, id: 'z', resourceTypes: ['azure.aks.managed-cluster'], lookups: [] },
    });
    const r = evaluate(
      inventory(
        [],
        [
          {
            provider: 'gcp',
            scope: { location: 'europe-west1', project: 'shop' },
            types: ['gcp.gke.cluster'],
            message: 'x',
          },
          {
            provider: 'azure',
            scope: { resourceGroup: 'rg', subscription: 'sub-1' },
            types: ['azure.aks.managed-cluster'],
            message: 'x',
          },
        ],
      ),
      { checks: [gke, aks] },
    );
    expect(r.findings.map((f) => f.resourceId)).toEqual([
      'gcp:shop/europe-west1',
      'azure:sub-1/rg',
    ]);
  });

  it('names an error with no scope <provider>:* and lets it reach every resource of its types', () => {
    const r = evaluate(
      inventory(
        [open],
        [
          {
            provider: 'aws',
            scope: {},
            types: ['aws.eks.cluster'],
            message: 'ListAccounts denied',
          },
        ],
      ),
      { checks: [eksEndpointNotPublic] },
    );
    // The open endpoint is a FAIL proven by what was read; no PASS survives an unscoped error.
    expect(r.findings.map((f) => [f.resourceId, f.status])).toEqual([[open.id, 'FAIL']]);
    const none = evaluate(
      inventory([], [{ provider: 'aws', scope: {}, types: ['aws.eks.cluster'], message: 'x' }]),
      { checks: [eksEndpointNotPublic] },
    );
    expect(none.findings.map((f) => [f.resourceId, f.status])).toEqual([['aws:*', 'ERROR']]);
    const closedToo = evaluate(
      inventory(
        [closed],
        [{ provider: 'aws', scope: {}, types: ['aws.eks.cluster'], message: 'x' }],
      ),
      { checks: [eksEndpointNotPublic] },
    );
    expect(closedToo.findings.map((f) => f.status)).toEqual(['ERROR']);
  });

  it('limits an error about one resource to that resource', () => {
    const error: CollectionError = {
      provider: 'aws',
      scope: { account: '111122223333', region: 'eu-west-1' },
      types: ['aws.eks.cluster'],
      operation: 'DescribeCluster',
      message: 'InternalFailure',
      resourceId: 'arn:aws:eks:eu-west-1:111122223333:cluster/billing',
    };
    const r = evaluate(inventory([closed], [error]), { checks: [eksEndpointNotPublic] });
    expect(r.findings.map((f) => [f.resourceId, f.status])).toEqual([
      ['arn:aws:eks:eu-west-1:111122223333:cluster/billing', 'ERROR'],
      [closed.id, 'PASS'],
    ]);
  });

  it('turns a PASS into ERROR when a looked-up type was not collected', () => {
    const error: CollectionError = {
      provider: 'kubernetes',
      scope: { cluster: CLUSTER },
      types: ['kubernetes.NetworkPolicy'],
      message: 'networkpolicies is forbidden',
    };
    const r = evaluate(inventory([ns('shop')], [error]), { checks: [nsCheck] });
    expect(r.findings.map((f) => f.status)).toEqual(['ERROR']);
    expect(r.findings[0]?.message).toContain('networkpolicies is forbidden');
  });

  it('reaches a cloud cluster through its Kubernetes objects scope', () => {
    const lookupDs = defineCheck({
      ...nsCheck,
      meta: {
        ...nsCheck.meta,
        id: 'ds',
        resourceTypes: ['aws.eks.cluster'],
        lookups: ['kubernetes.DaemonSet'],
      },
      evaluate: (ctx) => ctx.index.ofType('aws.eks.cluster').map((r) => pass(r, 'ok')),
    });
    const other = 'arn:aws:eks:eu-west-1:111122223333:cluster/storefront';
    const r = evaluate(
      inventory(
        [closed, open],
        [
          {
            provider: 'kubernetes',
            scope: { cluster: other },
            types: ['kubernetes.DaemonSet'],
            message: 'timeout',
          },
        ],
      ),
      { checks: [lookupDs] },
    );
    expect(r.findings.map((f) => [f.resourceId, f.status])).toEqual([
      [closed.id, 'PASS'],
      [open.id, 'ERROR'],
    ]);
  });

  it('turns a check that throws into ERROR findings and keeps evaluating the others', () => {
    const broken: AnyCheck = defineCheck({
      ...nsCheck,
      meta: { ...nsCheck.meta, id: 'broken', resourceTypes: ['aws.eks.cluster'], lookups: [] },
      evaluate: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    });
    const r = evaluate(inventory([open]), { checks: [broken, eksEndpointNotPublic] });
    expect(r.findings.map((f) => [f.checkId, f.status])).toEqual([
      ['broken', 'ERROR'],
      ['eks-endpoint-not-public', 'FAIL'],
    ]);
    expect(r.findings[0]?.message).toContain("reading 'x'");
  });

  it('skips system namespaces, adds configured ones, and lists them per cluster', () => {
    const inv = inventory([ns('kube-system'), ns('shop'), ns('istio-system'), ns('kube-public')]);
    const r = evaluate(inv, { checks: [nsCheck], config: { systemNamespaces: ['istio-system'] } });
    expect(r.findings.map((f) => f.resourceId)).toEqual([`${CLUSTER}/_cluster/Namespace/shop`]);
    expect(r.skipped).toEqual({ [CLUSTER]: ['istio-system', 'kube-public', 'kube-system'] });
    expect(r.options.systemNamespaces).toEqual([
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'istio-system',
    ]);
  });

  it('records the effective options of every check that has options, config overrides included', () => {
    const withOpts: AnyCheck = defineCheck<{ days: number; list: string[] }>({
      ...(nsCheck as AnyCheck),
      meta: { ...nsCheck.meta, id: 'opt' },
      options: z
        .object({ days: z.number().default(90), list: z.array(z.string()).default([]) })
        .strict(),
    });
    const r = evaluate(inventory([]), {
      checks: [withOpts, nsCheck],
      config: { options: { opt: { days: 30 } } },
    });
    expect(r.options.checks).toEqual({ opt: { days: 30, list: [] } });
  });

  it('reads time only from collectedAt, never the wall clock', () => {
    const inv = inventory([
      resource(
        'aws',
        'aws.iam.credential-report',
        'arn:aws:iam::111122223333:root',
        { account: '111122223333' },
        {
          GeneratedTime: '2026-11-26T01:00:00Z',
          rows: [],
        },
      ),
    ]);
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
      const later = evaluate(inv);
      vi.setSystemTime(new Date('2026-11-26T03:00:00Z'));
      const now = evaluate(inv);
      expect(later.findings).toEqual(now.findings);
    } finally {
      vi.useRealTimers();
    }
  });

  it('builds the requirement matrix: FAIL over ERROR over PASS, NOT_TESTED and MANUAL', () => {
    const r = evaluate(inventory([open]), { checks: ALL_CHECKS });
    const req = (id: string) => r.requirements.find((q) => q.id === id)?.status;
    expect(r.requirements).toHaveLength(280);
    expect(req('1.4.1')).toBe('FAIL');
    expect(req('12.10.1')).toBe('MANUAL');
    expect(req('8.3.6')).toBe('NOT_TESTED');
    const passing = evaluate(inventory([closed]), { checks: [eksEndpointNotPublic] });
    expect(passing.requirements.find((q) => q.id === '1.4.1')?.status).toBe('PASS');
    expect(passing.requirements.find((q) => q.id === '1.3.2')?.status).toBe('NOT_TESTED');
    const erroring = evaluate(
      inventory(
        [closed],
        [
          {
            provider: 'aws',
            scope: { account: '111122223333' },
            types: ['aws.eks.cluster'],
            message: 'x',
          },
        ],
      ),
      { checks: [eksEndpointNotPublic] },
    );
    expect(erroring.requirements.find((q) => q.id === '1.4.1')?.status).toBe('ERROR');
  });
});
