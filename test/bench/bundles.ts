/**
 * npm run bench:bundles [-- --runs 15] [-- --baseline .bench/before]
 *
 * Bundles every Lambda entry of functions/ exactly as the stack deploys it (infra/bundle.ts),
 * prints what a cold start loads (the handler module and the chunks it imports statically; chunks
 * behind a dynamic import, such as the Tracer, are counted apart) and the module init of N fresh
 * `node` processes importing it: the time from `import()` to the module's top-level awaits
 * settling, which is what Lambda bills as init, as wall time and as the process's CPU time. The
 * AWS SDK is external, as in Lambda, and loads from node_modules; node runs without flags by
 * default (the stack sets no NODE_OPTIONS; it reads source maps only when a stack is read:
 * functions/stack-traces.ts), but see --lambda-flags. The
 * secret a function reads at init is answered by a loopback stub of Secrets Manager, so the
 * figure leaves out only the network round trip; the figures less the secret fetch subtract it only
 * from a bundle that loads Secrets Manager at init (the relay and the delivery read none). The
 * `sdk only` row times the SDK clients the function loads at init (and the secret fetch, where it
 * makes one), without the bundle: the floor.
 * `first` is the same process's init plus one invocation of the handler with a request that
 * needs no AWS service (the table and queues are not there): what a cold start's first
 * invocation pays, so that work moved out of init into the first request shows up. The API's
 * first request is refused (no credentials); the `api (tenant)` row times the same bundle with one
 * that does work: a tenant admin lists programs, DynamoDB a loopback stub that answers every call
 * with an empty result, so the use case and the repositories it calls load too. That row runs
 * without the tenant role (its STS client would call out), so its init is not the `api` row's.
 * `first KB` is what that first invocation has loaded of the bundle by its end: the init files
 * and the chunks it loaded on first use (the API's route group, zod and the OpenAPI extension with it).
 *
 * --baseline <dir> times an earlier set of bundles (a copy of .bench/bundles made before a change)
 * in the same runs, interleaved with the current one, and prints the ratios: on a shared machine
 * only figures taken side by side compare. --baseline-node-options "<flags>" runs the baseline's
 * processes with those node flags (`--enable-source-maps`, as the stack ran every function before
 * 2026-12-03), so a change of flags compares too.
 *
 * --lambda-flags runs every process with the arguments Lambda's Node.js bootstrap gives node
 * (`--expose-gc --max-http-header-size 81920` and heap limits from the function's memory).
 * `--expose-gc` changes V8's flags, so Node cannot use the code cache of its own built-in modules
 * and compiles each one the SDK loads (`https`, `http2`, `crypto`...) at init: Lambda's init costs
 * more than the default run shows (docs/benchmarks.md, session 19). Off by default, so that the
 * figures compare with earlier runs.
 *
 * --sdk-bundled builds the current set with the AWS SDK bundled too (infra/bundle.ts's `bundleSdk`),
 * which the stack does not deploy: against a copy of the deployed bundles as --baseline, it shows
 * what loading the runtime's SDK costs each init, beside the bundles' sizes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFunction, type FunctionBundle } from '../../infra/bundle.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that the external @aws-sdk/* resolve from its node_modules.
const outDir = join(root, '.bench', 'bundles');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;
const baselineArg = process.argv.indexOf('--baseline');
const baselineDir = baselineArg > 0 ? resolve(root, process.argv[baselineArg + 1]!) : undefined;
const baselineFlagsArg = process.argv.indexOf('--baseline-node-options');
const sdkBundled = process.argv.includes('--sdk-bundled');
const lambdaFlags = process.argv.includes('--lambda-flags');
/**
 * What the Node.js runtime's bootstrap passes node before its own script (as in the
 * public.ecr.aws/lambda/nodejs images' /var/runtime/bootstrap): a tenth of the memory for the young
 * generation, split over its two semi-spaces, the rest for the old one.
 */
const lambdaNodeArgs = (memoryMb: number) => [
  '--expose-gc',
  '--max-http-header-size',
  '81920',
  `--max-semi-space-size=${Math.floor(memoryMb / 10 / 2)}`,
  `--max-old-space-size=${memoryMb - Math.floor(memoryMb / 10)}`,
];
const nodeOptionsOf = (set: string, memoryMb: number) => [
  ...(lambdaFlags ? lambdaNodeArgs(memoryMb) : []),
  ...(set === 'baseline' && baselineFlagsArg > 0
    ? process.argv[baselineFlagsArg + 1]!.split(' ').filter(Boolean)
    : []),
];

/** The secret every stub answers with: the authorizer's operator key, so its first request needs no table. */
const STUB_SECRET = 'bench-secret-bench-secret-bench-secret';

/** API Gateway's event for `GET /v1/programs`, with the authorizer's verdict when one is given. */
const listPrograms = (authorizer?: Record<string, string>) => ({
  resource: '/{proxy+}',
  path: '/v1/programs',
  httpMethod: 'GET',
  headers: { host: 'bench.example' },
  multiValueHeaders: { host: ['bench.example'] },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: { proxy: 'v1/programs' },
  requestContext: {
    requestId: 'bench',
    stage: 'prod',
    path: '/prod/v1/programs',
    identity: {},
    ...(authorizer ? { authorizer } : {}),
  },
  body: null,
  isBase64Encoded: false,
});

/**
 * `memoryMb` as the stack configures the function (infra/constructs), for --lambda-flags. `bundle`:
 * another entry's bundle, timed again with this entry's environment and first event.
 */
const entries: {
  name: string;
  bundle?: string;
  memoryMb: number;
  env: Record<string, string>;
  firstEvent?: unknown;
}[] = [
  {
    name: 'authorizer',
    memoryMb: 512,
    env: {
      OPERATOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:op',
      AUTHORIZER_CACHE_SECONDS: '10',
      PLATFORM_USAGE_KEY: 'tandem-bench-platform-usage-key',
    },
    // The operator key: hashed, compared and allowed, the whole path but the table read.
    firstEvent: {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:1:api/prod/GET/v1/tenants',
      headers: { authorization: `Bearer ${STUB_SECRET}` },
      requestContext: { requestId: 'bench' },
    },
  },
  // A stream record that is no insert: the handler runs, relays nothing (relaying needs the table).
  {
    name: 'webhook-relay',
    memoryMb: 512,
    env: {},
    firstEvent: { Records: [{ eventName: 'REMOVE', dynamodb: {} }] },
  },
  { name: 'webhook-delivery', memoryMb: 512, env: {}, firstEvent: { Records: [] } },
  { name: 'matching-step', memoryMb: 3008, env: { MATCHING_STEP: 'solve', MATCHING_BUCKET: 'blobs' } },
  {
    name: 'api',
    memoryMb: 1024,
    // No credentials: the route group loads, the request is answered 401 (as last measured by hand).
    firstEvent: listPrograms(),
    env: {
      MATCHING_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:m',
      // Every stage isolates tenants in IAM (tenantScopedCredentials), so the API makes its STS client at init.
      TENANT_ROLE_ARN: 'arn:aws:iam::1:role/tenant-data',
      USAGE_PLAN_NAME_PREFIX: 'tandem-bench',
      HRIS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/hris.fifo',
      RECOGNITION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:r',
      CERTIFICATE_BUCKET: 'certificates',
    },
  },
  {
    // A first request that reads the table: a tenant admin (the authorizer's verdict, as API Gateway
    // passes it) lists programs, answered from the DynamoDB stub, so the route group's use case and
    // the repositories it calls load. No tenant role: the STS client would call out at first use.
    name: 'api (tenant)',
    bundle: 'api',
    memoryMb: 1024,
    firstEvent: listPrograms({ kind: 'tenant', tenantId: 'tnt_bench', keyId: 'key_bench', scopes: 'admin' }),
    env: {
      MATCHING_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:m',
      USAGE_PLAN_NAME_PREFIX: 'tandem-bench',
      HRIS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/hris.fifo',
      RECOGNITION_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:r',
      CERTIFICATE_BUCKET: 'certificates',
    },
  },
];
const bundleOf = (entry: (typeof entries)[number]) => entry.bundle ?? entry.name;

/** What `bundleFunction` reports, kept beside the bundle so that a copy can serve as a baseline. */
const MANIFEST = 'bundle.json';

async function bundle(name: string): Promise<string> {
  const dir = join(outDir, name);
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(
    join(dir, MANIFEST),
    JSON.stringify(await bundleFunction(name, dir, {}, { bundleSdk: sdkBundled })),
  );
  return dir;
}

const manifestOf = (dir: string): FunctionBundle => JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));

/**
 * Whether a bundle reads a secret at init: the Secrets Manager client is among what its init files
 * load, from the runtime or bundled (a baseline's manifest may predate `initSdk`).
 */
const fetchesSecret = (manifest: FunctionBundle) =>
  (manifest.initSdk ?? manifest.initExternals).includes('@aws-sdk/client-secrets-manager');

interface Sizes {
  initKb: number;
  lazyKb: number;
  /** KB of the bundle's files loaded by init and the first invocation (NaN without a first event). */
  firstKb: number;
}

/** KB a cold start loads, KB only dynamic imports load, and KB the first invocation has loaded by its end. */
function sizes(dir: string, firstFiles: string[] | undefined): Sizes {
  const { initFiles, lazyFiles } = manifestOf(dir);
  const kb = (files: string[]) => files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0) / 1024;
  return { initKb: kb(initFiles), lazyKb: kb(lazyFiles), firstKb: firstFiles ? kb(firstFiles) : Number.NaN };
}

/**
 * Which of the bundle's files a fresh process has loaded after init and the first invocation:
 * what a cold start's first request reads and compiles, where code is split into chunks that load
 * on first use (the API's route groups). Recorded by a module loader hook in a process of its own,
 * so that the hook costs none of the timed processes anything.
 */
const loadedFiles = `import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ load(url, context, nextLoad) { if (url.startsWith(process.env.BUNDLE_DIR)) loaded.add(url); return nextLoad(url, context); } });
const { handler } = await import(process.env.BUNDLE);
const context = { functionName: 'tandem-bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30000 };
await Promise.resolve(handler(JSON.parse(process.env.FIRST_EVENT), context)).catch(() => {});
process.stdout.write(JSON.stringify([...loaded].map((url) => url.slice(process.env.BUNDLE_DIR.length))));`;

function firstFilesOf(dir: string, entry: (typeof entries)[number]): Promise<string[] | undefined> {
  if (!entry.firstEvent) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', loadedFiles], {
      cwd: root,
      env: {
        ...process.env,
        ...common,
        ...entry.env,
        BUNDLE: pathToFileURL(join(dir, 'index.mjs')).href,
        BUNDLE_DIR: pathToFileURL(join(dir, '/')).href,
        FIRST_EVENT: JSON.stringify(entry.firstEvent),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    proc.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as string[])
        : reject(new Error(`child exited with ${code}`)),
    );
  });
}

/** Secrets Manager answers the stub secret; DynamoDB (the `api (tenant)` entry), an empty result to every call. */
function awsStub(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (String(req.headers['x-amz-target']).startsWith('DynamoDB_')) {
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        return res.end(JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }));
      }
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ SecretString: STUB_SECRET }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  );
}

/**
 * Each child reports the wall time and the CPU time its process spent (every thread). On a shared
 * machine the wall time also counts the waits for a core; the CPU time hardly moves with load.
 */
const measure = (body: string) => `const t = performance.now(); const c = process.cpuUsage();
${body}
const u = process.cpuUsage(c);
process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
/** The import as above, then (where FIRST_EVENT is set) one handler call: init, then init and first invocation. */
const importBundle = `const t = performance.now(); const c = process.cpuUsage();
const { handler } = await import(process.env.BUNDLE);
const u = process.cpuUsage(c);
const init = [performance.now() - t, (u.user + u.system) / 1000];
let first = [null, null];
if (process.env.FIRST_EVENT) {
  const context = { functionName: 'tandem-bench', functionVersion: '$LATEST', memoryLimitInMB: '1024',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:tandem-bench', awsRequestId: 'bench',
    getRemainingTimeInMillis: () => 30000 };
  // A refusal (the authorizer's 'Unauthorized') is an answer too.
  await Promise.resolve(handler(JSON.parse(process.env.FIRST_EVENT), context)).catch(() => {});
  const f = process.cpuUsage(c);
  first = [performance.now() - t, (f.user + f.system) / 1000];
}
process.stdout.write(JSON.stringify([...init, ...first]));`;
/** The secret fetch on its own (client already loaded), as each function does once at init. */
const fetchSecret = `const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
${measure("await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }));")}`;
/**
 * What no bundle can save: the runtime's packages that the function's init files import (the AWS
 * SDK clients), then the secret fetch where the function makes one. The `sdk only` row; the
 * bundle's own share is the rest.
 */
const runtimeOnly =
  measure(`await Promise.all(JSON.parse(process.env.RUNTIME_MODULES).map((module) => import(module)));
if (process.env.FETCH_SECRET) {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }));
}`);

interface Timing {
  wallMs: number;
  cpuMs: number;
  /** Init and the first invocation, where the function has a first event. */
  firstWallMs?: number;
  firstCpuMs?: number;
}

function timeChild(script: string, env: Record<string, string>, nodeOptions: string[] = []): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeOptions, '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}`));
      // The figures are the last line: a first invocation may log (Powertools writes to stdout).
      const [wallMs, cpuMs, firstWallMs, firstCpuMs] = JSON.parse(out.trim().split('\n').at(-1)!) as (
        | number
        | null
      )[];
      resolve({
        wallMs: wallMs!,
        cpuMs: cpuMs!,
        ...(firstWallMs != null && firstCpuMs != null ? { firstWallMs, firstCpuMs } : {}),
      });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const stub = await awsStub();
const common = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: stub.url,
  AWS_ENDPOINT_URL_DYNAMODB: stub.url,
  AWS_LAMBDA_FUNCTION_NAME: 'tandem-bench',
  TABLE_NAME: 'tandem-bench',
  CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:cursor',
  // Read by the functions that open stored secrets; their KMS client loads on first use, not at init.
  SEALING_KEY_ARN: 'arn:aws:kms:eu-west-1:1:key/bench',
  WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/deliveries',
  POWERTOOLS_SERVICE_NAME: 'tandem-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Tandem/bench',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_TRACE_ENABLED: 'false',
};
const sets = new Map<string, Map<string, string>>([['current', new Map()]]);
for (const entry of entries)
  if (!entry.bundle) sets.get('current')!.set(entry.name, await bundle(entry.name));
for (const entry of entries)
  if (entry.bundle) sets.get('current')!.set(entry.name, sets.get('current')!.get(entry.bundle)!);
if (baselineDir) {
  const baseline = new Map<string, string>();
  for (const entry of entries)
    if (existsSync(join(baselineDir, bundleOf(entry), MANIFEST)))
      baseline.set(entry.name, join(baselineDir, bundleOf(entry)));
  sets.set('baseline', baseline);
}
const times = new Map<string, Timing[]>();
const fetches: Timing[] = [];
// Round-robin, so that load on the machine spreads over every bundle (and both sets) alike. The
// sets take turns going first, so that neither always runs right after the other's process of the
// same function (warmer file and CPU caches): with a fixed order the authorizer, changed only to
// build less, came out slower than before (docs/benchmarks.md, session 16).
for (let run = 0; run < runs; run++) {
  const order = run % 2 === 0 ? [...sets] : [...sets].reverse();
  for (const entry of entries)
    for (const [set, dirs] of order) {
      const dir = dirs.get(entry.name);
      if (!dir) continue;
      const key = `${set}:${entry.name}`;
      times.set(key, [
        ...(times.get(key) ?? []),
        await timeChild(
          importBundle,
          {
            ...common,
            ...entry.env,
            BUNDLE: pathToFileURL(join(dir, 'index.mjs')).href,
            ...(entry.firstEvent ? { FIRST_EVENT: JSON.stringify(entry.firstEvent) } : {}),
          },
          nodeOptionsOf(set, entry.memoryMb),
        ),
      ]);
    }
  for (const entry of entries) {
    // An entry that times another's bundle again has that entry's floor.
    if (entry.bundle) continue;
    const manifest = manifestOf(sets.get('current')!.get(entry.name)!);
    // A bundle with the SDK inside loads nothing from the runtime: there is no floor to time apart.
    if (manifest.initExternals.length === 0) continue;
    const key = `sdk only:${entry.name}`;
    times.set(key, [
      ...(times.get(key) ?? []),
      await timeChild(
        runtimeOnly,
        {
          ...common,
          RUNTIME_MODULES: JSON.stringify(manifest.initExternals),
          ...(fetchesSecret(manifest) ? { FETCH_SECRET: '1' } : {}),
        },
        nodeOptionsOf('current', entry.memoryMb),
      ),
    ]);
  }
  fetches.push(await timeChild(fetchSecret, common, nodeOptionsOf('current', 512)));
}
// What each first invocation loaded, for the `first KB` column (untimed processes of their own).
const firstFiles = new Map<string, string[] | undefined>();
for (const [set, dirs] of sets)
  for (const entry of entries) {
    const dir = dirs.get(entry.name);
    if (dir) firstFiles.set(`${set}:${entry.name}`, await firstFilesOf(dir, entry));
  }
stub.close();

/**
 * Per function and set: the sizes, then median and minimum wall and CPU ms, the medians less the
 * secret fetch's, and the medians of init plus first invocation (secret fetch included).
 */
function figures(timings: Timing[], sizes: Sizes, secret?: number[]): number[] {
  const wall = timings.map((timing) => timing.wallMs);
  const cpu = timings.map((timing) => timing.cpuMs);
  const firstWall = timings.flatMap((timing) => timing.firstWallMs ?? []);
  const firstCpu = timings.flatMap((timing) => timing.firstCpuMs ?? []);
  return [
    sizes.initKb,
    sizes.lazyKb,
    sizes.firstKb,
    median(wall),
    Math.min(...wall),
    median(wall) - (secret?.[3] ?? 0),
    median(cpu),
    Math.min(...cpu),
    median(cpu) - (secret?.[6] ?? 0),
    firstWall.length ? median(firstWall) : Number.NaN,
    firstCpu.length ? median(firstCpu) : Number.NaN,
  ];
}
const secret = figures(fetches, { initKb: 0, lazyKb: 0, firstKb: 0 });
console.log(
  `secret fetch alone (loopback stub), ${runs} processes: wall median ${secret[3]!.toFixed(0)} ms (min ` +
    `${secret[4]!.toFixed(0)}), CPU median ${secret[6]!.toFixed(0)} ms (min ${secret[7]!.toFixed(0)})`,
);
console.log(
  "init ms: median and min over the processes; '- secret' is the median less the secret fetch's " +
    '(where the bundle makes one at init); ' +
    "'first' and 'first CPU': medians of init plus the first invocation, secret fetch included; " +
    "'first KB': the bundle's files loaded by the end of the first invocation (init's and the chunks it loaded)",
);
const columns = [
  'init KB',
  'lazy KB',
  'first KB',
  'wall',
  'min',
  '- secret',
  'CPU',
  'min',
  '- secret',
  'first',
  'first CPU',
];
const width = (column: string) => Math.max(column.length, 6) + 2;
const line = (name: string, set: string, values: number[], digits: number) =>
  console.log(
    `${name.padEnd(17)} ${set.padEnd(9)}` +
      values
        .map((value, i) => (Number.isNaN(value) ? '' : value.toFixed(digits)).padStart(width(columns[i]!)))
        .join(''),
  );
console.log(
  `${'function'.padEnd(17)} ${'set'.padEnd(9)}${columns.map((column) => column.padStart(width(column))).join('')}`,
);
for (const entry of entries) {
  const [current, baseline] = ['current', 'baseline'].map((set) => {
    const dir = sets.get(set)?.get(entry.name);
    const timings = times.get(`${set}:${entry.name}`);
    return dir && timings
      ? figures(
          timings,
          sizes(dir, firstFiles.get(`${set}:${entry.name}`)),
          fetchesSecret(manifestOf(dir)) ? secret : undefined,
        )
      : undefined;
  });
  if (current) line(entry.name, 'current', current, 0);
  if (current && baseline) {
    line('', 'baseline', baseline, 0);
    line(
      '',
      'ratio',
      current.map((value, i) => (i === 1 ? Number.NaN : value / baseline[i]!)),
      2,
    );
  }
  const sdkOnly = times.get(`sdk only:${entry.name}`);
  const readsSecret = fetchesSecret(manifestOf(sets.get('current')!.get(entry.name)!));
  if (sdkOnly)
    line(
      '',
      'sdk only',
      figures(
        sdkOnly,
        { initKb: Number.NaN, lazyKb: Number.NaN, firstKb: Number.NaN },
        readsSecret ? secret : undefined,
      ),
      0,
    );
}
