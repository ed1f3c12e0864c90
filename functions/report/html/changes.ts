/** "What changed": drift since the previous run of the archive, the first thing the page shows. */
import type { CollectionError } from '../../../checks/types.ts';
import type { Changes, FindingRef, Report, ResourceRef } from '../report.ts';
import { formatScope } from '../report.ts';
import { esc, formatCount } from './escape.ts';
import type { CheckLink } from './requirements.ts';

/** At most this many rows of each list are in the page; report.json has them all. */
export const CHANGE_ROWS = 200;

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

interface ChangeList<T> {
  key: keyof Omit<Changes, 'since'>;
  title: string;
  /** The count tile's words. */
  tile: string;
  tone: 'bad' | 'good' | 'warn' | 'neutral';
  open: boolean;
  head: string[];
  row: (item: T, link: CheckLink) => string[];
  sort?: (a: T, b: T) => number;
}

const findingCells = (f: FindingRef, link: CheckLink): string[] => [
  `<span class="sev ${esc(f.severity)}">${esc(f.severity)}</span>`,
  link(f.checkId),
  `<span class="id">${esc(f.resourceId)}</span>`,
  esc(f.message),
];

/** Cells of a finding that may have no status now: its status, or `absent` when it has none. */
const withNow =
  (absent: string) =>
  (f: FindingRef, link: CheckLink): string[] => [
    f.status
      ? `<span class="st ${esc(f.status)}">${esc(f.status)}</span>`
      : `<span class="muted">${esc(absent)}</span>`,
    ...findingCells(f, link),
  ];

const bySeverity = (a: FindingRef, b: FindingRef) =>
  (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9);

const resourceCells = (r: ResourceRef): string[] => [
  esc(r.provider),
  `<code>${esc(r.type)}</code>`,
  `<span class="id">${esc(r.id)}</span>`,
];

const errorCells = (e: CollectionError): string[] => [
  esc(e.provider),
  `<span class="id">${esc(formatScope(e.scope))}${e.resourceId ? `<br>${esc(e.resourceId)}` : ''}</span>`,
  esc(e.types.join(', ')),
  esc(e.operation ?? ''),
  esc(e.message),
];

const LISTS = [
  {
    key: 'newFailures',
    title: 'New failures',
    tile: 'new failures',
    tone: 'bad',
    open: true,
    head: ['severity', 'check', 'resource', 'message'],
    row: findingCells,
    sort: bySeverity,
  } satisfies ChangeList<FindingRef>,
  {
    key: 'resolvedFailures',
    title: 'Resolved failures',
    tile: 'resolved failures',
    tone: 'good',
    open: true,
    head: ['now', 'severity', 'check', 'resource', 'message'],
    row: withNow('gone with its resource'),
  } satisfies ChangeList<FindingRef>,
  {
    key: 'unverifiedFailures',
    title: 'Failures now unverified (could not be read: not proven fixed)',
    tile: 'failures now unverified',
    tone: 'warn',
    open: true,
    head: ['now', 'severity', 'check', 'resource', 'message'],
    row: withNow('not read (collection error)'),
  } satisfies ChangeList<FindingRef>,
  {
    key: 'newErrors',
    title: 'New collection errors',
    tile: 'new collection errors',
    tone: 'warn',
    open: true,
    head: ['provider', 'scope', 'types', 'operation', 'message'],
    row: errorCells,
  } satisfies ChangeList<CollectionError>,
  {
    key: 'newResources',
    title: 'New resources',
    tile: 'new resources',
    tone: 'neutral',
    open: false,
    head: ['provider', 'type', 'id'],
    row: resourceCells,
  } satisfies ChangeList<ResourceRef>,
  {
    key: 'removedResources',
    title: 'Removed resources',
    tile: 'removed resources',
    tone: 'neutral',
    open: false,
    head: ['provider', 'type', 'id'],
    row: resourceCells,
  } satisfies ChangeList<ResourceRef>,
] as const;

function anchor(key: string): string {
  return `chg-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function list<T>(spec: ChangeList<T>, items: readonly T[], link: CheckLink): string {
  const shown = spec.sort ? [...items].sort(spec.sort) : items;
  const rows = shown
    .slice(0, CHANGE_ROWS)
    .map(
      (item) =>
        `<tr>${spec
          .row(item, link)
          .map((cell) => `<td>${cell}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const more =
    items.length > CHANGE_ROWS
      ? `<p class="more">and ${formatCount(items.length - CHANGE_ROWS)} more: the full list is in report.json</p>`
      : '';
  return `<details class="change ${spec.tone}" id="${anchor(spec.key)}"${spec.open ? ' open' : ''}><summary>${esc(spec.title)} <span class="n">${formatCount(items.length)}</span></summary><table class="${spec.key}"><thead><tr>${spec.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>${more}</details>`;
}

/**
 * The "What changed" section: per category a count (linking to its list), then each non-empty
 * list (at most {@link CHANGE_ROWS} rows; report.json has the rest). A first run and a drift
 * that could not be computed each get one sentence.
 *
 * @example sink.write(changesSection(report.changes, checkLinker(new Set())));
 */
export function changesSection(changes: Report['changes'], link: CheckLink): string {
  const open = '<section id="changes" class="changes"><h2>What changed</h2>';
  if (changes == null)
    return `${open}<p class="note">First run of this archive: nothing to compare.</p></section>`;
  if ('unavailable' in changes)
    return `${open}<p class="note warn">Changes since run <code>${esc(changes.since)}</code> could not be computed: ${esc(changes.unavailable)}</p></section>`;
  const specs = LISTS as readonly ChangeList<unknown>[];
  const tiles = specs
    .map((spec) => {
      const n = (changes[spec.key] as readonly unknown[]).length;
      const body = `<b>${formatCount(n)}</b>${esc(spec.tile)}`;
      return n
        ? `<a class="delta ${spec.tone}" href="#${anchor(spec.key)}">${body}</a>`
        : `<span class="delta zero">${body}</span>`;
    })
    .join('');
  const lists = specs
    .filter((spec) => (changes[spec.key] as readonly unknown[]).length > 0)
    .map((spec) => list(spec, changes[spec.key] as readonly unknown[], link))
    .join('');
  return `${open}<p class="lead">Since run <code>${esc(changes.since)}</code>, the previous run of this archive.</p><div class="deltas">${tiles}</div>${lists || '<p class="note">No change: the same failures, collection errors and resources as the previous run.</p>'}</section>`;
}
