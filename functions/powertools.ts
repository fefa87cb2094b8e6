import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Observers } from './observers.ts';
import { mapStackTracesOnDemand } from './stack-traces.ts';

// Every function imports this module: their error stacks name the TypeScript sources (stack-traces.ts).
mapStackTracesOnDemand();

/**
 * One Logger, Metrics and Tracer per function. Service name, metrics namespace, log level and
 * whether to trace come from the POWERTOOLS_* variables the stack sets (infra/constructs/function.ts),
 * so the code is the same in every stage.
 */
export const logger = new Logger();
/** Made by the first metric, so that a function that emits none (the authorizer) bundles no Metrics. */
let metrics: Metrics | undefined;
/**
 * The Tracer is loaded only where the stage traces: it and the X-Ray SDK under it are about half
 * of a small function's code, so bundle.ts makes this dynamic import a chunk of its own that a
 * function in a stage without tracing never reads or compiles.
 */
const tracer =
  process.env.POWERTOOLS_TRACE_ENABLED === 'true'
    ? new (await import('@aws-lambda-powertools/tracer')).Tracer()
    : undefined;

/** X-Ray subsegments for every call of an AWS SDK client; the client unchanged where the stage does not trace. */
export const traced = <Client>(client: Client): Client => tracer?.captureAWSv3Client(client) ?? client;

/**
 * Each metric is its own EMF line with its own dimensions (a single metric), flushed at once: a
 * function counts outcomes of several records per invocation, each with other dimensions.
 */
function emit(
  name: string,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
  dimensions: Record<string, string>,
) {
  metrics ??= new Metrics();
  const single = metrics.singleMetric();
  single.addDimensions(dimensions);
  single.addMetric(name, unit, value);
}

export const observers: Observers = {
  logger,
  metrics: {
    count: (name, dimensions) => emit(name, MetricUnit.Count, 1, dimensions),
    milliseconds: (name, value, dimensions) => emit(name, MetricUnit.Milliseconds, value, dimensions),
  },
};
