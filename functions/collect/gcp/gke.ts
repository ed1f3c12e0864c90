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
 */
import type { Resource } from '../../../checks/types.ts';
import { attempt, type Collected, type CollectRuntime, collectionError } from '../runtime.ts';
import { type GcpClient, MalformedResponse } from './clients.ts';

/** The GKE resource type. */
export const GCP_GKE_TYPES = ['gcp.gke.cluster'] as const;

/** The operation name of the cluster listing (the API's method id). */
export const LIST_CLUSTERS = 'container.projects.locations.clusters.list';

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
      const page = await rt.call(LIST_CLUSTERS, (signal) => client.listClusters(project, signal));
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
      const { protoMessage, toRestJson } = await import('./proto-json.ts');
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
