/**
 * The GCP `collect` function: reads one project (one scan unit) and stages its
 * inventory shard. Its bundle carries only the GCP collector's clients.
 */
import { gcpCollectorFrom } from '../collect/gcp/from-config.ts';
import { lazy } from '../lazy.ts';
import { createCollectHandler } from './collect.ts';
import { collectingDeps } from './collecting-deps.ts';
import { observability } from './observability.ts';

const obs = observability('collect-gcp');

/** The Lambda entry point. */
export const handler = createCollectHandler(
  lazy(() =>
    collectingDeps(process.env, obs, (config, clients) =>
      [gcpCollectorFrom(config, clients)].filter((c) => c !== undefined),
    ),
  ),
  obs,
);
