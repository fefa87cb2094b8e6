/**
 * npm run bench:request-path [-- --rounds 400]
 *
 * GET /v1/people/{id} through the hono app (the authorizer running in-process, as under
 * npm start) against a raw GetItem of the same person item, on one DynamoDB Local. The arms run
 * interleaved, one request each per round, so that load on the machine hits them alike. A third
 * arm runs the app with the authorizer's key cache off (what every request cost before it).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { authorizeInProcess, createApp, createAuthorizer, hashSecret } from '@tandem/api';
import { createLocalMatching, freePort, startDynamoDbLocal, TableDeliveryQueue } from '@tandem/local';
import { createDocumentClient, createDynamoClient, ensureTable, keys } from '@tandem/store';
import { defaultDeliveryPolicy } from '@tandem/webhooks';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 400;
const WARMUP = 50;
const OPERATOR_KEY = 'tdm_op_bench-operator-key-0123456789';
const CURSOR_SECRET = 'bench-cursor-secret-0123456789';

const dynamo = await startDynamoDbLocal({ port: await freePort() });
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const db = { doc: createDocumentClient(client), tableName: 'tandem-bench' };
await ensureTable(client, db.tableName);

function app(cacheSeconds: number) {
  const authorize = createAuthorizer({ db, operatorKeyHash: hashSecret(OPERATOR_KEY), cacheSeconds });
  return createApp({
    platformDb: db,
    tenantDb: () => db,
    cursorSecret: CURSOR_SECRET,
    resolvePrincipal: authorizeInProcess(authorize),
    logger: new Logger({ serviceName: 'tandem-bench', logLevel: 'SILENT' }),
    webhooks: { queue: new TableDeliveryQueue(db), policy: defaultDeliveryPolicy },
    matching: {
      starter: createLocalMatching({
        db,
        endpoint: dynamo.endpoint,
        cursorSecret: CURSOR_SECRET,
        blobDir: mkdtempSync(join(tmpdir(), 'tandem-bench-blobs-')),
        logger: { info: () => {}, warn: () => {} },
      }).starter,
    },
  });
}

const cached = app(60);
const uncached = app(0);

async function post(path: string, key: string, body: unknown) {
  const response = await cached.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as any;
}

const created = await post('/v1/tenants', OPERATOR_KEY, { name: 'Bench Org' });
const tenantId: string = created.tenant.id;
const key: string = created.adminKey.secret;
const person = await post('/v1/people', key, { name: 'Ada Bench', email: 'ada@bench.example.com' });
const path = `/v1/people/${person.id}`;

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const viaApp = (target: ReturnType<typeof app>) => async () => {
  const response = await target.request(path, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  await response.arrayBuffer();
};
const rawGet = async () => {
  const { Item } = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.person(tenantId, person.id) }),
  );
  if (!Item) throw new Error('the person item is missing');
};

const arms = [
  { name: 'raw GetItem', run: rawGet, times: [] as number[] },
  { name: 'GET via app, key cache on', run: viaApp(cached), times: [] as number[] },
  { name: 'GET via app, key cache off', run: viaApp(uncached), times: [] as number[] },
];
for (let round = 0; round < WARMUP + rounds; round++)
  for (const arm of round % 2 ? arms : [...arms].reverse()) {
    const ms = await timed(arm.run);
    if (round >= WARMUP) arm.times.push(ms);
  }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const raw = median(arms[0]!.times);
console.log(`${rounds} interleaved rounds (after ${WARMUP} warm-up), DynamoDB Local`);
console.log('arm                           min ms   median ms   median / raw');
for (const arm of arms)
  console.log(
    `${arm.name.padEnd(28)} ${Math.min(...arm.times)
      .toFixed(2)
      .padStart(7)} ${median(arm.times).toFixed(2).padStart(11)}` +
      `${(median(arm.times) / raw).toFixed(2).padStart(14)}x`,
  );

client.destroy();
await dynamo.stop();
