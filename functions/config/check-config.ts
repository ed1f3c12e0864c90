/**
 * The `checks` section of a config file: extra system namespaces and per-check options, each
 * check's section validated by that check's own schema.
 *
 * ```yaml
 * checks:
 *   systemNamespaces: [istio-system]        # added to kube-system, kube-public, kube-node-lease
 *   options:
 *     eks-supported-version: { minimumVersion: "1.31" }
 *     k8s-workload-trusted-registries: { allowlist: ["*.dkr.ecr.*.amazonaws.com"] }
 * ```
 */
import * as z from 'zod';
import { ALL_CHECKS } from '../../checks/registry.ts';
import type { CheckConfig } from '../engine/evaluate.ts';
import { loadFile } from '../inventory/load.ts';

const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name');

/**
 * The schema of the `checks` section, built from the registry: each check's own options schema.
 *
 * @example checkConfigSchema().parse({ options: { 'azure-rbac-owners-limited': { maxOwners: 2 } } })
 */
export function checkConfigSchema(): z.ZodType<CheckConfig> {
  const options: Record<string, z.ZodType> = {};
  for (const check of ALL_CHECKS) {
    if (check.options) options[check.meta.id] = check.options.optional();
  }
  return z
    .object({
      systemNamespaces: z.array(k8sName).optional(),
      options: z
        .object(options)
        .strict()
        .optional()
        .describe('per check id; only checks with options can be configured'),
    })
    .strict() as unknown as z.ZodType<CheckConfig>;
}

/**
 * A config file as `evaluate` reads it (`scan` extends it with targets in a later issue).
 *
 * @example validate(configSchema(), parseYaml(text), 'pci-posture.yaml')
 */
export function configSchema(): z.ZodType<{ checks?: CheckConfig }> {
  return z.object({ checks: checkConfigSchema().optional() }).strict() as unknown as z.ZodType<{
    checks?: CheckConfig;
  }>;
}

/**
 * Reads a YAML or JSON config file; errors name the file, the path in it and the problem.
 *
 * @example const { checks } = loadConfig('pci-posture.yaml');
 */
export function loadConfig(file: string): { checks?: CheckConfig } {
  return loadFile(configSchema(), file);
}
