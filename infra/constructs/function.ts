import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface TandemFunctionProps {
  stage: string;
  config: StageConfig;
  /** Short name: the function is `tandem-<stage>-<name>`, its entry `functions/<name>.ts`. */
  name: string;
  /** The entry `functions/<entry>.ts` when it is not named after the function (one entry serving several). */
  entry?: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  /** Files the function reads at run time, copied beside its bundle: name in the bundle → source path. */
  bundledFiles?: Record<string, string>;
  /** From the stage's `concurrency` (stage-config.ts says why every function reserves some). */
  reservedConcurrency: number;
}

/** The CloudWatch namespace of the functions' own metrics (Powertools Metrics, EMF). */
export const metricsNamespace = (stage: string) => `Tandem/${stage}`;

/** The Powertools service name of a function, also a dimension of each of its metrics. */
export const serviceName = (name: string) => `tandem-${name}`;

/**
 * esbuild options of every function (the repository's own esbuild, no Docker), exported so that
 * `npm run bench:bundles` measures exactly what is deployed.
 */
export const functionBundling = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require(); ESM output has none unless we make one.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  externalModules: ['@aws-sdk/*'],
  forceDockerBundling: false,
  logLevel: LogLevel.WARNING,
} satisfies BundlingOptions;

/**
 * A Lambda entry point from `functions/`, bundled by the repository's own esbuild (no Docker)
 * into one minified ESM file. Workspace packages resolve through their `exports` to TypeScript
 * sources; the AWS SDK stays external because the Node.js runtime ships it.
 */
export function tandemFunction(scope: Construct, id: string, props: TandemFunctionProps): NodejsFunction {
  const functionName = `tandem-${props.stage}-${props.name}`;
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: props.config.logRetentionDays,
    removalPolicy: props.config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const fn = new NodejsFunction(scope, id, {
    functionName,
    entry: `${repositoryRoot}functions/${props.entry ?? props.name}.ts`,
    projectRoot: repositoryRoot,
    depsLockFilePath: `${repositoryRoot}package-lock.json`,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrency,
    logGroup,
    tracing: props.config.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
    environment: {
      ...props.environment,
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: serviceName(props.name),
      POWERTOOLS_LOG_LEVEL: props.config.logLevel,
      // Metrics go out as EMF log lines, which CloudWatch turns into metrics: no PutMetricData call.
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage),
      // The Tracer captures the SDK clients only where the stage traces (X-Ray costs per trace).
      POWERTOOLS_TRACE_ENABLED: String(props.config.tracing),
    },
    bundling: props.bundledFiles
      ? {
          ...functionBundling,
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_input: string, output: string) =>
              Object.entries(props.bundledFiles ?? {}).map(
                ([name, source]) => `cp "${source}" "${join(output, name)}"`,
              ),
          },
        }
      : functionBundling,
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.',
  });
  if (props.config.tracing)
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray trace segments and telemetry have no resource-level permissions; the statement is only those.',
    });
  return fn;
}
