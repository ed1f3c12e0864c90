/**
 * The inputs of a deployed run, checked before anything is collected: the scan configuration the
 * construct put in the environment, and an execution's run request (CONTRACTS: bad input gets a
 * clear error naming where it came from and what is wrong).
 */
import * as z from 'zod';
import { checkById } from '../../checks/registry.ts';
import { type ScanConfig, scanConfigSchema } from '../config/scan-config.ts';
import { InputError } from '../errors.ts';
import { validate } from '../inventory/load.ts';
import { ENV, type RunRequest } from './contract.ts';

/** An assessment's name: it becomes an archive prefix, `assessments/<name>/`. */
export const ASSESSMENT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

const runRequestSchema = z
  .object({
    // The Step Functions console fills new executions with a `Comment`; it is ignored.
    Comment: z.unknown().optional(),
    assessment: z
      .string()
      .regex(ASSESSMENT_NAME, 'must be lower-case letters, digits and dashes (at most 63)')
      .optional(),
    checks: z
      .array(
        z.string().refine((id) => !!checkById(id), 'is not a check id (see the README catalog)'),
      )
      .min(1)
      .optional(),
    accounts: z
      .array(z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'))
      .min(1)
      .optional(),
    projects: z
      .array(z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a GCP project id'))
      .min(1)
      .optional(),
    subscriptions: z
      .array(
        z
          .string()
          .regex(
            /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
            'must be an Azure subscription id (a GUID)',
          ),
      )
      .min(1)
      .optional(),
  })
  .strict()
  .refine(
    (r) => !(r.checks || r.accounts || r.projects || r.subscriptions) || r.assessment,
    'a run over some checks, accounts, projects or subscriptions needs an "assessment" name: its runs go to their own archive, assessments/<name>/, so the nightly chain stays whole',
  );

/**
 * The run request of an execution (`{}` for the nightly schedule).
 *
 * @example parseRunRequest({ assessment: 'q4-audit', checks: ['eks-endpoint-not-public'] })
 */
export function parseRunRequest(value: unknown): RunRequest {
  const { Comment: _, ...request } = validate(
    runRequestSchema,
    value ?? {},
    'the execution input (run request)',
  );
  return request;
}

/**
 * The archive a request's run belongs to, under the archive root: the root itself for a full run,
 * `assessments/<name>` for an assessment.
 *
 * @example archivePrefix({ assessment: 'q4-audit' }) // 'assessments/q4-audit'
 */
export function archivePrefix(request: RunRequest): string {
  return request.assessment ? `assessments/${request.assessment}` : '';
}

/**
 * The scan configuration from the function's environment (the construct validated it at synth;
 * this catches a hand-edited variable).
 *
 * @example const config = configFromEnv(process.env);
 */
export function configFromEnv(env: NodeJS.ProcessEnv): ScanConfig {
  const where = `the environment variable ${ENV.config}`;
  const text = env[ENV.config];
  if (!text)
    throw new InputError(where, '', 'is not set: the construct sets it from its config prop');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(where, '', `is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return validate(scanConfigSchema(), value, where);
}

/**
 * A required environment variable.
 *
 * @example const bucket = requiredEnv(process.env, ENV.stagingBucket);
 */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new InputError(`the environment variable ${name}`, '', 'is not set');
  return value;
}
