import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CollectionError, Status } from '../../checks/types.ts';
import type { Finding } from '../../functions/engine/evaluate.ts';
import { CHANGE_ROWS } from '../../functions/report/html/changes.ts';
import { formatCount, prose } from '../../functions/report/html/escape.ts';
import { clusterOf } from '../../functions/report/html/findings.ts';
import { SCRIPT } from '../../functions/report/html/script.ts';
import { STYLE } from '../../functions/report/html/style.ts';
import { axisMax, trendSvg } from '../../functions/report/html/trend-svg.ts';
import { esc, renderHtml } from '../../functions/report/html.ts';
import type { Changes, Report, TrendPoint } from '../../functions/report/report.ts';
import {
  activeMarkup,
  allLeaves,
  CHECK_INFO,
  demoEvaluation,
  demoReport,
  FINGERPRINT,
  findingRef,
  GENERATED_AT,
  leafPaths,
  PAYLOADS,
  PREVIOUS_RUN_ID,
  RUN_ID,
  trendBefore,
  withLeaf,
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
  ] as const)(
    `caps %s at ${CHANGE_ROWS} rows and points to report.json for the rest`,
    (key, anchor, make) => {
      for (const [n, more] of [
        [CHANGE_ROWS - 1, null],
        [CHANGE_ROWS, null],
        [CHANGE_ROWS + 57, 57],
        [2000, 1800],
      ] as const) {
        const changes = {
          ...noChanges(),
          [key]: many(n, make as (i: number) => unknown),
        } as Changes;
        const list = changeList(renderHtml(demoReport({ changes })), anchor);
        expect(bodyRows(list)).toBe(Math.min(n, CHANGE_ROWS));
        if (more === null) expect(list).not.toContain('more: the full list');
        else
          expect(list).toContain(
            `and ${more.toLocaleString('en-US')} more: the full list is in report.json`,
          );
      }
    },
  );

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

describe('report.html: the cluster of a finding', () => {
  const EKS = 'arn:aws:eks:eu-west-1:111122223333:cluster/payments';
  const GKE =
    '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/payments-gke';
  const AKS =
    '/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/resourceGroups/rg-shop-prod/providers/Microsoft.ContainerService/managedClusters/payments-aks';
  const finding = (resourceType: string, resourceId: string, scope: Record<string, string> = {}) =>
    ({ resourceType, resourceId, scope }) as Pick<Finding, 'resourceType' | 'resourceId' | 'scope'>;

  it.each([
    ['an EKS cluster', finding('aws.eks.cluster', EKS), EKS],
    ['a GKE cluster', finding('gcp.gke.cluster', GKE), GKE],
    ['an AKS cluster', finding('azure.aks.managed-cluster', AKS), AKS],
    [
      'a Kubernetes object (its scope)',
      finding('kubernetes.Pod', `${EKS}/default/Pod/p`, { cluster: EKS }),
      EKS,
    ],
    [
      'a Kubernetes object of an AKS cluster',
      finding('kubernetes.Namespace', `${AKS}/_cluster/Namespace/default`, { cluster: AKS }),
      AKS,
    ],
    [
      'an EKS nodegroup (its ARN)',
      finding(
        'aws.eks.nodegroup',
        'arn:aws:eks:eu-west-1:111122223333:nodegroup/payments/payments-ng/d685990b-84e7-40fc-94fe-396a7dc147b1',
      ),
      EKS,
    ],
    [
      'an EKS addon (its ARN)',
      finding(
        'aws.eks.addon',
        'arn:aws:eks:eu-west-1:111122223333:addon/payments/vpc-cni/3ec6a1f2-0f0e-4b8c-9d5e-2f7c1a9b8e01',
      ),
      EKS,
    ],
    [
      'an EKS nodegroup in another partition',
      finding(
        'aws.eks.nodegroup',
        'arn:aws-us-gov:eks:us-gov-west-1:111122223333:nodegroup/ledger/ng-1/0b6c',
      ),
      'arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/ledger',
    ],
    [
      'an EKS addon in China',
      finding('aws.eks.addon', 'arn:aws-cn:eks:cn-north-1:111122223333:addon/c1/coredns/9f1e'),
      'arn:aws-cn:eks:cn-north-1:111122223333:cluster/c1',
    ],
    [
      'a scope-level ERROR of GKE clusters (a scope, not a cluster)',
      finding('gcp.gke.cluster', 'gcp:shop-staging', { project: 'shop-staging' }),
      '',
    ],
    [
      'a scope-level ERROR of EKS clusters',
      finding('aws.eks.cluster', 'aws:111122223333/eu-west-1', {
        account: '111122223333',
        region: 'eu-west-1',
      }),
      '',
    ],
    [
      'a scope-level ERROR of AKS clusters',
      finding('azure.aks.managed-cluster', 'azure:a925f2f7-5c63-4b7b-8799-25a5f97bc3b2', {
        subscription: 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2',
      }),
      '',
    ],
    [
      'a scope-level ERROR of EKS nodegroups',
      finding('aws.eks.nodegroup', 'aws:111122223333/eu-west-1'),
      '',
    ],
    [
      'a scope-level ERROR inside a cluster (its scope)',
      finding('kubernetes.Pod', `kubernetes:${EKS}`, { cluster: EKS }),
      EKS,
    ],
    [
      'an IAM user',
      finding('aws.iam.credential-report', 'arn:aws:iam::111122223333:user/kapil'),
      '',
    ],
    [
      'a GCP project',
      finding('gcp.project.iam-policy', '//cloudresourcemanager.googleapis.com/projects/shop-data'),
      '',
    ],
    ['a type that only ends like a cluster', finding('example.cluster', 'c1'), ''],
  ])('%s', (_, f, cluster) => {
    expect(clusterOf(f)).toBe(cluster);
  });

  it('gives every demo finding of a cluster or one of its parts that cluster', () => {
    const { findings } = demoReport();
    const parts = findings.filter(
      (f) =>
        /^(aws\.eks|gcp\.gke|azure\.aks)\./.test(f.resourceType) &&
        !/^(aws|gcp|azure|kubernetes):/.test(f.resourceId),
    );
    expect(new Set(parts.map((f) => f.resourceType))).toEqual(
      new Set([
        'aws.eks.cluster',
        'aws.eks.nodegroup',
        'gcp.gke.cluster',
        'azure.aks.managed-cluster',
      ]),
    );
    for (const f of parts) expect(clusterOf(f), f.resourceId).not.toBe('');
    const clusters = new Set(findings.map(clusterOf).filter(Boolean));
    for (const c of clusters) expect(c).not.toMatch(/^(aws|gcp|azure|kubernetes):/);
    const form = /<form class="filters"[\s\S]*?<\/form>/.exec(html)![0];
    const titles = [...form.matchAll(/<option value="\d+" title="([^"]+)">/g)].map((m) => m[1]);
    expect(new Set(titles)).toEqual(new Set([...clusters].map(esc)));
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
    expect(csp(html)).toMatch(/^default-src 'none'; /);
  });
});

/** The page's Content-Security-Policy, from its meta element. */
function csp(page: string): string {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page);
  expect(meta, 'CSP meta').not.toBeNull();
  return meta![1]!;
}

/** The text of the page's only element `tag` (`script` or `style`). */
function inline(page: string, tag: string): string {
  const parts = page.split(`<${tag}>`);
  expect(parts, `one <${tag}>`).toHaveLength(2);
  return parts[1]!.slice(0, parts[1]!.indexOf(`</${tag}>`));
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('report.html: content security policy', () => {
  it('allows exactly its own inline script and stylesheet, by hash, and nothing inline else', () => {
    const directives = new Map(
      csp(html)
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...sources]) => [name!, sources] as const),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual([`'sha256-${sha256(inline(html, 'script'))}'`]);
    expect(directives.get('style-src')).toEqual([`'sha256-${sha256(inline(html, 'style'))}'`]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(csp(html)).not.toMatch(/unsafe|data:|\*/);
  });

  it('hashes the script and stylesheet as the page has them, for every report', () => {
    for (const report of [demoReport(), demoReport({ changes: null, trendBefore: [] })]) {
      const page = renderHtml(report, CHECK_INFO);
      expect(csp(page)).toBe(csp(html));
      expect(inline(page, 'script')).toBe(SCRIPT);
      expect(inline(page, 'style')).toBe(STYLE);
    }
    // Text that would end the element early, or change how it is parsed, would break the hash.
    expect(SCRIPT).not.toMatch(/<\/script|<!--|<script/i);
    expect(STYLE).not.toMatch(/<\/style/i);
  });

  it('needs nothing the policy refuses: no style attributes, event handlers or javascript: URLs', () => {
    expect(html).not.toMatch(/\sstyle=/i);
    expect(activeMarkup(html)).toEqual([]);
  });
});

describe('report.html: hostile report data', () => {
  it.each([
    [27_582, '27,582'],
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [-1234, '-1,234'],
    [1234.5, '1,234.5'],
    [Number.NaN, '?'],
    [Number.POSITIVE_INFINITY, '?'],
    ['12', '12'],
    ['<img src=x onerror=alert(1)>', '?'],
    [{ toString: () => '<b>' }, '?'],
    [undefined, '?'],
  ] as const)('formatCount(%s) is %s', (n, text) => {
    expect(formatCount(n as unknown as number)).toBe(text);
  });

  const base = demoReport();
  const pick = (status: string, n: number) =>
    base.findings.filter((f) => f.status === status).slice(0, n);
  const findings = [...pick('FAIL', 3), ...pick('ERROR', 2), ...pick('PASS', 3)];
  const requirements = [
    ...base.requirements.filter((r) => r.status === 'FAIL').slice(0, 2),
    ...base.requirements.filter((r) => r.status === 'MANUAL').slice(0, 2),
    { ...base.requirements[0]!, status: 'NOT_TESTED' as const },
  ];
  const changes = base.changes as Changes;
  /** A small report with every kind of field: findings, requirements, changes, errors, trend. */
  const small: Report = {
    ...base,
    findings,
    requirements,
    errors: base.errors.slice(0, 1),
    skipped: { 'arn:aws:eks:eu-west-1:111122223333:cluster/payments': ['kube-system'] },
    changes: {
      since: changes.since,
      newFailures: changes.newFailures.slice(0, 1),
      resolvedFailures: changes.resolvedFailures.slice(-2),
      unverifiedFailures: changes.unverifiedFailures.slice(0, 1),
      newErrors: changes.newErrors.slice(0, 1),
      newResources: changes.newResources.slice(0, 1),
      removedResources: changes.removedResources.slice(0, 1),
    },
    trend: base.trend.slice(-3).map((p) => ({ ...p, summary: { ...p.summary, WAIVED: 1 } })),
  };
  const checks = CHECK_INFO.filter((c) => findings.some((f) => f.checkId === c.id));
  const unavailable: Report = { ...small, changes: { since: 'r', unavailable: 'altered' } };

  it('has a field of every kind to attack', () => {
    const paths = leafPaths(small).map((p) => p.join('.'));
    for (const field of [
      /^summary\.(FAIL|ERROR|PASS|WAIVED)$/,
      /^trend\.\d+\.(runId|generatedAt|summary\.(FAIL|ERROR|PASS|WAIVED))$/,
      /^changes\.(newFailures|resolvedFailures|unverifiedFailures)\.0\.(checkId|resourceId|resourceType|provider|severity|status|message)$/,
      /^changes\.newErrors\.0\.(provider|scope\.\w+|types\.0|operation|message)$/,
      /^changes\.(newResources|removedResources)\.0\.(provider|type|id)$/,
      /^requirements\.\d+\.(id|title|status|checks\.0)$/,
      /^findings\.\d+\.(checkId|resourceId|resourceType|provider|scope\.\w+|status|severity|requirements\.0|message|evidence\.0\.(path|value)|remediation)$/,
      /^errors\.0\.(provider|message|types\.0)$/,
    ]) {
      expect(paths.filter((p) => field.test(p)).length, String(field)).toBeGreaterThan(2);
    }
  });

  it.each(PAYLOADS)('keeps %s inert in any one field of the report', (payload) => {
    for (const report of [small, unavailable]) {
      for (const path of leafPaths(report)) {
        const page = renderHtml(withLeaf(report, path, payload), checks);
        expect(activeMarkup(page), path.join('.')).toEqual([]);
        expect(csp(page), path.join('.')).toBe(csp(html));
      }
    }
    for (const path of leafPaths(checks)) {
      const page = renderHtml(small, withLeaf(checks, path, payload));
      expect(activeMarkup(page), `check info ${path.join('.')}`).toEqual([]);
    }
  });

  it.each(PAYLOADS)('keeps %s inert in every field of the report at once', (payload) => {
    for (const report of [base, { ...base, changes: { since: 'r', unavailable: 'altered' } }]) {
      const page = renderHtml(allLeaves(report, payload), allLeaves(CHECK_INFO, payload));
      expect(activeMarkup(page)).toEqual([]);
      expect(page).toContain(esc(payload));
    }
  });

  it('shows counts that are not numbers as ? (a tampered report.json of an earlier run)', () => {
    const pwned = PAYLOADS[1]!;
    const trend: TrendPoint[] = base.trend.map((p, i) =>
      i === 0
        ? {
            ...p,
            summary: { FAIL: pwned, ERROR: pwned, PASS: pwned, WAIVED: pwned } as unknown as Record<
              Status,
              number
            >,
          }
        : p,
    );
    const page = renderHtml({ ...base, trend }, CHECK_INFO);
    expect(activeMarkup(page)).toEqual([]);
    expect(page).not.toContain('onerror');
    const svg = trendSvg(trend);
    expect(svg).toContain('FAIL ? · ERROR ? · PASS ?');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    expect(section(page, 'trend')).toMatch(/<td class="num">\?<\/td>/);
  });
});
