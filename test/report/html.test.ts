import { describe, expect, it } from 'vitest';
import type { CollectionError } from '../../checks/types.ts';
import { CHANGE_ROWS } from '../../functions/report/html/changes.ts';
import { prose } from '../../functions/report/html/escape.ts';
import { axisMax, trendSvg } from '../../functions/report/html/trend-svg.ts';
import { esc, renderHtml } from '../../functions/report/html.ts';
import type { Changes, Report, TrendPoint } from '../../functions/report/report.ts';
import {
  CHECK_INFO,
  demoEvaluation,
  demoReport,
  FINGERPRINT,
  findingRef,
  GENERATED_AT,
  PREVIOUS_RUN_ID,
  RUN_ID,
  trendBefore,
} from '../helpers/html-report.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** The text of `<section id="ID">` (sections do not nest). */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  expect(start, `section #${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start) + '</section>'.length);
}

/** The `<details>` of one change list. */
function changeList(html: string, anchor: string): string {
  const start = html.indexOf(`id="${anchor}"`);
  expect(start, anchor).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</details>', start));
}

const bodyRows = (table: string) => (table.split('<tbody>')[1] ?? '').match(/<tr>/g)?.length ?? 0;

const noChanges = (): Changes => ({
  since: PREVIOUS_RUN_ID,
  newFailures: [],
  resolvedFailures: [],
  unverifiedFailures: [],
  newErrors: [],
  newResources: [],
  removedResources: [],
});

const html = renderHtml(demoReport(), CHECK_INFO);

describe('report.html: what changed', () => {
  it('is the first section, right after the header banner', () => {
    const first = html.indexOf('<section');
    expect(first).toBe(html.indexOf('<section id="changes"'));
    expect(html.indexOf('class="banner')).toBeLessThan(first);
    expect(html.indexOf('</header>')).toBeLessThan(first);
  });

  it('counts each category and links each count to its list', () => {
    const changes = demoReport().changes as Changes;
    const text = section(html, 'changes');
    for (const [anchor, n, words] of [
      ['chg-new-failures', changes.newFailures.length, 'new failures'],
      ['chg-resolved-failures', changes.resolvedFailures.length, 'resolved failures'],
      ['chg-unverified-failures', changes.unverifiedFailures.length, 'failures now unverified'],
      ['chg-new-errors', changes.newErrors.length, 'new collection errors'],
      ['chg-new-resources', changes.newResources.length, 'new resources'],
      ['chg-removed-resources', changes.removedResources.length, 'removed resources'],
    ] as const) {
      expect(n).toBeGreaterThan(0);
      expect(text).toContain(`<a class="delta`);
      expect(text).toMatch(new RegExp(`href="#${anchor}"><b>${n}</b>${words}</a>`));
      expect(bodyRows(changeList(text, anchor))).toBe(n);
    }
    expect(text).toContain(`Since run <code>${PREVIOUS_RUN_ID}</code>`);
  });

  it('shows each new failure with its severity, a link to its check, its resource and message, worst first', () => {
    const changes = demoReport().changes as Changes;
    const list = changeList(section(html, 'changes'), 'chg-new-failures');
    for (const f of changes.newFailures) {
      expect(list).toContain(
        `<td><span class="sev ${f.severity}">${f.severity}</span></td><td><a href="#check-${f.checkId}"><code>${f.checkId}</code></a></td><td><span class="id">${esc(f.resourceId)}</span></td><td>${esc(f.message)}</td>`,
      );
      expect(html).toContain(`<tr id="check-${f.checkId}">`);
    }
    const severities = [...list.matchAll(/class="sev (\w+)"/g)].map((m) => m[1]);
    const rank = ['critical', 'high', 'medium', 'low'];
    expect(severities).toEqual([...severities].sort((a, b) => rank.indexOf(a!) - rank.indexOf(b!)));
  });

  const many = <T>(n: number, make: (i: number) => T): T[] =>
    Array.from({ length: n }, (_, i) => make(i));
  const aFailure = demoEvaluation().findings.find((f) => f.status === 'FAIL')!;
  const error = (i: number): CollectionError => ({
    provider: 'aws',
    scope: { account: String(100000000000 + i), region: 'eu-west-1' },
    types: ['aws.eks.cluster'],
    operation: 'ListClusters',
    message: 'AccessDenied',
  });
  const resource = (i: number) => ({
    provider: 'aws',
    type: 'aws.eks.cluster',
    id: `arn:aws:eks:eu-west-1:1:cluster/c${i}`,
  });
  const finding = (i: number) => findingRef({ ...aFailure, resourceId: `r${i}` });

  it.each([
    ['newFailures', 'chg-new-failures', finding],
    ['resolvedFailures', 'chg-resolved-failures', finding],
    ['unverifiedFailures', 'chg-unverified-failures', finding],
    ['newErrors', 'chg-new-errors', error],
    ['newResources', 'chg-new-resources', resource],
    ['removedResources', 'chg-removed-resources', resource],
  ] as const)('caps %s at %i rows and points to report.json for the rest', (key, anchor, make) => {
    for (const [n, more] of [
      [CHANGE_ROWS - 1, null],
      [CHANGE_ROWS, null],
      [CHANGE_ROWS + 57, 57],
      [2000, 1800],
    ] as const) {
      const changes = { ...noChanges(), [key]: many(n, make as (i: number) => unknown) } as Changes;
      const list = changeList(renderHtml(demoReport({ changes })), anchor);
      expect(bodyRows(list)).toBe(Math.min(n, CHANGE_ROWS));
      if (more === null) expect(list).not.toContain('more: the full list');
      else
        expect(list).toContain(
          `and ${more.toLocaleString('en-US')} more: the full list is in report.json`,
        );
    }
  });

  it.each([
    ['a first run', null, 'First run of this archive: nothing to compare.'],
    [
      'drift that could not be computed',
      {
        since: PREVIOUS_RUN_ID,
        unavailable: 'report.json of the previous run does not match its SHA256SUMS',
      },
      `Changes since run <code>${PREVIOUS_RUN_ID}</code> could not be computed: report.json of the previous run does not match its SHA256SUMS`,
    ],
    [
      'no change at all',
      noChanges(),
      'No change: the same failures, collection errors and resources as the previous run.',
    ],
  ] as const)('says so for %s', (_, changes, text) => {
    const page = renderHtml(demoReport({ changes }));
    const part = section(page, 'changes');
    expect(part).toContain(text);
    expect(part).not.toContain('<details');
    expect(page.indexOf('<section')).toBe(page.indexOf('<section id="changes"'));
  });
});

describe('report.html: trend', () => {
  const points = (svg: string) =>
    [...svg.matchAll(/<g class="pt[^"]*"><title>([^<]*)<\/title>/g)].map((m) => m[1]!);

  it.each([1, 2, 7, 30])(
    'draws one point per run for %i run(s), with its run id and counts',
    (n) => {
      const report = demoReport({ trendBefore: trendBefore(n - 1) });
      expect(report.trend).toHaveLength(n);
      const svg = trendSvg(report.trend);
      expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Findings per status [^"]+"/);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      const titles = points(svg);
      expect(titles).toHaveLength(n);
      report.trend.forEach((p, i) => {
        expect(titles[i]).toContain(p.runId);
        expect(titles[i]).toContain(`FAIL ${p.summary.FAIL}`);
        expect(titles[i]).toContain(`ERROR ${p.summary.ERROR}`);
        expect(titles[i]).toContain(`PASS ${p.summary.PASS}`);
      });
      expect(svg.match(/<polyline /g)?.length ?? 0).toBe(n === 1 ? 0 : 3);
      expect(svg).toContain('>run (date generated, UTC)');
      expect(svg).toContain('>findings</text>');
      expect(section(renderHtml(report), 'trend').match(/<tr><td><code>/g)).toHaveLength(n);
    },
  );

  it('puts a single run in the middle of the plot', () => {
    const svg = trendSvg(demoReport({ trendBefore: [] }).trend);
    const xs = new Set([...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => m[1]));
    expect(xs.size).toBe(1);
    const width = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    expect(Number([...xs][0])).toBeGreaterThan(width * 0.3);
    expect(Number([...xs][0])).toBeLessThan(width * 0.7);
    expect(svg).toContain('aria-label="Findings per status for this run only');
  });

  it.each([
    [
      'different days',
      ['2026-11-24T02:00:00Z', '2026-11-25T02:00:00Z'],
      ['2026-11-24', '2026-11-25'],
    ],
    ['one day', ['2026-11-25T02:00:00Z', '2026-11-25T14:30:00Z'], ['11-25 02:00', '11-25 14:30']],
    [
      'one minute',
      ['2026-11-25T02:00:01Z', '2026-11-25T02:00:59Z'],
      ['11-25 02:00:01', '11-25 02:00:59'],
    ],
  ])('labels runs on %s apart', (_, times, labels) => {
    const trend = times.map((generatedAt, i) => ({
      ...trendBefore(1)[0]!,
      runId: `r${i}`,
      generatedAt,
    }));
    const svg = trendSvg(trend);
    for (const label of labels) expect(svg).toContain(`text-anchor="middle">${label}</text>`);
  });

  it('draws WAIVED only when a run has waivers', () => {
    const trend = trendBefore(5);
    expect(trendSvg(trend)).not.toContain('WAIVED');
    const waived: TrendPoint[] = trend.map((p, i) => ({
      ...p,
      summary: { ...p.summary, WAIVED: i },
    }));
    const svg = trendSvg(waived);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(points(svg)[4]).toContain('WAIVED 4');
  });

  it.each([
    [0, 2],
    [1, 2],
    [3, 4],
    [7, 8],
    [119, 120],
    [130, 160],
    [211, 300],
    [27_582, 30_000],
  ])('scales an axis with a maximum of %i to %i', (max, top) => {
    expect(axisMax(max)).toBe(top);
    expect(Number.isInteger(top / 2)).toBe(true);
  });
});

describe('report.html: requirement matrix and coverage gaps', () => {
  const report = demoReport();

  it('has one linkable cell per requirement with its status, title and checks in a tooltip', () => {
    const matrix = section(html, 'matrix');
    expect(matrix.match(/class="req /g)).toHaveLength(report.requirements.length);
    for (const r of report.requirements) {
      const cell = new RegExp(
        `<a class="req ${r.status}" id="req-${r.id.replaceAll('.', '\\.')}" href="#r-[^"]+" title="([^"]*)"`,
      ).exec(matrix);
      expect(cell, r.id).not.toBeNull();
      expect(cell![1]).toContain(esc(r.title));
      for (const c of r.checks) expect(cell![1]).toContain(c);
      expect(matrix).toContain(`<tr id="r-${r.id}">`);
    }
    for (const principal of ['1', '8', '12', 'A1', 'A3']) {
      expect(matrix).toContain(`<span class="principal">${principal}</span>`);
    }
    expect(matrix).toContain('<ul class="legend">');
  });

  const gapIds = (page: string, status: string) =>
    [
      ...section(page, 'coverage').matchAll(
        new RegExp(`data-req="([^"]+)" data-status="${status}"`, 'g'),
      ),
    ].map((m) => m[1]);

  it('lists exactly the MANUAL requirements, with titles and counts, grouped by principal requirement', () => {
    const manual = report.requirements.filter((r) => r.status === 'MANUAL');
    expect(manual.length).toBeGreaterThan(200);
    expect(gapIds(html, 'MANUAL')).toEqual(manual.map((r) => r.id));
    expect(gapIds(html, 'NOT_TESTED')).toEqual([]);
    const coverage = section(html, 'coverage');
    expect(coverage).toContain(
      `<b>${manual.length}</b> of ${report.requirements.length} requirements have no automated check (MANUAL)`,
    );
    expect(coverage).toContain('The assessor needs manual evidence for them');
    for (const r of manual) expect(coverage).toContain(esc(r.title));
    expect(coverage).toMatch(
      /<span class="principal">12<\/span> Information security policies and programs<\/h4><span class="muted">\d+ manual<\/span>/,
    );
  });

  it('lists NOT_TESTED requirements too, with the checks that found nothing', () => {
    const requirements = report.requirements.map((r) =>
      r.id === '1.3.1' || r.id === '8.2.2' ? { ...r, status: 'NOT_TESTED' as const } : r,
    );
    const page = renderHtml({ ...report, requirements }, CHECK_INFO);
    expect(gapIds(page, 'NOT_TESTED')).toEqual(['1.3.1', '8.2.2']);
    expect(section(page, 'coverage')).toContain('<b>2</b> were NOT TESTED');
    expect(section(page, 'coverage')).toContain('<a href="#check-eks-endpoint-not-public">');
  });
});

describe('report.html: findings', () => {
  const report = demoReport();
  const rows = [...html.matchAll(/<tr data-status="(\w+)"[^>]*>[\s\S]*?<\/tr>/g)];

  it('has one row per finding, failures first', () => {
    expect(rows).toHaveLength(report.findings.length);
    const order = rows.map((m) => m[1]);
    const rank = ['FAIL', 'ERROR', 'WAIVED', 'PASS'];
    expect(order).toEqual([...order].sort((a, b) => rank.indexOf(a!) - rank.indexOf(b!)));
  });

  it.each([
    ['FAIL', true],
    ['ERROR', true],
    ['PASS', false],
  ] as const)('gives %s rows their evidence, and the remediation: %s', (status, remediation) => {
    const these = rows.filter((m) => m[1] === status).map((m) => m[0]);
    expect(these.length).toBeGreaterThan(0);
    for (const row of these) {
      expect(row.includes('<b>Remediation:</b>')).toBe(remediation);
      expect(row.includes('<summary>evidence and remediation</summary>')).toBe(remediation);
    }
    if (!remediation)
      expect(these.some((r) => r.includes('<summary>evidence</summary><pre>'))).toBe(true);
  });

  it('keeps rationale and remediation once per check', () => {
    const checks = section(html, 'checks');
    for (const c of CHECK_INFO) {
      expect(checks.split(`<tr id="check-${c.id}">`)).toHaveLength(2);
      expect(checks).toContain(`<p>${prose(c.rationale)}</p>`);
    }
  });

  it('offers every status, severity, provider and cluster as a filter, with counts', () => {
    const form = /<form class="filters"[\s\S]*?<\/form>/.exec(html)![0];
    for (const name of ['status', 'severity', 'provider', 'cluster'])
      expect(form).toContain(`<select name="${name}">`);
    expect(form).toContain(`<option value="FAIL">FAIL (${report.summary.FAIL})</option>`);
    expect(form).toContain('<input type="search" name="q"');
    expect(form).toContain(
      `Showing <b id="shown">${report.findings.length}</b> of ${report.findings.length}`,
    );
    const clusters = [...form.matchAll(/<option value="(\d+)" title="([^"]+)">/g)];
    expect(clusters.length).toBeGreaterThanOrEqual(3);
    for (const [, n, id] of clusters) {
      const cell = rows.find((m) => m[0].includes(`data-cluster="${n}"`));
      expect(cell?.[0], id).toBeDefined();
    }
  });
});

describe('report.html: verify this report', () => {
  it.each([
    [RUN_ID, GENERATED_AT, 'reports/2026/11/26/2026-11-26T020311Z-7f3a'],
    [
      '2027-01-01T000004Z-00ff',
      '2027-01-01T00:00:04Z',
      'reports/2027/01/01/2027-01-01T000004Z-00ff',
    ],
    [
      '2026-02-28T235959Z-abcd',
      '2026-02-28T23:59:59Z',
      'reports/2026/02/28/2026-02-28T235959Z-abcd',
    ],
  ])('gives the exact commands for run %s', (runId, generatedAt, folder) => {
    const box = section(renderHtml(demoReport({ runId, generatedAt })), 'verify');
    for (const line of [
      `cd ${folder}`,
      'sha256sum -c SHA256SUMS',
      'openssl dgst -sha256 -verify ../../../../../signing-public-key.pem -signature SHA256SUMS.sig SHA256SUMS',
      'openssl pkey -pubin -in signing-public-key.pem -outform DER | sha256sum',
      `aws s3 cp --recursive s3://&lt;bucket&gt;/&lt;prefix&gt;/${folder}/ .`,
      'npx pci-posture verify &lt;archive&gt; --public-key &lt;archive&gt;/signing-public-key.pem',
    ]) {
      expect(box).toContain(line);
    }
    expect(box).toContain(`This run's folder is <code>${folder}</code>`);
  });

  it('shows the signing key fingerprint to compare, or says it is not recorded', () => {
    expect(section(html, 'verify')).toContain(
      `<p class="fingerprint"><code>${FINGERPRINT}</code></p>`,
    );
    const unsigned = section(renderHtml(demoReport({ signing: undefined })), 'verify');
    expect(unsigned).not.toContain('class="fingerprint"');
    expect(unsigned).toContain("does not record the signing key's fingerprint");
  });

  it('names the previous run and its digest, or the start of the chain', () => {
    expect(section(html, 'verify')).toContain(`Previous run <code>${PREVIOUS_RUN_ID}</code>`);
    expect(section(renderHtml(demoReport({ previous: null, changes: null })), 'verify')).toContain(
      'First run of this archive: the chain starts here.',
    );
  });
});

describe('report.html: edge cases', () => {
  it('renders a report with no findings and no trend', () => {
    const empty: Report = { ...demoReport({ changes: null }), findings: [], trend: [] };
    const page = renderHtml(empty);
    expect(page).toContain('No trend recorded in this report.');
    expect(page).toContain('Showing <b id="shown">0</b> of 0');
    expect(page).not.toMatch(/NaN|undefined/);
  });
});

describe('report.html: escaping and self-containment', () => {
  const base = demoReport();
  const hostileFinding = {
    ...base.findings[0]!,
    status: 'FAIL' as const,
    resourceId: HOSTILE,
    message: HOSTILE,
    remediation: HOSTILE,
    evidence: [{ path: HOSTILE, value: HOSTILE }],
  };
  const hostile: Report = {
    ...base,
    runId: HOSTILE,
    findings: [hostileFinding, ...base.findings.slice(1)],
    changes: {
      ...noChanges(),
      since: HOSTILE,
      newFailures: [findingRef(hostileFinding)],
      newErrors: [
        {
          provider: 'aws',
          scope: { account: HOSTILE },
          types: [HOSTILE],
          operation: HOSTILE,
          message: HOSTILE,
        },
      ],
      newResources: [{ provider: HOSTILE, type: HOSTILE, id: HOSTILE }],
    },
    trend: [{ runId: HOSTILE, generatedAt: GENERATED_AT, summary: base.summary }],
    signing: { keyId: HOSTILE, publicKeySha256: HOSTILE },
    previous: { runId: HOSTILE, sha256sumsDigest: HOSTILE },
  };

  it.each([
    ['changes', hostile],
    ['unavailable changes', { ...hostile, changes: { since: HOSTILE, unavailable: HOSTILE } }],
  ])('escapes every string that came from the report (%s)', (_, report) => {
    const page = renderHtml(report, CHECK_INFO);
    expect(page).not.toContain('<img');
    expect(page).toContain(esc(HOSTILE));
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it('loads nothing from the network and keeps a CSP that forbids it', () => {
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(|<link |<img |<iframe|eval\(|new Function/i);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`,
    );
  });
});
