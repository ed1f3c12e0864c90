/**
 * Powertools for AWS Lambda, shared by the handlers: a structured logger (never given events
 * whole, configs or credentials: only run keys, unit labels, counts and error texts), metrics in
 * the `PciPosture` namespace (the construct's alarms watch them) and X-Ray tracing of the SDK
 * clients.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS } from '../pipeline/contract.ts';

export { MetricUnit };

/** What a handler reports through. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

/**
 * The logger, metrics and tracer of one function.
 *
 * @example const { logger, metrics, tracer } = observability('report');
 */
export function observability(fn: string): Observability {
  return {
    logger: new Logger({ serviceName: METRICS.service, persistentKeys: { fn } }),
    metrics: new Metrics({ namespace: METRICS.namespace, serviceName: METRICS.service }),
    tracer: new Tracer({ serviceName: METRICS.service }),
  };
}

/** Shapes of secrets that must never reach a log line, whatever message carried them. */
const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[REDACTED PRIVATE KEY]',
  ],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '[REDACTED ACCESS KEY ID]'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi, 'Bearer [REDACTED]'],
  [/\bk8s-aws-v1\.[A-Za-z0-9_-]+/g, 'k8s-aws-v1.[REDACTED]'],
  [
    /\b(secret|password|passwd|token|session[_-]?token|client[_-]?secret|api[_-]?key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    '$1$2[REDACTED]',
  ],
];

/**
 * A text with every known secret shape replaced: access key ids, bearer and EKS tokens, private
 * keys, and `secret=...`-style assignments.
 *
 * @example redactText('token=abc123 for AKIAIOSFODNN7EXAMPLE') // 'token=[REDACTED] for [REDACTED ACCESS KEY ID]'
 */
export function redactText(text: string): string {
  return SECRET_SHAPES.reduce((t, [shape, by]) => t.replace(shape, by), text);
}

/**
 * The text of an error for a log line: its name and message only (no stack, no request), with
 * secret shapes redacted ({@link redactText}).
 *
 * @example logger.error('plan failed', { error: errorLine(err) });
 */
export function errorLine(err: unknown): string {
  return redactText(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}
