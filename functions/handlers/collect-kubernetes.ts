/**
 * The Kubernetes `collect` function: reads the Kubernetes APIs of the clusters a cloud unit found
 * (a {@link ClustersEvent}: the unit's shard key) into `runs/<runKey>/kubernetes/<index>.json`, or
 * one cluster listed directly in the config (a scan unit of its own). Its bundle carries
 * `@kubernetes/client-node` and what each cloud's tokens are made with.
 */

import { kubernetesCollectorFrom } from '../collect/kubernetes/from-config.ts';
import { lazy } from '../lazy.ts';
import type { ClustersEvent } from '../pipeline/contract.ts';
import { createCollectHandler } from './collect.ts';
import { collectingDeps } from './collecting-deps.ts';
import { observability } from './observability.ts';

const obs = observability('collect-kubernetes');

/** The Lambda entry point (a {@link ClustersEvent} or a direct cluster's unit). */
export const handler = createCollectHandler(
  lazy(() =>
    collectingDeps(process.env, obs, (config, clients) =>
      [kubernetesCollectorFrom(config, clients)].filter((c) => c !== undefined),
    ),
  ),
  obs,
);
