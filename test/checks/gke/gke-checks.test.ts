/** What all GKE checks share: the catalog's ids, severities and PCI ids, and one finding per cluster. */
import { describe, expect, it } from 'vitest';
import { gkeChecks } from '../../../checks/gke/index.ts';
import { overlay, runCheck } from '../harness.ts';
import { baseCluster, gkeCluster } from './gke-cluster.ts';

/** The GKE table of CHECKS.md: id, severity, PCI DSS requirement ids. */
const CATALOG: Array<[string, string, string[]]> = [
  ['gke-auto-upgrade', 'medium', ['6.3.3']],
  ['gke-binary-authorization', 'low', ['2.2.1', '6.3.2']],
  ['gke-control-plane-not-public', 'high', ['1.3.1', '1.4.1', '1.4.4']],
  ['gke-legacy-abac-disabled', 'high', ['7.2.1']],
  ['gke-logging-enabled', 'medium', ['10.2.1']],
  ['gke-network-policy-enforced', 'high', ['1.3.1', '1.3.2']],
  ['gke-node-metadata-protected', 'medium', ['7.2.5']],
  ['gke-nodes-not-default-service-account', 'medium', ['2.2.2', '7.2.5']],
  ['gke-private-nodes', 'medium', ['1.4.4']],
  ['gke-secrets-encrypted-kms', 'high', ['3.5.1', '3.6.1']],
  ['gke-shielded-nodes', 'medium', ['2.2.1']],
  ['gke-static-credentials-disabled', 'high', ['8.2.1', '8.2.2']],
  ['gke-vulnerability-scanning', 'medium', ['6.3.1', '11.3.1']],
  ['gke-workload-identity-enabled', 'medium', ['7.2.5', '8.6.3']],
];

describe('gke catalog', () => {
  it('registers-the-14-checks-sorted-by-id', () => {
    expect(gkeChecks.map((c) => c.meta.id)).toEqual(CATALOG.map(([id]) => id));
  });

  it.each(CATALOG)('%s-has-the-catalog-meta', async (id, severity, requirements) => {
    const { default: check } = await import(`../../../checks/gke/${id}.ts`);
    expect(gkeChecks).toContain(check);
    expect(check.meta).toMatchObject({
      id,
      severity,
      requirements,
      resourceTypes: ['gcp.gke.cluster'],
      lookups: [],
    });
    expect(check.meta.title.length).toBeGreaterThan(10);
    expect(check.meta.rationale).toMatch(/PCI DSS/);
    expect(check.meta.remediation).toMatch(/gcloud container/);
  });
});

describe.each(gkeChecks.map((c) => [c.meta.id, c] as const))('%s', (_id, check) => {
  it('gives-one-finding-per-cluster-with-its-id', () => {
    const a = gkeCluster(baseCluster());
    const b = gkeCluster(
      overlay(baseCluster(), { name: 'payments', location: 'us-central1-a' }),
      'shop-prod',
    );
    const findings = runCheck(check, [a, b]);
    expect(findings.map((f) => f.resourceId)).toEqual([
      '//container.googleapis.com/projects/test-cluster/locations/europe-west2/clusters/test-cluster',
      '//container.googleapis.com/projects/shop-prod/locations/us-central1-a/clusters/payments',
    ]);
    expect(findings[1]?.message).toContain('payments');
    for (const f of findings) expect(f.evidence.length).toBeGreaterThan(0);
  });

  it('gives-no-finding-without-clusters', () => {
    expect(runCheck(check, [])).toEqual([]);
  });

  it('reads-an-empty-cluster-without-throwing', () => {
    const [finding] = runCheck(check, [gkeCluster({ name: 'bare', location: 'europe-west2' })]);
    expect(['PASS', 'FAIL']).toContain(finding?.status);
    expect(finding?.message).toContain('bare');
  });
});
