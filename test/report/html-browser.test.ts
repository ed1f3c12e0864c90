/**
 * report.html in real headless Chromium (Debian's `chromium`): it renders without errors or CSP
 * violations, shows drift first and the trend chart, and every filter really filters. Its CSP
 * lets its own script run and refuses markup injected into the page.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOf } from '../../functions/report/html/findings.ts';
import { renderHtml } from '../../functions/report/html.ts';
import type { Changes, Report } from '../../functions/report/report.ts';
import { CHECK_INFO, demoReport, PAYLOADS } from '../helpers/html-report.ts';
import { tempDir } from '../helpers/tmp.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOT = join('test-output', 'report-screenshot.png');
const DIR = tempDir('html-browser');

let browser: Browser;
let page: Page;
let report: Report;
let url: string;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install -y chromium)`,
    );
  }
  report = demoReport();
  const file = join(DIR, 'report.html');
  writeFileSync(file, renderHtml(report, CHECK_INFO));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
});

/** Opens a page in its own tab, collecting its console errors and page errors. */
async function open(href: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const found: string[] = [];
  opened.on('console', (m) => {
    if (m.type() === 'error') found.push(`console: ${m.text()}`);
  });
  opened.on('pageerror', (e) => found.push(`page error: ${e.message}`));
  await opened.goto(href, { waitUntil: 'load' });
  return { page: opened, problems: found };
}

afterAll(async () => {
  await browser?.close();
});

interface Row {
  status: string;
  severity: string;
  provider: string;
  cluster?: string;
  text: string;
  /** Its check and resource, as {@link findingKey} names a finding. */
  key: string;
}

const findingKey = (f: { checkId: string; resourceId: string }) => `${f.checkId} ${f.resourceId}`;

/** The shown count, and the rows that the browser really displays (the test does not trust `hidden`). */
async function state(): Promise<{ shown: number; visible: Row[]; all: Row[]; total: number }> {
  const rows = await page.$$eval('#findings tbody tr', (trs) =>
    trs.map((tr) => ({
      visible: tr.checkVisibility() as boolean,
      row: {
        ...tr.dataset,
        text: String(tr.textContent).toLowerCase(),
        key: `${tr.cells[2]?.textContent} ${tr.cells[3]?.textContent}`,
      } as Row,
    })),
  );
  const shown = Number((await page.locator('#shown').textContent())!.replace(/,/g, ''));
  const all = rows.map((r) => r.row);
  return {
    shown,
    visible: rows.filter((r) => r.visible).map((r) => r.row),
    all,
    total: rows.length,
  };
}

/** The non-empty values a filter offers. */
async function values(name: string): Promise<string[]> {
  return page.$$eval(`#filters select[name="${name}"] option`, (os) =>
    os.map((o) => String(o.value)).filter(Boolean),
  );
}

async function reset(): Promise<void> {
  await page.click('#filters button[type="reset"]');
  await expect.poll(async () => (await state()).shown).toBe(report.findings.length);
  const s = await state();
  expect(s.visible).toHaveLength(s.total);
  expect(s.shown).toBe(s.total);
}

describe('report.html in headless Chromium', () => {
  it('renders without console errors, page errors or CSP violations', async () => {
    expect(await page.title()).toBe(`PCI DSS posture report ${report.runId}`);
    expect(await page.locator('h1').textContent()).toBe('PCI DSS v4.0.1 posture report');
    expect(problems).toEqual([]);
  });

  it('shows what changed as the first section, with its counts', async () => {
    const first = await page.$eval('main section', (s) => ({
      id: s.id,
      heading: s.querySelector('h2')?.textContent,
    }));
    expect(first).toEqual({ id: 'changes', heading: 'What changed' });
    const changes = report.changes as Changes;
    const tile = await page.locator('#changes a[href="#chg-new-failures"] b').textContent();
    expect(Number(tile)).toBe(changes.newFailures.length);
    expect(await page.locator('#chg-new-failures tbody tr').count()).toBe(
      changes.newFailures.length,
    );
  });

  it('draws the trend chart with one point per run', async () => {
    const svg = page.locator('#trend svg[role="img"]');
    await expect.poll(() => svg.isVisible()).toBe(true);
    expect(await svg.getAttribute('aria-label')).toMatch(/over the last 30 runs/);
    expect(await svg.locator('g.pt').count()).toBe(30);
    expect(await svg.locator('g.pt title').first().textContent()).toContain(report.trend[0]!.runId);
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    expect(box!.height).toBeGreaterThan(150);
  });

  it.each(['status', 'severity', 'provider', 'cluster'])(
    'filters the findings by %s and counts what it shows',
    async (name) => {
      const options = await values(name);
      expect(options.length).toBeGreaterThan(1);
      for (const value of options) {
        await page.selectOption(`#filters select[name="${name}"]`, value);
        const s = await state();
        expect(s.visible.length).toBeGreaterThan(0);
        expect(s.visible.length).toBeLessThan(s.total);
        expect(s.visible.every((row) => row[name as keyof Row] === value)).toBe(true);
        expect(s.visible).toHaveLength(
          s.all.filter((row) => row[name as keyof Row] === value).length,
        );
        expect(s.shown).toBe(s.visible.length);
      }
      await reset();
    },
  );

  it('filters by cluster exactly the findings of that cluster, parts and scope errors as clusterOf says', async () => {
    const options = await page.$$eval('#filters select[name="cluster"] option', (os) =>
      os.filter((o) => o.value).map((o) => ({ value: o.value, id: String(o.title) })),
    );
    const byCluster = new Map<string, string[]>();
    for (const f of report.findings) {
      const c = clusterOf(f);
      if (c) byCluster.set(c, [...(byCluster.get(c) ?? []), findingKey(f)]);
    }
    expect(options.map((o) => o.id).sort()).toEqual([...byCluster.keys()].sort());
    for (const o of options) expect(o.id).not.toMatch(/^(aws|gcp|azure|kubernetes):/);
    // The demo has parts of clusters that are not Kubernetes objects: EKS node groups, AKS clusters.
    const parts = report.findings.filter((f) =>
      ['aws.eks.nodegroup', 'azure.aks.managed-cluster'].includes(f.resourceType),
    );
    expect(parts.length).toBeGreaterThan(2);
    for (const f of parts) expect(clusterOf(f), f.resourceId).not.toBe('');
    for (const o of options) {
      await page.selectOption('#filters select[name="cluster"]', o.value);
      const s = await state();
      expect(s.visible.map((r) => r.key).sort(), o.id).toEqual(byCluster.get(o.id)!.sort());
      expect(s.shown).toBe(s.visible.length);
    }
    await reset();
  });

  it('combines filters with the text search, and says when nothing matches', async () => {
    await page.fill('#filters input[name="q"]', 'Payments');
    let s = await state();
    expect(s.visible.length).toBeGreaterThan(0);
    expect(s.visible.length).toBeLessThan(s.total);
    expect(s.visible.every((row) => row.text.includes('payments'))).toBe(true);
    expect(s.shown).toBe(s.visible.length);
    await page.selectOption('#filters select[name="status"]', 'FAIL');
    s = await state();
    expect(s.visible.every((r) => r.status === 'FAIL' && r.text.includes('payments'))).toBe(true);
    expect(s.shown).toBe(s.visible.length);
    await page.fill('#filters input[name="q"]', 'no such thing anywhere');
    s = await state();
    expect(s.visible).toEqual([]);
    expect(s.shown).toBe(0);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    await reset();
    expect(await page.locator('#no-match').isVisible()).toBe(false);
  });

  it('opens a failing row to its evidence and remediation', async () => {
    const row = page.locator('#findings tbody tr[data-status="FAIL"]').first();
    await row.locator('summary').click();
    await expect
      .poll(() => row.locator('details p', { hasText: 'Remediation:' }).isVisible())
      .toBe(true);
  });

  it('links a matrix cell to its requirement and checks, opening the list that holds it', async () => {
    const row = page.locator('tr[id="r-1.3.1"]');
    expect(await row.isVisible()).toBe(false);
    await page.click('a[id="req-1.3.1"]');
    await expect.poll(() => row.isVisible()).toBe(true);
    await row.locator('a[href="#check-eks-endpoint-not-public"]').click();
    await expect
      .poll(() => page.locator('tr[id="check-eks-endpoint-not-public"]').isVisible())
      .toBe(true);
    expect(new URL(page.url()).hash).toBe('#check-eks-endpoint-not-public');
  });

  it('runs its own script under its CSP, also with a hash that is not valid percent-encoding', async () => {
    const linked = await open(`${url}#r-1.3.1`);
    await expect.poll(() => linked.page.locator('tr[id="r-1.3.1"]').isVisible()).toBe(true);
    await linked.page.close();
    expect(linked.problems).toEqual([]);
    for (const hash of ['#%E0', '#%', '#%zz%E0%A4']) {
      const malformed = await open(`${url}${hash}`);
      expect(new URL(malformed.page.url()).hash).toBe(hash);
      await malformed.page.selectOption('#filters select[name="status"]', 'FAIL');
      await expect
        .poll(() => malformed.page.locator('#shown').textContent())
        .toBe(String(report.summary.FAIL));
      // A malformed hash set later (hashchange) must not throw either.
      await malformed.page.evaluate(`new Promise((done) => {
        addEventListener('hashchange', () => setTimeout(done, 0), { once: true });
        location.hash = '#%E0%80';
      })`);
      await malformed.page.close();
      expect(malformed.problems, hash).toEqual([]);
    }
  });

  it('shows a hostile finding message as text', async () => {
    const pwned = PAYLOADS[1]!;
    const hostile = demoReport();
    const f = hostile.findings.find((x) => x.status === 'FAIL')!;
    const findings = hostile.findings.map((x) => (x === f ? { ...f, message: pwned } : x));
    const file = join(DIR, 'hostile.html');
    writeFileSync(file, renderHtml({ ...hostile, findings }, CHECK_INFO));
    const opened = await open(pathToFileURL(file).href);
    expect(await opened.page.title()).toBe(`PCI DSS posture report ${hostile.runId}`);
    expect(await opened.page.locator('#findings img').count()).toBe(0);
    expect(
      await opened.page.locator('#findings tbody tr', { hasText: pwned }).first().isVisible(),
    ).toBe(true);
    await opened.page.close();
    expect(opened.problems).toEqual([]);
  });

  it('refuses script injected into the page as markup (handler attributes and script blocks)', async () => {
    const injected = renderHtml(report, CHECK_INFO).replace(
      '<main class="wrap">',
      `<main class="wrap">${PAYLOADS[1]}<script>document.title='PWNED'</script><a id="js" href="javascript:document.title='PWNED'">x</a>`,
    );
    expect(injected).toContain('onerror="document.title=');
    const file = join(DIR, 'injected.html');
    writeFileSync(file, injected);
    const opened = await open(pathToFileURL(file).href);
    // Chromium words these "Executing inline ... violates ..." (older versions: "Refused to ...").
    const refused = (what: string) =>
      new RegExp(
        `${what} (because it )?violates the following Content Security Policy directive:? ["']script-src`,
      );
    await expect.poll(() => opened.problems.join('\n')).toMatch(refused('inline event handler'));
    expect(opened.problems.join('\n')).toMatch(refused('inline script'));
    const before = opened.problems.length;
    await opened.page.click('#js');
    await expect
      .poll(() => opened.problems.slice(before).join('\n'))
      .toMatch(refused('(Running|to run) the JavaScript URL'));
    expect(await opened.page.title()).toBe(`PCI DSS posture report ${report.runId}`);
    expect(opened.problems.filter((p) => !p.includes('Content Security Policy'))).toEqual([]);
    // The page's own script is allowed by its hash and still runs.
    await opened.page.selectOption('#filters select[name="status"]', 'ERROR');
    await expect
      .poll(() => opened.page.locator('#shown').textContent())
      .toBe(String(report.summary.ERROR));
    await opened.page.close();
  });

  it('saves a full-page screenshot', async () => {
    mkdirSync('test-output', { recursive: true });
    await page.goto(url, { waitUntil: 'load' }); // as first opened: no row or list left open
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(3000);
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(100_000);
    expect(problems).toEqual([]);
  });
});
