/**
 * Test data for the GKE checks: the cartography ListClusters fixture, a `gcp.gke.cluster`
 * envelope for a Cluster, and the two forms GKE data arrives in (proto3 JSON and the Node
 * client's decoded objects), so every table row runs in both.
 */
import type { Resource } from '../../../checks/types.ts';
import { fixture } from '../../fixtures/load.ts';
import { overlay, resource } from '../harness.ts';

/** The project the test clusters live in (the fixture's own, from its `selfLink`). */
export const PROJECT = 'test-cluster';

/** The fixture's cluster name, which every finding message must contain. */
export const CLUSTER_NAME = 'test-cluster';

/**
 * The first cluster of the sanitised ListClusters response (a fresh copy each call).
 *
 * @example baseCluster().name // 'test-cluster'
 */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are untyped provider JSON
export function baseCluster(): any {
  return fixture('gcp/container/v1/examples/cartography_gke_list_clusters.json').clusters[0];
}

/**
 * A `gcp.gke.cluster` resource for `data`, with the id and scope CONTRACTS §1 gives
 * (`//container.googleapis.com/projects/P/locations/L/clusters/C`, scope `{project, location}`).
 * `data` goes through JSON, as the inventory file would: keys set to `undefined` disappear.
 *
 * @example gkeCluster({ name: 'pay', location: 'europe-west2' }).id
 * // '//container.googleapis.com/projects/test-cluster/locations/europe-west2/clusters/pay'
 */
export function gkeCluster(data: Record<string, unknown>, project = PROJECT): Resource {
  const name = String(data.name);
  const location = String(data.location);
  return resource(
    'gcp',
    'gcp.gke.cluster',
    `//container.googleapis.com/projects/${project}/locations/${location}/clusters/${name}`,
    { project, location },
    JSON.parse(JSON.stringify(data)),
  );
}

/** True for proto3 default values: `false`, `''`, `0`, `[]`, `null`, and zero enum names. */
function isProto3Default(v: unknown): boolean {
  return (
    v === null ||
    v === false ||
    v === '' ||
    v === 0 ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'string' && /^(?:[A-Z0-9_]*_)?UNSPECIFIED$|^UNKNOWN$/.test(v))
  );
}

/**
 * A Node-client-form patch as proto3 JSON has it: defaults (false, `''`, `[]`, `null`, enum
 * zero values such as `UNSPECIFIED`) become `undefined`, which `overlay` deletes. Messages stay,
 * even when all their fields were defaults (`{ enabled: false }` becomes `{}`): a set message
 * is present in proto3 JSON.
 *
 * @example proto3Json({ legacyAbac: { enabled: false }, releaseChannel: null })
 * // { legacyAbac: { enabled: undefined }, releaseChannel: undefined }
 */
export function proto3Json(patch: unknown): unknown {
  if (isProto3Default(patch)) return undefined;
  if (Array.isArray(patch)) return patch.map(proto3Json);
  if (typeof patch === 'object' && patch !== null) {
    return Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, proto3Json(v)]));
  }
  return patch;
}

/** A form GKE data comes in, and how a Node-client-form patch looks in it. */
export type GkeForm = readonly [name: string, toForm: (patch: unknown) => unknown];

/**
 * The two forms every GKE table runs in. Rows are written in the Node client form (explicit
 * `false`, `''`, `[]`, `null`, `UNSPECIFIED`); the proto3 JSON form leaves those out.
 *
 * @example describe.each(FORMS)('%s', (_form, toForm) => { ... overlay(base, toForm(patch)) ... })
 */
export const FORMS: readonly GkeForm[] = [
  ['proto3-json', proto3Json],
  ['node-client', (patch) => patch],
];

/** What a table row expects. */
export type Expected = 'PASS' | 'FAIL';

/** A table row: its name by outcome, a Node-client-form patch of the fixture cluster, the verdict. */
export type Row = readonly [name: string, patch: Record<string, unknown>, expected: Expected];

/**
 * The fixture cluster with `patch` (in the given form) laid over it, as a resource.
 *
 * @example patched(FORMS[0][1], { shieldedNodes: { enabled: true } })
 */
export function patched(
  toForm: GkeForm[1],
  patch: Record<string, unknown>,
  base: Record<string, unknown> = baseCluster(),
): Resource {
  return gkeCluster(overlay(base, toForm(patch)));
}

/**
 * A node pool: the fixture's pool renamed, with `patch` (Node client form) laid over it.
 *
 * @example pool('payments', { management: { autoUpgrade: true } })
 */
export function pool(name: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return overlay(baseCluster().nodePools[0], { ...patch, name });
}
