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

/**
 * Makes `make()` once, on first use: clients and config are read on the first invocation, so
 * that importing a handler (tests, the init-time bench) reads no environment.
 *
 * @example const deps = lazy(() => ({ s3: new S3Client({}) }));
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/**
 * The text of an error for a log line: its name and message only (SDK errors carry the
 * service's code and message, never credentials; no stack, no request).
 *
 * @example logger.error('plan failed', { error: errorLine(err) });
 */
export function errorLine(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
