/**
 * The findings part of `report.html`: the filter form, one table row per finding (streamed, worst
 * status first) and the per-check section with rationale and remediation once per check.
 */
import type { Status } from '../../../checks/types.ts';
import type { Finding } from '../../engine/evaluate.ts';
import { CLUSTER_TYPES } from '../../engine/scope.ts';
import type { TextSink } from '../sink.ts';
import { esc, formatCount, prose } from './escape.ts';

/** What the HTML shows about each check: title, rationale and remediation, once per check. */
export interface CheckInfo {
  id: string;
  title: string;
  severity: string;
  requirements: readonly string[];
  rationale: string;
  remediation: string;
}

/** Rows are written in this order of status, so failures come first; each pass keeps the report's order. */
export const ROW_ORDER: readonly Status[] = ['FAIL', 'ERROR', 'WAIVED', 'PASS'];

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];
const PROVIDER_ORDER = ['aws', 'gcp', 'azure', 'kubernetes'];

/** Counts per filter value, and per check, gathered in one pass over the findings. */
export interface FindingFacets {
  status: Map<string, number>;
  severity: Map<string, number>;
  provider: Map<string, number>;
  /** Per cluster id, its number (rows carry the short number) and its count. */
  cluster: Map<string, { n: string; count: number }>;
  /** Per check id: the first finding (severity, requirements, remediation) and its counts per status. */
  checks: Map<string, { first: Finding; counts: Map<string, number> }>;
}

/** A scope name (`gcp:shop-staging`, `aws:111122223333/eu-west-1`): the id of a scope-level ERROR finding, not of a resource. */
const SCOPE_NAME = /^(aws|gcp|azure|kubernetes):/;

/**
 * The ARN of a part of an EKS cluster (`nodegroup/<cluster>/<name>/<uuid>`,
 * `addon/<cluster>/<addon>/<uuid>`, and the like): partition, region, account and cluster.
 */
const EKS_PART = /^arn:(aws[a-z-]*):eks:([^:/]+):([^:/]+):[a-z-]+\/([^/]+)\//;

/**
 * The cluster a finding belongs to, or '' for none: its scope's cluster (Kubernetes objects),
 * itself when it is a cluster (EKS, GKE, AKS), the cluster in its ARN for the parts of an EKS
 * cluster (node groups, add-ons). A scope-level ERROR finding (its id a scope name such as
 * `gcp:shop-staging`) belongs to no cluster.
 *
 * @example clusterOf(nodegroupFinding) // 'arn:aws:eks:eu-west-1:111122223333:cluster/payments'
 */
export function clusterOf(f: Pick<Finding, 'scope' | 'resourceType' | 'resourceId'>): string {
  const scoped = f.scope.cluster;
  if (scoped) return String(scoped);
  const id = String(f.resourceId);
  if (SCOPE_NAME.test(id)) return '';
  if (CLUSTER_TYPES.has(f.resourceType)) return id;
  const part = EKS_PART.exec(id);
  return part ? `arn:${part[1]}:eks:${part[2]}:${part[3]}:cluster/${part[4]}` : '';
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Tallies the findings for the filters and the check section, in one pass.
 *
 * @example const facets = findingFacets(report.findings); facets.status.get('FAIL') // 7
 */
export function findingFacets(findings: readonly Finding[]): FindingFacets {
  const facets: FindingFacets = {
    status: new Map(),
    severity: new Map(),
    provider: new Map(),
    cluster: new Map(),
    checks: new Map(),
  };
  const clusters = new Map<string, number>();
  for (const f of findings) {
    bump(facets.status, f.status);
    bump(facets.severity, f.severity);
    bump(facets.provider, f.provider);
    const c = clusterOf(f);
    if (c) bump(clusters, c);
    let check = facets.checks.get(f.checkId);
    if (!check) {
      check = { first: f, counts: new Map() };
      facets.checks.set(f.checkId, check);
    }
    bump(check.counts, f.status);
  }
  [...clusters.keys()].sort().forEach((id, i) => {
    facets.cluster.set(id, { n: String(i + 1), count: clusters.get(id)! });
  });
  return facets;
}

function ordered(values: Iterable<string>, order: readonly string[]): string[] {
  const rank = (v: string) => (order.includes(v) ? order.indexOf(v) : order.length);
  return [...values].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A cluster's short name and kind (`payments (EKS)`), or its id when that is not clear. */
function clusterLabel(id: string): string {
  const name = id.split(/[/:]/).filter(Boolean).at(-1) ?? id;
  const kind = /^arn:aws[a-z-]*:eks:/.test(id)
    ? 'EKS'
    : id.includes('container.googleapis.com/')
      ? 'GKE'
      : /\/Microsoft\.ContainerService\//i.test(id)
        ? 'AKS'
        : '';
  return kind ? `${name} (${kind})` : id;
}

function select(
  name: string,
  options: ReadonlyArray<{ value: string; label: string; count: number; title?: string }>,
): string {
  const opts = options
    .map(
      (o) =>
        `<option value="${esc(o.value)}"${o.title ? ` title="${esc(o.title)}"` : ''}>${esc(o.label)} (${formatCount(o.count)})</option>`,
    )
    .join('');
  return `<label>${esc(name)} <select name="${esc(name)}"><option value="">all</option>${opts}</select></label>`;
}

/**
 * The filter form: status, severity, provider and cluster (each value with its count), a text
 * search, a reset button and the count of shown rows (`#shown`), which the page's script updates.
 *
 * @example sink.write(filtersForm(findingFacets(report.findings), report.findings.length));
 */
export function filtersForm(facets: FindingFacets, total: number): string {
  const simple = (m: Map<string, number>, order: readonly string[]) =>
    ordered(m.keys(), order).map((v) => ({ value: v, label: v, count: m.get(v)! }));
  const labels = [...facets.cluster.keys()].map(clusterLabel);
  const clusters = [...facets.cluster.entries()].map(([id, c], i) => ({
    value: c.n,
    label: labels.indexOf(labels[i]!) === labels.lastIndexOf(labels[i]!) ? labels[i]! : id,
    count: c.count,
    title: id,
  }));
  return `<form class="filters" id="filters" role="search">${select('status', simple(facets.status, ROW_ORDER))}${select('severity', simple(facets.severity, SEVERITY_ORDER))}${select('provider', simple(facets.provider, PROVIDER_ORDER))}${select('cluster', clusters)}<label class="q">search <input type="search" name="q" placeholder="check, resource or message" autocomplete="off"></label><button type="reset">Reset</button><output class="count" aria-live="polite">Showing <b id="shown">${formatCount(total)}</b> of ${formatCount(total)}</output></form>`;
}

function evidenceText(f: Finding): string {
  return esc(f.evidence.map((e) => `${e.path} = ${JSON.stringify(e.value)}`).join('\n'));
}

/**
 * One row of the findings table. FAIL and ERROR rows expand to evidence and remediation; PASS
 * and WAIVED rows to evidence only (the check section has the remediation once).
 *
 * @example sink.write(findingRow(finding, findingFacets(findings).cluster));
 */
export function findingRow(f: Finding, clusters: ReadonlyMap<string, { n: string }>): string {
  const cluster = clusters.get(clusterOf(f));
  const failing = f.status === 'FAIL' || f.status === 'ERROR';
  let details = '';
  if (failing) {
    details = `<details><summary>evidence and remediation</summary>${f.evidence.length ? `<pre>${evidenceText(f)}</pre>` : '<p class="muted">No evidence: the data could not be read.</p>'}<p><b>Remediation:</b> ${prose(f.remediation)}</p></details>`;
  } else if (f.evidence.length) {
    details = `<details><summary>evidence</summary><pre>${evidenceText(f)}</pre></details>`;
  }
  const check = esc(f.checkId);
  return `<tr data-status="${esc(f.status)}" data-severity="${esc(f.severity)}" data-provider="${esc(f.provider)}"${cluster ? ` data-cluster="${cluster.n}"` : ''}><td>${esc(f.status)}</td><td>${esc(f.severity)}</td><td><a href="#check-${check}">${check}</a></td><td>${esc(f.resourceId)}</td><td>${esc(f.message)}${details}</td></tr>\n`;
}

/**
 * Streams the rows, one status at a time in {@link ROW_ORDER} (four linear passes, no sort).
 *
 * @example writeFindingRows(report.findings, facets.cluster, sink);
 */
export function writeFindingRows(
  findings: readonly Finding[],
  clusters: ReadonlyMap<string, { n: string }>,
  sink: TextSink,
): void {
  const known = new Set<string>(ROW_ORDER);
  for (const status of ROW_ORDER) {
    for (const f of findings) if (f.status === status) sink.write(findingRow(f, clusters));
  }
  for (const f of findings) if (!known.has(f.status)) sink.write(findingRow(f, clusters));
}

/**
 * Per check, once: title, severity, requirements, its findings per status, why it matters and
 * how to fix a failure. Lists the checks that have findings and every check in `infos`.
 *
 * @example sink.write(checksSection(findingFacets(report.findings), ALL_CHECKS.map((c) => c.meta)));
 */
export function checksSection(facets: FindingFacets, infos: readonly CheckInfo[]): string {
  const byId = new Map(infos.map((c) => [c.id, c]));
  const ids = [...new Set([...facets.checks.keys(), ...byId.keys()])].sort();
  const rows = ids.map((id) => {
    const info = byId.get(id);
    const seen = facets.checks.get(id);
    const counts = seen
      ? ROW_ORDER.filter((st) => seen.counts.get(st))
          .map((st) => `<span class="st ${st}">${formatCount(seen.counts.get(st)!)} ${st}</span>`)
          .join(' ')
      : '<span class="muted">nothing to look at</span>';
    const severity = seen?.first.severity ?? info?.severity ?? '';
    const requirements = seen?.first.requirements ?? info?.requirements ?? [];
    const remediation = seen?.first.remediation ?? info?.remediation ?? '';
    return `<tr id="check-${esc(id)}"><td><code>${esc(id)}</code>${info ? `<div>${esc(info.title)}</div>` : ''}</td><td><span class="sev ${esc(severity)}">${esc(severity)}</span></td><td>${requirements.map((r) => `<a href="#req-${esc(r)}">${esc(r)}</a>`).join(', ')}</td><td>${counts}</td><td>${info ? `<p>${prose(info.rationale)}</p>` : ''}<p><b>Remediation:</b> ${prose(remediation)}</p></td></tr>`;
  });
  return `<section id="checks"><h2>Checks: why they matter, how to fix a failure</h2><table class="checks"><thead><tr><th>check</th><th>severity</th><th>PCI DSS</th><th>findings</th><th>why it matters and how to fix it</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
