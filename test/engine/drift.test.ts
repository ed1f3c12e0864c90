import { describe, expect, it } from 'vitest';
import type { CollectionError, Status } from '../../checks/types.ts';
import { computeChanges, type RunState } from '../../functions/engine/drift.ts';
import type { Finding } from '../../functions/engine/evaluate.ts';

function finding(
  checkId: string,
  resourceId: string,
  status: Status,
  message: string = status,
): Finding {
  return {
    checkId,
    resourceId,
    resourceType: 'aws.eks.cluster',
    provider: 'aws',
    scope: { account: '111122223333', region: 'eu-west-1' },
    status,
    severity: 'high',
    requirements: ['1.3.1'],
    message,
    evidence: [],
    remediation: 'fix it',
  };
}

const error = (project: string, message = 'PERMISSION_DENIED: req 1'): CollectionError => ({
  provider: 'gcp',
  scope: { project },
  types: ['gcp.gke.cluster'],
  operation: 'projects.locations.clusters.list',
  message,
});

const SCOPE = { account: '111122223333', region: 'eu-west-1' };
const res = (id: string) => ({ provider: 'aws', type: 'aws.eks.cluster', id, scope: SCOPE });

/** The EKS listing of the finding's account and region failed. */
const eksDenied: CollectionError = {
  provider: 'aws',
  scope: SCOPE,
  types: ['aws.eks.cluster', 'aws.eks.nodegroup'],
  operation: 'eks:ListClusters',
  message: 'AccessDeniedException',
};

const state = (s: Partial<RunState>): RunState => ({
  findings: [],
  errors: [],
  resources: [],
  ...s,
});

describe('computeChanges', () => {
  const cases: Array<{
    name: string;
    before: Finding[];
    now: Finding[];
    expect: Partial<Record<'newFailures' | 'resolvedFailures' | 'unverifiedFailures', string[]>>;
  }> = [
    {
      name: 'a PASS that turns FAIL is a new failure',
      before: [finding('c1', 'r1', 'PASS')],
      now: [finding('c1', 'r1', 'FAIL')],
      expect: { newFailures: ['c1 r1 FAIL'] },
    },
    {
      name: 'a FAIL on a new resource is a new failure',
      before: [],
      now: [finding('c1', 'r2', 'FAIL')],
      expect: { newFailures: ['c1 r2 FAIL'] },
    },
    {
      name: 'an ERROR that turns FAIL is a new failure',
      before: [finding('c1', 'r1', 'ERROR')],
      now: [finding('c1', 'r1', 'FAIL')],
      expect: { newFailures: ['c1 r1 FAIL'] },
    },
    {
      name: 'a FAIL that stays FAIL is no change',
      before: [finding('c1', 'r1', 'FAIL')],
      now: [finding('c1', 'r1', 'FAIL', 'new wording')],
      expect: {},
    },
    {
      name: 'a FAIL that turns PASS is resolved',
      before: [finding('c1', 'r1', 'FAIL')],
      now: [finding('c1', 'r1', 'PASS')],
      expect: { resolvedFailures: ['c1 r1 PASS'] },
    },
    {
      name: 'a FAIL whose resource is gone is resolved with no status',
      before: [finding('c1', 'r1', 'FAIL')],
      now: [],
      expect: { resolvedFailures: ['c1 r1 null'] },
    },
    {
      name: 'a FAIL that turns ERROR is unverified, not resolved',
      before: [finding('c1', 'r1', 'FAIL')],
      now: [finding('c1', 'r1', 'ERROR')],
      expect: { unverifiedFailures: ['c1 r1 ERROR'] },
    },
    {
      name: 'the same resource under another check is a different finding',
      before: [finding('c1', 'r1', 'FAIL')],
      now: [finding('c2', 'r1', 'FAIL')],
      expect: { newFailures: ['c2 r1 FAIL'], resolvedFailures: ['c1 r1 null'] },
    },
  ];

  it.each(cases)('$name', (c) => {
    const changes = computeChanges(
      'prev',
      state({ findings: c.before }),
      state({ findings: c.now }),
    );
    const show = (list: typeof changes.newFailures) =>
      list.map((f) => `${f.checkId} ${f.resourceId} ${f.status}`);
    expect(show(changes.newFailures)).toEqual(c.expect.newFailures ?? []);
    expect(show(changes.resolvedFailures)).toEqual(c.expect.resolvedFailures ?? []);
    expect(show(changes.unverifiedFailures)).toEqual(c.expect.unverifiedFailures ?? []);
    expect(changes.since).toBe('prev');
  });

  it("names a resolved failure's current message, or the old one when the finding is gone", () => {
    const changes = computeChanges(
      'prev',
      state({ findings: [finding('c1', 'r1', 'FAIL', 'was open'), finding('c1', 'r2', 'FAIL')] }),
      state({ findings: [finding('c1', 'r1', 'PASS', 'now private')] }),
    );
    expect(changes.resolvedFailures.map((f) => f.message)).toEqual(['now private', 'FAIL']);
  });

  it('matches collection errors by what failed where, not by message', () => {
    const changes = computeChanges(
      'prev',
      state({ errors: [error('shop-prod', 'PERMISSION_DENIED: req 1')] }),
      state({ errors: [error('shop-prod', 'PERMISSION_DENIED: req 2'), error('shop-dev')] }),
    );
    expect(changes.newErrors.map((e) => e.scope.project)).toEqual(['shop-dev']);
  });

  it('lists new and removed resources by (type, id)', () => {
    const changes = computeChanges(
      'prev',
      state({ resources: [res('a'), res('b')] }),
      state({ resources: [res('b'), res('c'), { ...res('a'), type: 'aws.eks.nodegroup' }] }),
    );
    expect(changes.newResources.map((r) => `${r.type} ${r.id}`)).toEqual([
      'aws.eks.cluster c',
      'aws.eks.nodegroup a',
    ]);
    expect(changes.removedResources.map((r) => r.id)).toEqual(['a']);
  });

  it('does not call a failure resolved, or its resource removed, when this run could not read it', () => {
    const changes = computeChanges(
      'prev',
      state({ findings: [finding('c1', 'r1', 'FAIL')], resources: [res('r1'), res('r2')] }),
      state({ errors: [eksDenied] }),
    );
    expect(changes.resolvedFailures).toEqual([]);
    expect(changes.unverifiedFailures.map((f) => [f.resourceId, f.status])).toEqual([['r1', null]]);
    expect(changes.removedResources).toEqual([]);
  });

  it('matches an error about one resource by id as the engine does, case aside (ARM ids)', () => {
    const changes = computeChanges(
      'prev',
      state({ findings: [finding('c1', 'r1', 'FAIL')], resources: [res('r1')] }),
      state({ errors: [{ ...eksDenied, scope: {}, resourceId: 'R1' }] }),
    );
    expect(changes.resolvedFailures).toEqual([]);
    expect(changes.unverifiedFailures.map((f) => f.resourceId)).toEqual(['r1']);
    expect(changes.removedResources).toEqual([]);
  });

  it.each([
    ['another region', { ...eksDenied, scope: { ...SCOPE, region: 'us-east-1' } }],
    ['another type', { ...eksDenied, types: ['aws.iam.policy'] }],
    ['another resource', { ...eksDenied, resourceId: 'r9' }],
  ])('still calls it resolved and removed when the error is about %s', (_, err) => {
    const changes = computeChanges(
      'prev',
      state({ findings: [finding('c1', 'r1', 'FAIL')], resources: [res('r1')] }),
      state({ errors: [err] }),
    );
    expect(changes.resolvedFailures.map((f) => f.resourceId)).toEqual(['r1']);
    expect(changes.removedResources.map((r) => r.id)).toEqual(['r1']);
  });

  it('lists resources without their scope', () => {
    const changes = computeChanges('prev', state({}), state({ resources: [res('n')] }));
    expect(changes.newResources).toEqual([{ provider: 'aws', type: 'aws.eks.cluster', id: 'n' }]);
  });

  it('finds nothing between two identical runs', () => {
    const run = state({
      findings: [finding('c1', 'r1', 'FAIL'), finding('c1', 'r2', 'PASS')],
      errors: [error('p')],
      resources: [res('r1'), res('r2')],
    });
    const changes = computeChanges('prev', run, run);
    expect(changes).toEqual({
      since: 'prev',
      newFailures: [],
      resolvedFailures: [],
      unverifiedFailures: [],
      newErrors: [],
      newResources: [],
      removedResources: [],
    });
  });
});
