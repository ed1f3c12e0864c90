/**
 * The GCP collector. `planGcp` turns the config's targets into scan units, one per project: the
 * listed projects as they are, or every ACTIVE project anywhere under a folder or the
 * organization (Resource Manager v3 `projects.list` and `folders.list`, following sub-folders
 * to any depth: `parent` matches direct children only). `collectGcpUnit` reads one project: its
 * GKE clusters and its IAM policy, at the same time.
 *
 * Units are plain JSON so that a Step Functions Map can hand them to another function.
 */
import type { CollectionError } from '../../../checks/types.ts';
import type { GcpTargets } from '../../config/scan-config.ts';
import type { Collector, Plan } from '../collector.ts';
import { GCP_TYPES } from '../resource-types.ts';
import { type Collected, type CollectRuntime, collectionError, readPages } from '../runtime.ts';
import type { GcpClient, GcpClientFactory } from './clients.ts';
import { collectGke } from './gke.ts';
import { collectProjectIamPolicy } from './iam.ts';

export { GCP_TYPES };

/** One GCP project to read. */
export interface GcpScanUnit {
  provider: 'gcp';
  project: string;
}

/** The operation names of discovery (the API's method ids). */
export const LIST_PROJECTS = 'cloudresourcemanager.projects.list';
export const LIST_FOLDERS = 'cloudresourcemanager.folders.list';
/** The operation name of getting an access token (federation exchange or signed JWT). */
export const ACCESS_TOKEN = 'auth.accessToken';

/** Folder levels followed at most (GCP allows 10 below the organization). */
const MAX_FOLDER_DEPTH = 20;

/**
 * The projects to scan, as units. Listed projects need no call. Under a folder or organization,
 * every ACTIVE project is found; if a listing or the credentials fail, or the listings find no
 * ACTIVE project at all, the plan says so in `errors` (every GCP type, unscoped: nothing GCP can
 * PASS) and keeps the projects it found.
 *
 * @example const plan = await planGcp(rt, clients, config.gcp);
 */
export async function planGcp(
  rt: CollectRuntime,
  clients: GcpClientFactory,
  targets: GcpTargets,
): Promise<Plan<GcpScanUnit>> {
  const unitsOf = (projects: Iterable<string>): GcpScanUnit[] =>
    [...new Set(projects)].sort().map((project) => ({ provider: 'gcp', project }));
  const { projects } = targets;
  if (Array.isArray(projects)) return { units: unitsOf(projects), errors: [] };
  const root = 'folder' in projects ? projects.folder : projects.organization;
  const errors: CollectionError[] = [];
  let client: GcpClient;
  try {
    client = await clients.client();
    await rt.call(ACCESS_TOKEN, (signal) => client.authorize(signal));
  } catch (err) {
    errors.push(collectionError('gcp', {}, GCP_TYPES, ACCESS_TOKEN, err));
    return { units: [], errors };
  }
  const found = await discoverProjects(rt, client, root, errors);
  if (found.length === 0 && errors.length === 0) {
    // Listings that succeed but find nothing: most likely roles/browser is missing (the
    // listings answer only what the identity may see) or the id is wrong. Silence would make
    // an empty scan look complete.
    errors.push(
      collectionError(
        'gcp',
        {},
        GCP_TYPES,
        LIST_PROJECTS,
        new Error(
          `${LIST_PROJECTS} found no ACTIVE project under ${root}: grant the identity roles/browser on ${root}, or check the id`,
        ),
      ),
    );
  }
  return { units: unitsOf(found), errors };
}

/**
 * Every ACTIVE project under `root` (`folders/N` or `organizations/N`), sub-folders included, one
 * folder level at a time. A listing that fails is an unscoped error in `errors`; what was found
 * is still returned.
 *
 * @example const ids = await discoverProjects(rt, client, 'folders/123', errors);
 */
export async function discoverProjects(
  rt: CollectRuntime,
  client: GcpClient,
  root: string,
  errors: CollectionError[],
): Promise<string[]> {
  const out: Collected = { resources: [], errors };
  const projects: string[] = [];
  const seen = new Set<string>([root]);
  let level = [root];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_FOLDER_DEPTH) {
      errors.push(
        collectionError(
          'gcp',
          {},
          GCP_TYPES,
          LIST_FOLDERS,
          new Error(`folders nest deeper than ${MAX_FOLDER_DEPTH} levels under ${root}`),
        ),
      );
      break;
    }
    const next: string[] = [];
    await Promise.all(
      level.map(async (parent) => {
        const [found, folders] = await Promise.all([
          listChildren(rt, client, out, LIST_PROJECTS, '/v3/projects', parent, 'projects'),
          listChildren(rt, client, out, LIST_FOLDERS, '/v3/folders', parent, 'folders'),
        ]);
        for (const p of found) {
          if (p.state === 'ACTIVE' && typeof p.projectId === 'string') projects.push(p.projectId);
        }
        for (const f of folders) {
          // Folders pending deletion hold no live projects; only ACTIVE ones are followed.
          if (f.state !== 'ACTIVE' || typeof f.name !== 'string' || seen.has(f.name)) continue;
          seen.add(f.name);
          next.push(f.name);
        }
      }),
    );
    level = next;
  }
  return projects;
}

/** One paged listing of a container's direct children; failures are recorded, not thrown. */
async function listChildren(
  rt: CollectRuntime,
  client: GcpClient,
  out: Collected,
  operation: string,
  path: string,
  parent: string,
  key: 'projects' | 'folders',
): Promise<{ state?: unknown; projectId?: unknown; name?: unknown }[]> {
  const items = await readPages(
    rt,
    out,
    { provider: 'gcp', scope: {}, types: GCP_TYPES, operation },
    (pageToken, signal) =>
      client.json(
        { api: 'resourceManager', method: 'GET', path, query: { parent, pageToken } },
        signal,
      ),
    (page) => {
      const p = page as Record<string, unknown>;
      const token = p.nextPageToken;
      return [
        p[key] as { state?: unknown }[] | undefined,
        typeof token === 'string' ? token : undefined,
      ] as const;
    },
  );
  return (items ?? []).filter((i) => i && typeof i === 'object');
}

/**
 * Reads one project: GKE and the IAM policy, at the same time. Credentials that cannot be made
 * or give no token make every GCP type of the project an error; other failures are as narrow as
 * the call that failed.
 *
 * @example const { resources, errors } = await collectGcpUnit(rt, clients, { provider: 'gcp', project: 'shop-prod' });
 */
export async function collectGcpUnit(
  rt: CollectRuntime,
  clients: GcpClientFactory,
  unit: GcpScanUnit,
): Promise<Collected> {
  const out: Collected = { resources: [], errors: [] };
  const { project } = unit;
  let client: GcpClient;
  try {
    client = await clients.client();
    await rt.call(ACCESS_TOKEN, (signal) => client.authorize(signal));
  } catch (err) {
    out.errors.push(collectionError('gcp', { project }, GCP_TYPES, ACCESS_TOKEN, err));
    return out;
  }
  await Promise.all([
    collectGke(rt, client, project, out),
    collectProjectIamPolicy(rt, client, project, out),
  ]);
  return out;
}

/**
 * The GCP collector behind the shared {@link Collector} interface.
 *
 * @example const gcp = gcpCollector(config.gcp, gcpClientFactory(config.gcp, settings, { readSecret }));
 */
export function gcpCollector(
  targets: GcpTargets,
  clients: GcpClientFactory,
): Collector<GcpScanUnit> {
  return {
    provider: 'gcp',
    plan: (rt) => planGcp(rt, clients, targets),
    collect: (rt, unit) => collectGcpUnit(rt, clients, unit),
    label: (unit) => `gcp ${unit.project}`,
    types: GCP_TYPES,
    scope: (unit) => ({ project: unit.project }),
  };
}
