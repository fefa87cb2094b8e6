import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Observers } from './observers.ts';

/**
 * One Logger, Metrics and Tracer per function. Service name, metrics namespace, log level and
 * whether to trace come from the POWERTOOLS_* variables the stack sets (infra/constructs/function.ts),
 * so the code is the same in every stage.
 */
export const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();

/** X-Ray subsegments for every call of an AWS SDK client; the client unchanged where the stage does not trace. */
export const traced = <Client>(client: Client): Client => tracer.captureAWSv3Client(client);

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
