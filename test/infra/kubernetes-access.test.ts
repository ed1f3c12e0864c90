/**
 * infra/kubernetes/pci-posture-reader.yaml, the access each cluster gives the Kubernetes
 * collector: get and list on exactly the 14 kinds it lists, in their API groups, never Secrets
 * or a wildcard, bound to the group pci-posture:readers; its commented alternative subjects are
 * valid when uncommented; and the README's AKS custom role grants the same reads as data actions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const MANIFEST = new URL('../../infra/kubernetes/pci-posture-reader.yaml', import.meta.url);
const README = new URL('../../README.md', import.meta.url);

/** What the collector lists, by API group (core is ""). */
const READS: Record<string, string[]> = {
  '': ['namespaces', 'pods', 'serviceaccounts'],
  'rbac.authorization.k8s.io': ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  'networking.k8s.io': ['networkpolicies'],
  apps: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  batch: ['cronjobs', 'jobs'],
};

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
interface Subject {
  apiGroup?: string;
  kind: string;
  name: string;
  namespace?: string;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  rules?: Rule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: Subject[];
}

function load(text: string): Manifest[] {
  const docs = parseAllDocuments(text);
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((doc) => doc.toJS() as Manifest);
}

const text = readFileSync(MANIFEST, 'utf8');
const manifests = load(text);
const role = manifests.find((m) => m.kind === 'ClusterRole')!;
const binding = manifests.find((m) => m.kind === 'ClusterRoleBinding')!;

describe('the pci-posture-reader ClusterRole', () => {
  it('is one ClusterRole and one ClusterRoleBinding, both labelled, nothing else', () => {
    expect(manifests.map((m) => [m.apiVersion, m.kind, m.metadata.name])).toEqual([
      ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'pci-posture-reader'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'pci-posture-reader'],
    ]);
    for (const m of manifests) {
      expect(m.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'pci-posture' });
    }
  });

  it('grants only get and list, on whole resources', () => {
    expect(role.rules?.length).toBeGreaterThan(0);
    for (const rule of role.rules ?? []) {
      expect(rule.verbs?.length).toBeGreaterThan(0);
      for (const verb of rule.verbs ?? []) expect(['get', 'list']).toContain(verb);
      expect(rule.resourceNames).toBeUndefined();
      expect(rule.nonResourceURLs).toBeUndefined();
    }
  });

  it('reads exactly the 14 kinds the collector lists, each in its own API group', () => {
    const granted: Record<string, string[]> = {};
    for (const rule of role.rules ?? []) {
      expect(rule.apiGroups?.length).toBe(1); // grouped by apiGroup: one group per rule
      for (const group of rule.apiGroups ?? []) {
        granted[group] = [...(granted[group] ?? []), ...(rule.resources ?? [])].sort();
      }
    }
    expect(granted).toEqual(READS);
    expect(Object.values(granted).flat()).toHaveLength(14);
    // Both verbs on every resource: get alone cannot page a list, list alone cannot re-read.
    for (const rule of role.rules ?? [])
      expect([...(rule.verbs ?? [])].sort()).toEqual(['get', 'list']);
  });

  it('never reaches Secrets, a wildcard or a subresource', () => {
    const everything = (role.rules ?? []).flatMap((r) => [
      ...(r.apiGroups ?? []),
      ...(r.resources ?? []),
      ...(r.verbs ?? []),
    ]);
    expect(everything).not.toContain('secrets');
    expect(everything.filter((s) => s.includes('*'))).toEqual([]);
    expect(
      (role.rules ?? []).flatMap((r) => r.resources ?? []).filter((s) => s.includes('/')),
    ).toEqual([]);
  });
});

describe('the pci-posture-reader ClusterRoleBinding', () => {
  it('binds the ClusterRole to the group pci-posture:readers only', () => {
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'pci-posture:readers' },
    ]);
  });

  it('has the GKE and AKS subjects as comments that are valid once uncommented', () => {
    const uncommented = text.replace(/^(\s*)# (- apiGroup:| {2}kind:| {2}name:)/gm, '$1$2');
    const subjects = load(uncommented).find((m) => m.kind === 'ClusterRoleBinding')?.subjects;
    expect(subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'pci-posture:readers' },
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: 'pci-posture-reader@security-prj.iam.gserviceaccount.com',
      },
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'User',
        name: '00000000-0000-0000-0000-000000000000',
      },
    ]);
  });
});

describe('the README', () => {
  const readme = readFileSync(README, 'utf8');

  it('applies the manifest and names every kind read', () => {
    expect(readme).toContain('kubectl apply -f infra/kubernetes/pci-posture-reader.yaml');
    expect(readme).toContain('--kubernetes-groups pci-posture:readers');
    const section = readme.slice(readme.indexOf('### Kubernetes access'));
    const kinds = section.slice(0, section.indexOf('Never Secrets.')).replace(/\s+/g, ' ');
    for (const kind of [
      'Namespaces',
      'ServiceAccounts',
      'Pods',
      'Roles',
      'ClusterRoles',
      'RoleBindings',
      'ClusterRoleBindings',
      'NetworkPolicies',
      'Deployments',
      'StatefulSets',
      'DaemonSets',
      'ReplicaSets',
      'Jobs',
      'CronJobs',
    ]) {
      expect(kinds).toMatch(new RegExp(`[ ,]${kind}[ ,]`));
    }
  });

  it("gives AKS's Azure RBAC the same reads as data actions, and nothing else", () => {
    const block =
      /```json\n(\{\n {2}"Name": "pci-posture Kubernetes reader"[\s\S]*?\n\})\n```/.exec(readme);
    expect(block).not.toBeNull();
    const definition = JSON.parse(block![1]!) as Record<string, string[]>;
    expect(definition.Actions).toEqual([]);
    expect(definition.NotDataActions).toEqual([]);
    const expected = Object.entries(READS).flatMap(([group, resources]) =>
      resources.map(
        (r) => `Microsoft.ContainerService/managedClusters/${group ? `${group}/` : ''}${r}/read`,
      ),
    );
    expect([...(definition.DataActions ?? [])].sort()).toEqual(expected.sort());
  });
});
