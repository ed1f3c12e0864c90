/**
 * The AWS `collect` function: reads one account (one scan unit) and stages its inventory shard.
 * Its bundle carries only the AWS SDK clients the AWS collector uses.
 */
import { awsCollectorFrom } from '../collect/aws/from-config.ts';
import { lazy } from '../lazy.ts';
import { createCollectHandler } from './collect.ts';
import { collectingDeps } from './collecting-deps.ts';
import { observability } from './observability.ts';

const obs = observability('collect-aws');

/** The Lambda entry point. */
export const handler = createCollectHandler(
  lazy(() =>
    collectingDeps(process.env, obs, (config, clients) =>
      [awsCollectorFrom(config, clients)].filter((c) => c !== undefined),
    ),
  ),
  obs,
);
