/**
 * GKE in one project: one `projects.locations.clusters.list` over every location (`locations/-`),
 * through `@google-cloud/container`, which answers every cluster with its node pools inside. The
 * API has no paging. Zones it could not reach come back as `missingZones`: the clusters there are
 * unknown, so each is an error for that location.
 *
 * Stored data: each cluster as the REST JSON (proto3 JSON: lowerCamelCase, defaults omitted,
 * enums by name, int64 as strings, timestamps as RFC 3339 strings), rebuilt from the library's
 * decoded message by {@link toRestJson}. The trade-off of using the library: a field the
 * library's protos (7.2.0) do not know yet is dropped in its decoding, so it is not stored
 * either, until the library is updated. The checks read only long-standing fields.
 *
 * A project whose Kubernetes Engine API is disabled has no cluster: the listing's 403
 * `SERVICE_DISABLED` (ErrorInfo `metadata.service` `container.googleapis.com`) for this very
 * project (`metadata.consumer`) is zero clusters, not an error. The consumer is named by number,
 * so the project's number is read (`projects.get`) in that case only; a disabled API of another
 * project (a quota project mixed up) or a number that cannot be read stays an error.
 */
import type { Resource } from '../../../checks/types.ts';
import { attempt, type Collected, type CollectRuntime, collectionError } from '../runtime.ts';
import { type GcpClient, GoogleApiError, MalformedResponse } from './clients.ts';

/** The GKE resource type. */
export const GCP_GKE_TYPES = ['gcp.gke.cluster'] as const;

/** The operation name of the cluster listing (the API's method id). */
export const LIST_CLUSTERS = 'container.projects.locations.clusters.list';

/** The operation name of the project read that learns a project's number (the API's method id). */
export const GET_PROJECT = 'cloudresourcemanager.projects.get';

/** The service name of the Kubernetes Engine API, as a disabled-API error names it. */
const CONTAINER_SERVICE = 'container.googleapis.com';

/**
 * The full resource name of a cluster (CONTRACTS §1).
 *
 * @example clusterId('shop-prod', 'europe-west2', 'payments') // '//container.googleapis.com/projects/shop-prod/locations/europe-west2/clusters/payments'
 */
export function clusterId(project: string, location: string, name: string): string {
  return `//container.googleapis.com/projects/${project}/locations/${location}/clusters/${name}`;
}

/**
 * Reads one project's GKE clusters into `out`, each as the REST JSON the API answered. A failed
 * listing is an error for the project; a zone the API could not reach, for that zone.
 *
 * @example await collectGke(rt, client, 'shop-prod', out);
 */
export async function collectGke(
  rt: CollectRuntime,
  client: GcpClient,
  project: string,
  out: Collected,
): Promise<void> {
  const on = {
    provider: 'gcp' as const,
    scope: { project },
    types: GCP_GKE_TYPES,
    operation: LIST_CLUSTERS,
  };
  await attempt(
    out,
    async () => {
      let page: Awaited<ReturnType<GcpClient['listClusters']>>;
      try {
        page = await rt.call(LIST_CLUSTERS, (signal) => client.listClusters(project, signal));
      } catch (err) {
        // No cluster can exist where the API is off.
        if (await apiDisabledHere(rt, client, project, err)) return;
        throw err;
      }
      const { clusters, missingZones } = page ?? {};
      if (
        (clusters != null && !Array.isArray(clusters)) ||
        (missingZones != null && !Array.isArray(missingZones))
      ) {
        throw new MalformedResponse(
          `${LIST_CLUSTERS} answered clusters or missingZones that are not lists`,
        );
      }
      // The GKE protos (large) load with the first answer, not at init.
      const { loadContainerDescriptors, protoMessage, toRestJson } = await import(
        './proto-json.ts'
      );
      await loadContainerDescriptors();
      const cluster = protoMessage('google.container.v1.Cluster');
      let unnamed = 0;
      for (const decoded of clusters ?? []) {
        const data = toRestJson(cluster, (decoded ?? {}) as Record<string, unknown>);
        const { name, location } = data;
        if (typeof name !== 'string' || !name || typeof location !== 'string' || !location) {
          unnamed++;
          continue;
        }
        out.resources.push({
          provider: 'gcp',
          type: 'gcp.gke.cluster',
          id: clusterId(project, location, name),
          scope: { project, location },
          data: data as Resource['data'],
        });
      }
      for (const zone of new Set(missingZones ?? [])) {
        out.errors.push(
          collectionError(
            'gcp',
            { project, location: String(zone) },
            GCP_GKE_TYPES,
            LIST_CLUSTERS,
            new MissingZone(
              `the GKE API could not reach ${String(zone)}: its clusters are unknown (missingZones)`,
            ),
          ),
        );
      }
      if (unnamed > 0) {
        // Clusters that cannot be named cannot be checked: none of the project's may PASS.
        throw new MalformedResponse(
          `${LIST_CLUSTERS} answered ${unnamed} cluster(s) without a name or location`,
        );
      }
    },
    on,
  );
}

/** A zone the cluster listing could not reach (`missingZones`). */
export class MissingZone extends Error {
  override readonly name = 'MissingZone';
}

/**
 * Whether `err` says the Kubernetes Engine API is disabled in `project` itself: a
 * `SERVICE_DISABLED` for `container.googleapis.com` whose consumer is `projects/<project>` or
 * the project's number (read with `projects.get`; if it cannot be read, the answer is no).
 */
async function apiDisabledHere(
  rt: CollectRuntime,
  client: GcpClient,
  project: string,
  err: unknown,
): Promise<boolean> {
  if (
    !(err instanceof GoogleApiError) ||
    err.reason !== 'SERVICE_DISABLED' ||
    err.service !== CONTAINER_SERVICE ||
    err.consumer === undefined
  ) {
    return false;
  }
  if (err.consumer === `projects/${project}`) return true;
  if (!/^projects\/\d+$/.test(err.consumer)) return false;
  try {
    const answer = await rt.call(GET_PROJECT, (signal) =>
      client.json(
        {
          api: 'resourceManager',
          method: 'GET',
          path: `/v3/projects/${encodeURIComponent(project)}`,
        },
        signal,
      ),
    );
    const { name, projectId } = answer as { name?: unknown; projectId?: unknown };
    return name === err.consumer && projectId === project;
  } catch {
    // The number is unknown: the listing's own error stands.
    return false;
  }
}
