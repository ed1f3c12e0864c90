/** Value tests that the verdict rules of CHECKS.md use, written once. */

/**
 * The name a resource goes by in messages: `data.name`, `metadata.name` or the id's last part.
 *
 * @example displayName(eksCluster) // 'payments'
 */
export function displayName(resource: { id: string; data: unknown }): string {
  const d = resource.data as Record<string, unknown> | null;
  const meta = d?.metadata as Record<string, unknown> | undefined;
  const name = d?.name ?? meta?.name;
  if (typeof name === 'string' && name) return name;
  return resource.id.split('/').pop() ?? resource.id;
}

/**
 * True only for the boolean `true` (not `"true"`, not `1`).
 *
 * @example isTrue(cluster.data.shieldedNodes?.enabled)
 */
export const isTrue = (v: unknown): boolean => v === true;

/**
 * A non-empty string.
 *
 * @example nonEmptyString(data.databaseEncryption?.keyName)
 */
export const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * An array with at least one element.
 *
 * @example nonEmptyArray(vpc.publicAccessCidrs)
 */
export const nonEmptyArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/**
 * "Present" in CHECKS.md: a non-null object, even `{}`.
 *
 * @example isPresent(data.properties?.aadProfile)
 */
export const isPresent = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A value as an array: arrays as they are, a single value wrapped, missing as `[]`.
 *
 * @example asArray(statement.Action) // '*' → ['*']
 */
export function asArray<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** The CIDRs that mean "anyone on the internet". */
export const OPEN_CIDRS: readonly string[] = ['0.0.0.0/0', '::/0'];

/**
 * True when the list holds `0.0.0.0/0` or `::/0`.
 *
 * @example holdsOpenCidr(['10.0.0.0/8', '::/0']) // true
 */
export function holdsOpenCidr(cidrs: readonly unknown[]): boolean {
  return cidrs.some((c) => typeof c === 'string' && OPEN_CIDRS.includes(c.trim()));
}

/**
 * Compares versions numerically, part by part (`1.4` < `1.30`); non-numeric suffixes of a
 * part (`1.30-eks`) are ignored. Returns negative, zero or positive.
 *
 * @example compareVersions('1.4', '1.30') < 0 // true
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10));
  const pb = b.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isNaN(pa[i] ?? 0) ? 0 : (pa[i] ?? 0);
    const y = Number.isNaN(pb[i] ?? 0) ? 0 : (pb[i] ?? 0);
    if (x !== y) return x - y;
  }
  return 0;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * True when `date` is strictly more than `days` x 24 hours before `now` (epoch ms).
 * An unparsable date gives `false`: callers decide what "never" means first.
 *
 * @example olderThanDays('2026-08-01T00:00:00Z', Date.parse('2026-11-26T00:00:00Z'), 90) // true
 */
export function olderThanDays(date: string, now: number, days: number): boolean {
  const t = Date.parse(date);
  if (Number.isNaN(t)) return false;
  return now - t > days * DAY_MS;
}

/**
 * Matches a whole string against a pattern where `*` stands for any run of characters.
 *
 * @example globMatch('*.azurecr.io', 'shop.azurecr.io') // true
 */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(value);
}
