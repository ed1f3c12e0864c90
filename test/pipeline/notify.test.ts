/** The topic's message: totals, completeness, and the changes, listed up to 20 of a kind. */
import { describe, expect, it } from 'vitest';
import type { WrittenRun } from '../../functions/archive/write-run.ts';
import { runNotification } from '../../functions/pipeline/notify.ts';
import type { Changes, FindingRef, Report } from '../../functions/report/report.ts';

const ref = (i: number, status: FindingRef['status'] = 'FAIL'): FindingRef => ({
  checkId: 'eks-endpoint-not-public',
  resourceId: `arn:aws:eks:eu-west-1:111122223333:cluster/c${i}`,
  resourceType: 'aws.eks.cluster',
  provider: 'aws',
  severity: 'high',
  status,
  message: 'open',
});

function run(changes: Report['changes'], complete = true): WrittenRun {
  const report = {
    runId: '2026-11-27T020311Z-7f3a',
    collectedAt: '2026-11-27T02:00:00Z',
    generatedAt: '2026-11-27T02:03:11Z',
    complete,
    summary: { PASS: 10, FAIL: 25, ERROR: complete ? 0 : 3, WAIVED: 0 },
    errors: complete ? [] : [{}, {}],
    changes,
  } as unknown as Report;
  return {
    report,
    location: 's3://archive/reports/2026/11/27/2026-11-27T020311Z-7f3a',
    run: { runId: report.runId, path: '' },
    warnings: [],
  };
}

const changes = (over: Partial<Changes>): Changes => ({
  since: '2026-11-26T020100Z-0001',
  newFailures: [],
  resolvedFailures: [],
  unverifiedFailures: [],
  newErrors: [],
  newResources: [],
  removedResources: [],
  ...over,
});

describe('runNotification', () => {
  it('lists 20 new failures and counts the rest', () => {
    const n = runNotification(
      run(
        changes({
          newFailures: Array.from({ length: 25 }, (_, i) => ref(i)),
          resolvedFailures: [ref(99, null)],
        }),
      ),
      'npx pci-posture verify s3://archive',
    );
    expect(n.subject).toBe('pci-posture 2026-11-27T020311Z-7f3a: 25 FAIL, 0 ERROR');
    expect(n.message).toContain('New failures (25):');
    expect(n.message.match(/^ {2}- eks-endpoint-not-public \(high\) .*: FAIL$/gm)).toHaveLength(20);
    expect(n.message).toContain('  ... and 5 more (see report.html)');
    expect(n.message).toContain(
      'Resolved failures (1):\n  - eks-endpoint-not-public (high) arn:aws:eks:eu-west-1:111122223333:cluster/c99\n',
    );
    expect(n.message).toContain('Verify: npx pci-posture verify s3://archive');
  });

  it('says when nothing changed, when drift is unavailable, and when the run is incomplete', () => {
    expect(runNotification(run(changes({})), 'v').message).toContain(
      'no failures or errors changed.',
    );
    const unavailable = runNotification(
      run({ since: 'r0', unavailable: 'report.json of r0 does not match its SHA256SUMS' }, false),
      'v',
    );
    expect(unavailable.message).toContain(
      'Changes since r0: unavailable (report.json of r0 does not match its SHA256SUMS)',
    );
    expect(unavailable.message).toMatch(
      /^Run 2026-11-27T020311Z-7f3a \(INCOMPLETE, 2 collection errors\)$/m,
    );
    expect(unavailable.subject).toMatch(/\(incomplete\)$/);
  });
});
