/**
 * The Azure `collect` function: reads one subscription (one scan unit) and stages its
 * inventory shard. Its bundle carries only the Azure collector's clients.
 */
import { azureCollectorFrom } from '../collect/azure/from-config.ts';
import { lazy } from '../lazy.ts';
import { createCollectHandler } from './collect.ts';
import { collectingDeps } from './collecting-deps.ts';
import { observability } from './observability.ts';

const obs = observability('collect-azure');

/** The Lambda entry point. */
export const handler = createCollectHandler(
  lazy(() =>
    collectingDeps(process.env, obs, (config, clients) =>
      [azureCollectorFrom(config, clients)].filter((c) => c !== undefined),
    ),
  ),
  obs,
);
