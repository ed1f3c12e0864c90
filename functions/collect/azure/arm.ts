/**
 * Reading ARM list pages: `{ value: [...], nextLink }` checked item by item, and a list followed
 * page by page in the shared call pool, with failures recorded as inventory `errors`.
 */
import type { Provider, Resource, Scope } from '../../../checks/types.ts';
import { type Collected, type CollectRuntime, collectionError, MalformedPage } from '../runtime.ts';
import type { ArmPageRequest } from './clients.ts';

/** One ARM object as the list answered it: any JSON object with an ARM `id`. */
export type ArmObject = Record<string, unknown> & { id: string };

/**
 * The items and next link of one ARM list page, checked: the page is an object, `value` a list of
 * objects with an ARM id (`/...`), `nextLink` absent, null or a URL on the ARM endpoint's origin
 * (the bearer token follows it, so it may not lead anywhere else). A page refused for its
 * nextLink alone carries its items in the error's `partial`.
 *
 * @example armPage('ManagedClusters_List', 'https://management.azure.com')({ value: [cluster] }) // [[cluster], undefined]
 */
export function armPage(operation: string, armOrigin: string) {
  return (page: unknown): readonly [ArmObject[], string | undefined] => {
    if (typeof page !== 'object' || page === null || Array.isArray(page)) {
      throw new MalformedPage(`${operation} answered a page that is not a JSON object`);
    }
    const { value, nextLink } = page as { value?: unknown; nextLink?: unknown };
    if (!Array.isArray(value)) {
      throw new MalformedPage(`${operation} answered a page without a value list`);
    }
    const items = value.map((item, i): ArmObject => {
      const id = (item as { id?: unknown } | null)?.id;
      if (
        typeof item !== 'object' ||
        Array.isArray(item) ||
        typeof id !== 'string' ||
        !id.startsWith('/')
      ) {
        throw new MalformedPage(`${operation} answered an item without an ARM id (value[${i}])`);
      }
      return item as ArmObject;
    });
    if (nextLink === undefined || nextLink === null || nextLink === '') return [items, undefined];
    let origin: string | undefined;
    try {
      origin = typeof nextLink === 'string' ? new URL(nextLink).origin : undefined;
    } catch {
      origin = undefined;
    }
    if (origin !== armOrigin) {
      // The page's own items are good: they come with the error.
      throw new MalformedPage(
        `${operation} answered a nextLink that is not a URL on ${armOrigin}; it was not followed`,
        items,
      );
    }
    return [items, nextLink as string];
  };
}

/**
 * Follows one ARM list to its end and returns its items. A failure becomes an error in `out` for
 * `types` in `scope`; the items of the pages read before it are still returned (they are what
 * ARM answered: a FAIL they prove stays FAIL, and the error keeps every PASS in the scope from
 * standing). `undefined` when nothing was read.
 *
 * @example const clusters = await readArmList(rt, out, { provider: 'azure', scope, types, operation: 'ManagedClusters_List' }, origin, (page) => clients.listManagedClusters(s, page));
 */
export async function readArmList(
  rt: CollectRuntime,
  out: Collected,
  on: { provider: Provider; scope: Scope; types: readonly string[]; operation: string },
  armOrigin: string,
  fetch: (page: ArmPageRequest) => Promise<unknown>,
): Promise<ArmObject[] | undefined> {
  const read = armPage(on.operation, armOrigin);
  const kept: ArmObject[] = [];
  try {
    await rt.pages(
      on.operation,
      (nextLink, signal) => fetch({ nextLink, signal }),
      (page): readonly [ArmObject[], string | undefined] => {
        try {
          const [items, next] = read(page);
          kept.push(...items);
          return [[], next];
        } catch (err) {
          if (err instanceof MalformedPage) kept.push(...(err.partial as ArmObject[]));
          throw err;
        }
      },
    );
    return kept;
  } catch (err) {
    out.errors.push(collectionError(on.provider, on.scope, on.types, on.operation, err));
    return kept.length > 0 ? kept : undefined;
  }
}

/**
 * An inventory resource for an ARM object: its ARM id, its wire JSON as `data`.
 *
 * @example armResource('azure.aks.managed-cluster', { subscription: 's' }, cluster)
 */
export function armResource(type: string, scope: Scope, item: ArmObject): Resource {
  return { provider: 'azure', type, id: item.id, scope, data: item as Resource['data'] };
}
