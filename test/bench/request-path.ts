/**
 * npm run bench:request-path [-- --rounds 400]
 *
 * GET /v1/people/{id} through the hono app (the authorizer running in-process, as under
 * npm start) against a raw GetItem of the same person item, on one DynamoDB Local. The arms run
 * interleaved, one request each per round, so that load on the machine hits them alike. A third
 * arm runs the app with the authorizer's key cache off (what every request cost before it).
 *
 * Participants: a JWKS served on 127.0.0.1 and a tenant that trusts it. Once the JWKS is cached,
 * what verifying one token costs (jose's jwtVerify alone, and the whole authorizer with its
 * token cache off: issuer lookup, verification, person lookup), and GET /v1/me with the token
 * cache on and off.
 *
 * --baseline <checkout> adds an arm: the API of another checkout of Tandem (an earlier commit, made
 * with `git worktree add` and given node_modules), built on the same table and interleaved with
 * the rest, so that a change to the request path is measured against what it replaces in one run.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { authorizeInProcess, createApp, createAuthorizer, hashSecret } from '@tandem/api';
import {
  createLocalMatching,
  createLocalRecognition,
  startDynamoDbLocal,
  TableDeliveryQueue,
  TableHrisQueue,
} from '@tandem/local';
import { createDocumentClient, createDynamoClient, ensureTable, keys } from '@tandem/store';
import { defaultDeliveryPolicy } from '@tandem/webhooks';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { benchSealer } from './bench-sealer.ts';

const baselineArg = process.argv.indexOf('--baseline');
const baselineApi: typeof import('@tandem/api') | undefined =
  baselineArg > 0
    ? await import(resolve(process.argv[baselineArg + 1]!, 'packages/api/src/index.ts'))
    : undefined;
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 400;
const WARMUP = 50;
const OPERATOR_KEY = 'tdm_op_bench-operator-key-0123456789';
const CURSOR_SECRET = 'bench-cursor-secret-0123456789';

const dynamo = await startDynamoDbLocal();
const client = createDynamoClient({ endpoint: dynamo.endpoint });
const db = { doc: createDocumentClient(client), tableName: 'tandem-bench' };
await ensureTable(client, db.tableName);

// The identity provider's keys, served on loopback (allowed here as under npm start).
const signing = await generateKeyPair('RS256', { extractable: true });
const jwks = JSON.stringify({
  keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'bench', alg: 'RS256' }],
});
const jwksServer = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(jwks);
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
const urlPolicy = { allowInsecureUrls: true };

function authorizer(cacheSeconds: number, api = { createAuthorizer }) {
  return api.createAuthorizer({ db, operatorKeyHash: hashSecret(OPERATOR_KEY), cacheSeconds, urlPolicy });
}

/** The API with its in-process authorizer: this checkout's, or the baseline's given as `api`. */
function app(cacheSeconds: number, api = { createApp, createAuthorizer, authorizeInProcess }) {
  const authorize = authorizer(cacheSeconds, api);
  return api.createApp({
    identity: { urlPolicy },
    platformDb: db,
    tenantDb: () => db,
    cursorSecret: CURSOR_SECRET,
    sealer: benchSealer,
    resolvePrincipal: api.authorizeInProcess(authorize),
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
    hris: { queue: new TableHrisQueue(db) },
    recognition: createLocalRecognition({
      db,
      cursorSecret: CURSOR_SECRET,
      blobDir: mkdtempSync(join(tmpdir(), 'tandem-bench-certificates-')),
      publicUrl: 'http://localhost',
      logger: { info: () => {}, warn: () => {} },
    }),
  });
}

const cached = app(60);
const uncached = app(0);
const baseline = baselineApi && app(60, baselineApi);

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
const audience = 'api://tandem/bench';
await post('/v1/identity-providers', key, { issuer, audience, jwksUri: `${issuer}/jwks` });
const token = await new SignJWT({ email: person.email })
  .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
  .setIssuer(issuer)
  .setAudience(audience)
  .setExpirationTime('2h')
  .sign(signing.privateKey);
const keySet = createRemoteJWKSet(new URL(`${issuer}/jwks`));
const verifyOnly = async () => {
  await jwtVerify(token, keySet, { issuer, audience, algorithms: ['RS256'], requiredClaims: ['exp'] });
};
const tokenAuthorizer = authorizer(0);
const authorizeToken = async () => {
  const principal = await tokenAuthorizer(`Bearer ${token}`);
  if (principal?.kind !== 'participant') throw new Error('the bench token did not resolve to a participant');
};
const me = (target: ReturnType<typeof app>) => async () => {
  const response = await target.request('/v1/me', { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /v1/me: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
};

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
  ...(baseline ? [{ name: 'GET via baseline app, on', run: viaApp(baseline), times: [] as number[] }] : []),
  { name: 'GET via app, key cache off', run: viaApp(uncached), times: [] as number[] },
  { name: 'jwtVerify, JWKS cached', run: verifyOnly, times: [] as number[] },
  { name: 'authorize JWT, cache off', run: authorizeToken, times: [] as number[] },
  { name: 'GET /v1/me, token cached', run: me(cached), times: [] as number[] },
  { name: 'GET /v1/me, cache off', run: me(uncached), times: [] as number[] },
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
jwksServer.close();
await dynamo.stop();
