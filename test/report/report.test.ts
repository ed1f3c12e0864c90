import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../checks/types.ts';
import { evaluate, type Finding } from '../../functions/engine/evaluate.ts';
import { writeInventoryJson } from '../../functions/inventory/write.ts';
import { csvCell, findingsCsv } from '../../functions/report/csv.ts';
import { esc, renderHtml } from '../../functions/report/html.ts';
import { buildReport, serializeReport } from '../../functions/report/report.ts';
import { BufferSink, renderToString } from '../../functions/report/sink.ts';
import { eksCluster } from '../checks/harness.ts';
import { schemaErrors } from '../helpers/report-schema.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const inventory: Inventory = {
  schema: 'pci-posture/inventory@1',
  collectedAt: '2026-11-26T02:00:00Z',
  resources: [eksCluster(HOSTILE, { resourcesVpcConfig: { endpointPublicAccess: true } })],
  errors: [
    {
      provider: 'gcp',
      scope: { project: 'shop-prod' },
      types: ['gcp.gke.cluster'],
      operation: 'projects.locations.clusters.list',
      message: 'PERMISSION_DENIED',
    },
  ],
};

function report(prev = null as null | { runId: string; sha256sumsDigest: string }) {
  return buildReport(evaluate(inventory), {
    runId: '2026-11-26T020311Z-7f3a',
    generatedAt: '2026-11-26T02:03:11Z',
    collectedAt: inventory.collectedAt,
    previous: prev,
  });
}

describe('report.json', () => {
  it('validates against the shipped JSON Schema, first run and linked run alike', () => {
    expect(schemaErrors(report())).toEqual([]);
    expect(
      schemaErrors(report({ runId: '2026-11-25T020000Z-0001', sha256sumsDigest: 'a'.repeat(64) })),
    ).toEqual([]);
  });

  it('is incomplete when anything could not be collected, and has one finding per (check, resource)', () => {
    const r = report();
    expect(r.complete).toBe(false);
    expect(r.errors).toHaveLength(1);
    const keys = r.findings.map((f) => `${f.checkId}\u0000${f.resourceId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      r.findings.filter((f) => f.resourceId === 'gcp:shop-prod').every((f) => f.status === 'ERROR'),
    ).toBe(true);
  });

  it('is rejected by the schema when a field is wrong', () => {
    const bad = { ...report(), summary: { PASS: -1, FAIL: 0, ERROR: 0, WAIVED: 0 } };
    expect(schemaErrors(bad)).not.toEqual([]);
  });
});

describe('findings.csv', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['plain', 'plain'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('has the contract columns and one row per finding, sorted by checkId then resourceId', () => {
    const f = (checkId: string, resourceId: string): Finding => ({
      checkId,
      resourceId,
      resourceType: 't',
      provider: 'aws',
      scope: {},
      status: 'FAIL',
      severity: 'high',
      requirements: ['1.3.1', '1.4.1'],
      message: 'm',
      evidence: [],
      remediation: 'r',
    });
    const csv = findingsCsv([f('b', '1'), f('a', '2'), f('a', '1')]);
    expect(csv).toBe(
      'checkId,status,severity,provider,resourceType,resourceId,requirements,message\r\n' +
        'a,FAIL,high,aws,t,1,1.3.1 1.4.1,m\r\na,FAIL,high,aws,t,2,1.3.1 1.4.1,m\r\nb,FAIL,high,aws,t,1,1.3.1 1.4.1,m\r\n',
    );
  });
});

describe('report.html', () => {
  const html = renderHtml(report());

  it('escapes everything that came from the inventory', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(esc(HOSTILE));
  });

  it('is self-contained: no external scripts, styles, images or fonts, and a CSP that forbids them', () => {
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the summary, the requirement matrix, findings with evidence and remediation, scope, errors and how to verify', () => {
    for (const part of [
      'Summary',
      'Requirement matrix',
      'Findings',
      'Scope',
      'Collection errors',
      'Verify this report',
      'sha256sum -c SHA256SUMS',
      'openssl dgst -sha256 -verify',
    ]) {
      expect(html).toContain(part);
    }
    expect(html).toContain('Incomplete: 1 collection error(s)');
    expect(html).toContain('PERMISSION_DENIED');
    expect(html).toContain('<summary>evidence and remediation</summary>');
    expect(html).toContain('<b>Remediation:</b> Disable public access');
    expect((html.match(/class="req /g) ?? []).length).toBe(280);
  });
});

describe('artifact writers', () => {
  it('write inventory.json exactly as JSON.stringify does, empty or not', () => {
    for (const inv of [inventory, { ...inventory, resources: [] }]) {
      expect(renderToString((s) => writeInventoryJson(inv, s))).toBe(`${JSON.stringify(inv)}\n`);
    }
  });

  it('hash what they encode, across batch boundaries', () => {
    const sink = new BufferSink();
    const line = `${'é'.repeat(1000)}\n`;
    for (let i = 0; i < 3000; i++) sink.write(line);
    const { parts, sha256 } = sink.finish();
    const data = Buffer.concat(parts);
    expect(parts.length).toBeGreaterThan(1);
    expect(data.toString('utf8')).toBe(line.repeat(3000));
    expect(sha256).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('write report.json that parses back to the report, one finding per line', () => {
    const r = report();
    const text = serializeReport(r);
    expect(JSON.parse(text)).toEqual(r);
    expect(text.split('\n').filter((l) => l.startsWith('    {"checkId"'))).toHaveLength(
      r.findings.length,
    );
  });
});
