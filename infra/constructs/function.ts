import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, type Duration, type ILocalBundling, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.ts';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const bundleScript = fileURLToPath(new URL('../bundle.ts', import.meta.url));

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
 * A Lambda entry point from `functions/`, bundled by infra/bundle.ts into minified ESM: the handler
 * module, the chunks it loads at init and the chunks only a dynamic import loads.
 */
export function tandemFunction(scope: Construct, id: string, props: TandemFunctionProps): LambdaFunction {
  const functionName = `tandem-${props.stage}-${props.name}`;
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: props.config.logRetentionDays,
    removalPolicy: props.config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const fn = new LambdaFunction(scope, id, {
    functionName,
    code: bundledCode(props.entry ?? props.name, props.bundledFiles ?? {}),
    // bundle.ts names the handler module index.mjs.
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrency,
    logGroup,
    tracing: props.config.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
    environment: {
      ...props.environment,
      // No NODE_OPTIONS=--enable-source-maps: Node would read and parse the maps of every module at
      // each cold start. The maps ship beside the bundle and functions/stack-traces.ts reads one when
      // a stack through its file is first read (infra/README.md, "Source maps").
      POWERTOOLS_SERVICE_NAME: serviceName(props.name),
      POWERTOOLS_LOG_LEVEL: props.config.logLevel,
      // Metrics go out as EMF log lines, which CloudWatch turns into metrics: no PutMetricData call.
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.stage),
      // The Tracer captures the SDK clients only where the stage traces (X-Ray costs per trace).
      POWERTOOLS_TRACE_ENABLED: String(props.config.tracing),
    },
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

/**
 * The function's asset, bundled on this machine by the repository's own esbuild (no Docker). The
 * asset hash is the output's, as NodejsFunction's is.
 */
function bundledCode(entry: string, files: Record<string, string>): Code {
  return Code.fromAsset(repositoryRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled, because local bundling either succeeds or throws.
      image: Runtime.NODEJS_24_X.bundlingImage,
      local: new LocalBundling(entry, files),
    },
  });
}

/**
 * CDK asks for the bundle synchronously and esbuild's plugins need its asynchronous API, so
 * bundle.ts runs as a child `node` (which strips its types). The fields are data on purpose: CDK
 * keys its cache of staged assets on the bundling options' JSON, and every function shares the
 * source directory, so without them all functions would get the first one's bundle.
 */
class LocalBundling implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly files: Record<string, string>,
  ) {}

  tryBundle(outputDir: string): boolean {
    const copies = Object.entries(this.files).map(([name, source]) => `${name}=${source}`);
    const result = spawnSync(process.execPath, [bundleScript, this.entry, outputDir, ...copies], {
      cwd: repositoryRoot,
      stdio: 'inherit',
    });
    if (result.status !== 0)
      throw new Error(
        `Bundling functions/${this.entry}.ts failed (${result.error ?? `exit ${result.status}`})`,
      );
    return true;
  }
}
