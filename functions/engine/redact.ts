/**
 * Keeps secrets out of every artifact: secret-looking env literals become `[REDACTED]`, and the
 * fields that can carry whole manifests (`managedFields`, the last-applied annotation) are dropped.
 * Collectors call it as they collect; the engine calls it again before it evaluates.
 */

import { allContainers, podSpecOf, REDACTED, SECRET_ENV_NAME } from '../../checks/lib/workloads.ts';
import type { Inventory, Resource } from '../../checks/types.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A copy of a Kubernetes object with secrets removed; the object itself when nothing changes.
 * `kind` defaults to the object's own `kind`.
 *
 * @example redactObject(pod.data) // env API_KEY value → '[REDACTED]'
 */
export function redactObject<T>(data: T, kind?: string): T {
  return redact(data, kind, true);
}

/**
 * The same, done in place: for an object the caller owns and nothing else shares (a collector's
 * freshly parsed page), so that no copy is made. Returns the object.
 *
 * @example for (const item of page.items) redactOwned(item, 'Pod');
 */
export function redactOwned<T>(data: T, kind?: string): T {
  return redact(data, kind, false);
}

function redact<T>(data: T, kind: string | undefined, copy: boolean): T {
  const obj = data as Record<string, unknown> | null;
  if (!obj || typeof obj !== 'object') return data;
  const meta = obj.metadata as Record<string, unknown> | undefined;
  const annotations = meta?.annotations as Record<string, unknown> | undefined;
  const spec = podSpecOf(obj, kind);
  const needsMeta =
    meta !== undefined &&
    ('managedFields' in meta || (annotations !== undefined && LAST_APPLIED in annotations));
  const needsEnv = allContainers(spec).some(
    ({ container }) => Array.isArray(container.env) && container.env.some(isSecretLiteral),
  );
  if (!needsMeta && !needsEnv) return data;
  const out = copy ? structuredClone(obj) : obj;
  if (needsMeta) {
    const m = out.metadata as Record<string, unknown>;
    delete m.managedFields;
    const a = m.annotations as Record<string, unknown> | undefined;
    if (a) delete a[LAST_APPLIED];
  }
  if (needsEnv) {
    for (const { container } of allContainers(podSpecOf(out, kind))) {
      if (!Array.isArray(container.env)) continue;
      for (const entry of container.env) if (isSecretLiteral(entry)) entry.value = REDACTED;
    }
  }
  return out as T;
}

function isSecretLiteral(entry: unknown): entry is { name: string; value: string } {
  const e = entry as { name?: unknown; value?: unknown } | null;
  return (
    !!e &&
    typeof e.name === 'string' &&
    SECRET_ENV_NAME.test(e.name) &&
    typeof e.value === 'string' &&
    e.value.length > 0 &&
    e.value !== REDACTED
  );
}

/**
 * The inventory with every Kubernetes object redacted; unchanged resources are shared, not copied.
 *
 * @example const safe = redactInventory(inventory); writeFile('inventory.json', JSON.stringify(safe));
 */
export function redactInventory(inventory: Inventory): Inventory {
  let changed = false;
  const resources = inventory.resources.map((r): Resource => {
    if (r.provider !== 'kubernetes') return r;
    const data = redactObject(r.data, r.type.slice('kubernetes.'.length));
    if (data === r.data) return r;
    changed = true;
    return { ...r, data };
  });
  return changed ? { ...inventory, resources } : inventory;
}
