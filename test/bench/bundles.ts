/**
 * npm run bench:bundles [-- --runs 15] [-- --baseline .bench/before]
 *
 * Bundles every Lambda entry of functions/ exactly as the stack deploys it (infra/bundle.ts),
 * prints what a cold start loads (the handler module and the chunks it imports statically; chunks
 * behind a dynamic import, such as the Tracer, are counted apart) and the median and minimum module
 * init of N fresh `node` processes importing it: the time from `import()` to the module's top-level
 * awaits settling, which is what Lambda bills as init. The AWS SDK is external, as in Lambda, and
 * loads from node_modules; source maps are on, as in the stack. The secret each function reads at
 * init is answered by a loopback stub of Secrets Manager, so the figure leaves out only the network
 * round trip.
 *
 * --baseline <dir> times an earlier set of bundles (a copy of .bench/bundles made before a change)
 * in the same runs, interleaved with the current one, and prints the ratios: on a shared machine
 * only figures taken side by side compare.
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
  {
    name: 'api',
    env: {
      MATCHING_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:m',
      // Every stage isolates tenants in IAM (tenantScopedCredentials), so the API makes its STS client at init.
      TENANT_ROLE_ARN: 'arn:aws:iam::1:role/tenant-data',
    },
  },
];

/** What `bundleFunction` reports, kept beside the bundle so that a copy can serve as a baseline. */
const MANIFEST = 'bundle.json';

async function bundle(name: string): Promise<string> {
  const dir = join(outDir, name);
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(dir, MANIFEST), JSON.stringify(await bundleFunction(name, dir)));
  return dir;
}

/** KB a cold start loads, and KB only dynamic imports load. */
function sizes(dir: string): { initKb: number; lazyKb: number } {
  const { initFiles, lazyFiles }: FunctionBundle = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  const kb = (files: string[]) => files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0) / 1024;
  return { initKb: kb(initFiles), lazyKb: kb(lazyFiles) };
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
    // As the stack runs every function (NODE_OPTIONS in infra/constructs/function.ts): Node then reads
    // the source map of each module it loads.
    const proc = spawn(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
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
const sets = new Map<string, Map<string, string>>([['current', new Map()]]);
for (const entry of entries) sets.get('current')!.set(entry.name, await bundle(entry.name));
if (baselineDir) {
  const baseline = new Map<string, string>();
  for (const entry of entries)
    if (existsSync(join(baselineDir, entry.name, MANIFEST)))
      baseline.set(entry.name, join(baselineDir, entry.name));
  sets.set('baseline', baseline);
}
const times = new Map<string, number[]>();
const fetches: number[] = [];
// Round-robin, so that load on the machine spreads over every bundle (and both sets) alike.
for (let run = 0; run < runs; run++) {
  for (const entry of entries)
    for (const [set, dirs] of sets) {
      const dir = dirs.get(entry.name);
      if (!dir) continue;
      const key = `${set}:${entry.name}`;
      times.set(key, [
        ...(times.get(key) ?? []),
        await timeChild(importBundle, {
          ...common,
          ...entry.env,
          BUNDLE: pathToFileURL(join(dir, 'index.mjs')).href,
        }),
      ]);
    }
  fetches.push(await timeChild(fetchSecret, common));
}
stub.close();

const secretFetch = median(fetches);
console.log(`secret fetch alone (loopback stub): median ${secretFetch.toFixed(0)} ms over ${runs} processes`);
console.log(
  `${'function'.padEnd(17)} ${'set'.padEnd(9)} init KB  lazy KB   init ms: median (min)   median without the secret fetch`,
);
const row = (name: string, set: string) => {
  const dir = sets.get(set)?.get(name);
  const ms = times.get(`${set}:${name}`);
  if (!dir || !ms) return undefined;
  const { initKb, lazyKb } = sizes(dir);
  console.log(
    `${name.padEnd(17)} ${set.padEnd(9)} ${initKb.toFixed(0).padStart(7)} ${lazyKb.toFixed(0).padStart(8)}` +
      `   ${median(ms).toFixed(0).padStart(14)} (${Math.min(...ms).toFixed(0)})${(median(ms) - secretFetch).toFixed(0).padStart(22)}`,
  );
  return { initKb, median: median(ms), min: Math.min(...ms) };
};
for (const entry of entries) {
  const current = row(entry.name, 'current');
  const baseline = row(entry.name, 'baseline');
  if (current && baseline)
    console.log(
      `${''.padEnd(17)} ratio     ${(current.initKb / baseline.initKb).toFixed(2).padStart(7)}${''.padEnd(9)}` +
        `   ${(current.median / baseline.median).toFixed(2).padStart(14)} (${(current.min / baseline.min).toFixed(2)})` +
        `${((current.median - secretFetch) / (baseline.median - secretFetch)).toFixed(2).padStart(22)}`,
    );
}
