/**
 * report.html in real headless Chromium (Debian's `chromium`): it renders without errors or CSP
 * violations, shows drift first and the trend chart, and every filter really filters.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../functions/report/html.ts';
import type { Changes, Report } from '../../functions/report/report.ts';
import { CHECK_INFO, demoReport } from '../helpers/html-report.ts';
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

afterAll(async () => {
  await browser?.close();
});

interface Row {
  status: string;
  severity: string;
  provider: string;
  cluster?: string;
  text: string;
}

/** The shown count, and the rows that the browser really displays (the test does not trust `hidden`). */
async function state(): Promise<{ shown: number; visible: Row[]; all: Row[]; total: number }> {
  const rows = await page.$$eval('#findings tbody tr', (trs) =>
    trs.map((tr) => ({
      visible: tr.checkVisibility() as boolean,
      row: { ...tr.dataset, text: String(tr.textContent).toLowerCase() } as Row,
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
