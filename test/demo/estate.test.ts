/**
 * The built-in demo estate: generated (never hand-edited), valid, shaped as CONTRACTS §1 says,
 * and rich enough that every registered check has something to say about it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { Provider, Resource, Status } from '../../checks/types.ts';
import { DEMO_ESTATE_FILE, demoInventory } from '../../functions/demo/estate.ts';
import { evaluate } from '../../functions/engine/evaluate.ts';
import { buildDemoEstate, DEMO_COLLECTED_AT, demoEstateJson } from '../fixtures/demo-estate.ts';

const REGENERATE = 'functions/demo/estate.json is stale: run `node test/fixtures/demo-estate.ts`';

describe('functions/demo/estate.json', () => {
  it('is exactly what test/fixtures/demo-estate.ts generates', () => {
    const committed = readFileSync(DEMO_ESTATE_FILE, 'utf8');
    expect(JSON.parse(committed), REGENERATE).toEqual(buildDemoEstate());
    expect(committed === demoEstateJson(), `${REGENERATE} (formatting differs)`).toBe(true);
  });

  it('is deterministic', () => {
    expect(demoEstateJson()).toBe(demoEstateJson());
  });

  it('is a valid inventory collected at the fixed time', () => {
    const inv = demoInventory();
    expect(inv.schema).toBe('pci-posture/inventory@1');
    expect(inv.collectedAt).toBe(DEMO_COLLECTED_AT);
    expect(inv.resources.length).toBeGreaterThan(50);
    expect(inv.errors).toHaveLength(1);
  });
});

describe('ids and scopes (CONTRACTS §1)', () => {
  const inv = demoInventory();
  const clusters = new Map<string, Resource>(
    inv.resources
      .filter((r) =>
        ['aws.eks.cluster', 'gcp.gke.cluster', 'azure.aks.managed-cluster'].includes(r.type),
      )
      .map((r) => [r.id, r]),
  );

  it('has EKS, GKE and AKS clusters, cloud IAM and Kubernetes objects', () => {
    const types = new Set(inv.resources.map((r) => r.type));
    for (const t of [
      'aws.eks.cluster',
      'aws.eks.nodegroup',
      'aws.eks.addon',
      'aws.iam.account-summary',
      'aws.iam.password-policy',
      'aws.iam.credential-report',
      'aws.iam.policy',
      'gcp.gke.cluster',
      'gcp.project.iam-policy',
      'azure.aks.managed-cluster',
      'azure.authorization.role-assignment',
      'azure.authorization.role-definition',
      'kubernetes.Namespace',
      'kubernetes.ServiceAccount',
      'kubernetes.Role',
      'kubernetes.ClusterRole',
      'kubernetes.RoleBinding',
      'kubernetes.ClusterRoleBinding',
      'kubernetes.NetworkPolicy',
      'kubernetes.Pod',
      'kubernetes.Deployment',
      'kubernetes.ReplicaSet',
      'kubernetes.DaemonSet',
    ]) {
      expect(types, t).toContain(t);
    }
  });

  it.each(inv.resources.map((r) => [`${r.type} ${r.id}`, r] as const))('%s', (_name, r) => {
    const { scope } = r;
    switch (r.provider) {
      case 'aws': {
        expect(Object.keys(scope).sort()).toEqual(
          r.type.startsWith('aws.iam.') ? ['account'] : ['account', 'region'],
        );
        const [, , service, region, account] = r.id.split(':');
        expect(account).toBe(scope.account);
        if (r.type.startsWith('aws.iam.')) expect(service).toBe('iam');
        else expect([service, region]).toEqual(['eks', scope.region]);
        if (
          [
            'aws.iam.account-summary',
            'aws.iam.password-policy',
            'aws.iam.credential-report',
          ].includes(r.type)
        ) {
          expect(r.id).toBe(`arn:aws:iam::${scope.account}:root`);
        }
        break;
      }
      case 'gcp':
        if (r.type === 'gcp.gke.cluster') {
          expect(r.id).toBe(
            `//container.googleapis.com/projects/${scope.project}/locations/${scope.location}/clusters/${(r.data as { name: string }).name}`,
          );
        } else {
          expect(r.id).toBe(`//cloudresourcemanager.googleapis.com/projects/${scope.project}`);
          expect(Object.keys(scope)).toEqual(['project']);
        }
        break;
      case 'azure': {
        expect((r.data as { id: string }).id).toBe(r.id);
        expect(r.id.toLowerCase()).toContain(`/subscriptions/${scope.subscription}/`.toLowerCase());
        const rg = /\/resourceGroups\/([^/]+)/i.exec(r.id)?.[1];
        expect(scope.resourceGroup).toBe(rg);
        break;
      }
      case 'kubernetes': {
        const cluster = clusters.get(scope.cluster ?? '');
        expect(cluster, 'scope.cluster names a cluster of the inventory').toBeDefined();
        expect(scope).toEqual({ ...cluster!.scope, cluster: cluster!.id });
        const data = r.data as { kind: string; metadata: { name: string; namespace?: string } };
        expect(r.type).toBe(`kubernetes.${data.kind}`);
        expect(r.id).toBe(
          `${cluster!.id}/${data.metadata.namespace ?? '_cluster'}/${data.kind}/${data.metadata.name}`,
        );
        break;
      }
    }
  });
});

describe('evaluate(demoInventory())', () => {
  const evaluation = evaluate(demoInventory());
  const { findings } = evaluation;

  it.each(['aws', 'gcp', 'azure', 'kubernetes'] satisfies Provider[])(
    '%s has PASS and FAIL findings',
    (provider) => {
      const statuses = new Set(
        findings.filter((f) => f.provider === provider).map((f) => f.status),
      );
      expect(statuses).toContain('PASS');
      expect(statuses).toContain('FAIL');
    },
  );

  it('has ERROR findings for the project that could not be read, and is incomplete', () => {
    const errored = findings.filter((f) => f.status === 'ERROR');
    expect(errored.length).toBeGreaterThan(0);
    expect(errored.every((f) => f.scope.project === 'shop-staging')).toBe(true);
    expect(errored.map((f) => f.resourceId)).toContain('gcp:shop-staging');
    expect(evaluation.complete).toBe(false);
    expect(evaluation.errors).toHaveLength(1);
  });

  it('keeps the secret literal out of the evaluation', () => {
    expect(JSON.stringify(evaluation)).not.toContain('demo-literal-not-a-real-password');
  });

  it('skips the system namespaces of both clusters', () => {
    expect(Object.values(evaluation.skipped)).toEqual([['kube-system'], ['kube-system']]);
  });

  const byCheck = new Map<string, Set<Status>>(ALL_CHECKS.map((c) => [c.meta.id, new Set()]));
  for (const f of findings) byCheck.get(f.checkId)?.add(f.status);

  it('gives every registered check at least one finding (else extend test/fixtures/demo-estate.ts)', () => {
    const silent = [...byCheck].filter(([, s]) => s.size === 0).map(([id]) => id);
    expect(silent, `checks with no finding on the demo estate: ${silent.join(', ')}`).toEqual([]);
    if (ALL_CHECKS.length >= 60) {
      expect(new Set(findings.map((f) => f.checkId)).size).toBeGreaterThanOrEqual(60);
    }
  });

  it('shows every registered check both passing and failing (else extend the estate)', () => {
    const oneSided = [...byCheck]
      .filter(([, s]) => !(s.has('PASS') && s.has('FAIL')))
      .map(([id, s]) => `${id} (${[...s].sort().join('/') || 'none'})`);
    expect(oneSided, `checks without both PASS and FAIL: ${oneSided.join(', ')}`).toEqual([]);
  });
});
