/**
 * npm run bench:bundles [-- --runs 15]
 *
 * Bundles every Lambda entry of functions/ with the esbuild options the stack deploys
 * (infra/constructs/function.ts functionBundling), prints each bundle's size and the median module
 * init of N fresh `node` processes importing it: the time from `import()` to the module's
 * top-level awaits settling, which is what Lambda bills as init. The AWS SDK is external, as in
 * Lambda, and loads from node_modules. The secret each function reads at init is answered by a
 * loopback stub of Secrets Manager, so the figure leaves out only the network round trip.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { functionBundling } from '../../infra/constructs/function.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that the external @aws-sdk/* resolve from its node_modules.
const outDir = join(root, '.bench', 'bundles');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;

const entries: { name: string; env: Record<string, string> }[] = [
  {
    name: 'authorizer',
    env: {
      OPERATOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:op',
      AUTHORIZER_CACHE_SECONDS: '60',
    },
  },
  { name: 'webhook-relay', env: {} },
  { name: 'webhook-delivery', env: {} },
  { name: 'matching-step', env: { MATCHING_STEP: 'solve', MATCHING_BUCKET: 'blobs' } },
  { name: 'api', env: { MATCHING_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:m' } },
];

/** The CDK's NodejsFunction bundling options, as the esbuild API spells them. */
async function bundle(name: string): Promise<string> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(root, 'functions', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: functionBundling.format,
    target: functionBundling.target,
    mainFields: functionBundling.mainFields,
    banner: { js: functionBundling.banner },
    minify: functionBundling.minify,
    sourcemap: functionBundling.sourceMap,
    sourcesContent: functionBundling.sourcesContent,
    external: functionBundling.externalModules,
    logLevel: 'warning',
  });
  return outfile;
}

function secretsManagerStub(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ SecretString: 'bench-secret-bench-secret-bench-secret' }));
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

const importBundle = `const t = performance.now(); await import(process.env.BUNDLE); process.stdout.write(String(performance.now() - t));`;
/** The secret fetch on its own (client already loaded), as each function does once at init. */
const fetchSecret = `const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
const t = performance.now();
await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }));
process.stdout.write(String(performance.now() - t));`;

function timeChild(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    proc.on('exit', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`child exited with ${code}`)),
    );
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

mkdirSync(outDir, { recursive: true });
const stub = await secretsManagerStub();
const common = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_ENDPOINT_URL_SECRETS_MANAGER: stub.url,
  AWS_LAMBDA_FUNCTION_NAME: 'tandem-bench',
  TABLE_NAME: 'tandem-bench',
  CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:cursor',
  WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/deliveries',
  POWERTOOLS_SERVICE_NAME: 'tandem-bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Tandem/bench',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_TRACE_ENABLED: 'false',
};
const files = new Map<string, string>();
for (const entry of entries) files.set(entry.name, await bundle(entry.name));
const times = new Map<string, number[]>(entries.map((entry) => [entry.name, []]));
const fetches: number[] = [];
// Round-robin, so that load on the machine spreads over every bundle alike.
for (let run = 0; run < runs; run++) {
  for (const entry of entries)
    times.get(entry.name)!.push(
      await timeChild(importBundle, {
        ...common,
        ...entry.env,
        BUNDLE: pathToFileURL(files.get(entry.name)!).href,
      }),
    );
  fetches.push(await timeChild(fetchSecret, common));
}
stub.close();

const secretFetch = median(fetches);
console.log(`secret fetch alone (loopback stub): median ${secretFetch.toFixed(0)} ms over ${runs} processes`);
console.log(`function            bundle KB   init median ms (min)   init without the secret fetch`);
for (const entry of entries) {
  const kb = statSync(files.get(entry.name)!).size / 1024;
  const ms = times.get(entry.name)!;
  console.log(
    `${entry.name.padEnd(18)} ${kb.toFixed(0).padStart(9)}   ${median(ms).toFixed(0).padStart(6)} (${Math.min(...ms).toFixed(0)})` +
      `${(median(ms) - secretFetch).toFixed(0).padStart(16)}`,
  );
}
