/**
 * What the topic is told when a report lands: the totals, whether the run is complete, and what
 * changed since the previous run. Plain text, so that e-mail, chat and ticket subscribers all
 * read it; no finding evidence (it stays in the signed archive).
 */
import type { WrittenRun } from '../archive/write-run.ts';
import type { FindingRef } from '../report/report.ts';

/** A message for the topic. */
export interface Notification {
  /** At most 100 characters (SNS's limit for e-mail subjects). */
  subject: string;
  message: string;
}

/** Lines listed per kind of change; the rest are counted. */
const LISTED = 20;

function refLines(title: string, refs: readonly FindingRef[]): string[] {
  if (refs.length === 0) return [];
  const lines = refs
    .slice(0, LISTED)
    .map(
      (r) => `  - ${r.checkId} (${r.severity}) ${r.resourceId}${r.status ? `: ${r.status}` : ''}`,
    );
  if (refs.length > LISTED) lines.push(`  ... and ${refs.length - LISTED} more (see report.html)`);
  return [`${title} (${refs.length}):`, ...lines];
}

/**
 * The notification for a written run.
 *
 * @example const { subject, message } = runNotification(run, 'npx pci-posture verify s3://archive --kms-key-id arn:...');
 */
export function runNotification(run: WrittenRun, verifyCommand: string): Notification {
  const r = run.report;
  const s = r.summary;
  const state = r.complete ? 'complete' : `INCOMPLETE, ${r.errors.length} collection errors`;
  const a = r.assessment;
  const subject =
    `pci-posture ${a ? `${a.name} ` : ''}${r.runId}: ${s.FAIL} FAIL, ${s.ERROR} ERROR${r.complete ? '' : ' (incomplete)'}`.slice(
      0,
      100,
    );
  const lines = [
    `Run ${r.runId} (${state})`,
    ...(a
      ? [
          `Assessment ${a.name}${a.checks ? `, only checks ${a.checks.join(', ')}` : ''}${a.accounts ? `, only accounts ${a.accounts.join(', ')}` : ''}${a.projects ? `, only projects ${a.projects.join(', ')}` : ''}${a.subscriptions ? `, only subscriptions ${a.subscriptions.join(', ')}` : ''}`,
        ]
      : []),
    `Findings: ${s.PASS} PASS, ${s.FAIL} FAIL, ${s.ERROR} ERROR, ${s.WAIVED} WAIVED`,
    `Collected at ${r.collectedAt}, written at ${r.generatedAt}`,
    '',
  ];
  const c = r.changes;
  if (!c) lines.push('Changes: this is the first run of the archive.');
  else if ('unavailable' in c)
    lines.push(`Changes since ${c.since}: unavailable (${c.unavailable})`);
  else {
    const none =
      c.newFailures.length +
        c.resolvedFailures.length +
        c.unverifiedFailures.length +
        c.newErrors.length ===
      0;
    lines.push(`Changes since ${c.since}:${none ? ' no failures or errors changed.' : ''}`);
    lines.push(...refLines('New failures', c.newFailures));
    lines.push(...refLines('Resolved failures', c.resolvedFailures));
    lines.push(
      ...refLines('Failures not verified this run (ERROR or not read)', c.unverifiedFailures),
    );
    if (c.newErrors.length) lines.push(`New collection errors: ${c.newErrors.length}`);
    lines.push(`Resources: ${c.newResources.length} new, ${c.removedResources.length} removed`);
  }
  lines.push('', `Report: ${run.location}/report.html`, `Verify: ${verifyCommand}`, '');
  return { subject, message: lines.join('\n') };
}
