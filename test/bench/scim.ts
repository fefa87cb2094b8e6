/**
 * npm run bench:scim [-- --quick]
 *
 * An Okta-style initial push through SCIM, over real HTTP against `npm start`'s runtime: for each
 * of 10,000 users, the lookup Okta makes first (`GET /Users?filter=userName eq "…"`, which finds
 * nobody) and then `POST /Users`, with 8 users in flight at a time (Okta's provisioning works a
 * few users in parallel per app). Target: all 10,000 within 2 minutes locally. Prints the total,
 * the rate, and min, median and p99 of each of the two requests, which alternate per user.
 * Then a full read of everyone, 200 a page, as an identity provider's sync pages: in order (each
 * page starts where the one before ended) against the same pages in reverse order (no page has a
 * position to start from, so each counts the collection and reads past the users before it: what
 * every page cost before positions were kept), alternated, two rounds.
 * `--quick` pushes a tenth of the users.
 */
import { freePort, startLocal } from '@tandem/local';

const quick = process.argv.includes('--quick');
const USERS = quick ? 1_000 : 10_000;
const IN_FLIGHT = 8;

const local = await startLocal({
  port: await freePort(),
  dataDir: undefined,
  log: () => {},
  rateLimits: false,
});

async function http(method: string, path: string, key: string, body?: unknown) {
  const started = performance.now();
  const response = await fetch(`${local.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => undefined)) as any;
  const ms = performance.now() - started;
  if (response.status >= 400)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return { json, ms };
}

const { json: created } = await http('POST', '/v1/tenants', local.operatorKey, { name: 'SCIM Bench Org' });
const { json: token } = await http('POST', '/v1/scim-token', created.adminKey.secret);
const scimKey = token.secret as string;

const user = (i: number) => {
  const userName = `user${i}@bench.example.com`;
  return {
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ],
    userName,
    externalId: `00u${String(i).padStart(8, '0')}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    displayName: `Given${i} Family${i}`,
    emails: [{ primary: true, value: userName, type: 'work' }],
    title: 'Engineer',
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
      department: ['Engineering', 'Sales', 'Finance', 'People'][i % 4],
      employeeNumber: String(i),
    },
  };
};

const lookups: number[] = [];
const creates: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < USERS; i = next++) {
      const body = user(i);
      const filter = encodeURIComponent(`userName eq "${body.userName}"`);
      const lookup = await http('GET', `/scim/v2/Users?filter=${filter}`, scimKey);
      if (lookup.json.totalResults !== 0) throw new Error(`${body.userName} exists before its push`);
      lookups.push(lookup.ms);
      creates.push((await http('POST', '/scim/v2/Users', scimKey, body)).ms);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;

const { json: listed } = await http('GET', '/scim/v2/Users?count=1', scimKey);
if (listed.totalResults !== USERS) throw new Error(`${listed.totalResults} users listed, ${USERS} pushed`);

const PAGE = 200;
const startIndexes = Array.from({ length: Math.ceil(USERS / PAGE) }, (_, page) => 1 + page * PAGE);
/** Every page of the user list in the given order: the time of the whole read and its slowest page. */
async function readAll(order: number[]) {
  const begun = performance.now();
  let slowest = 0;
  let seen = 0;
  for (const startIndex of order) {
    const { json, ms } = await http('GET', `/scim/v2/Users?startIndex=${startIndex}&count=${PAGE}`, scimKey);
    seen += json.Resources.length;
    slowest = Math.max(slowest, ms);
  }
  if (seen !== USERS) throw new Error(`${seen} users read, ${USERS} pushed`);
  return { seconds: (performance.now() - begun) / 1000, slowest };
}
const reads: string[] = [];
for (let round = 1; round <= 2; round++)
  for (const [label, order] of [
    ['in order', startIndexes],
    ['reverse order', [...startIndexes].reverse()],
  ] as const) {
    const { seconds, slowest } = await readAll(order);
    reads.push(
      `full read ${label.padEnd(13)} round ${round}: ${seconds.toFixed(2)} s, slowest page ${slowest.toFixed(1)} ms`,
    );
  }

const stats = (label: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  console.log(`${label.padEnd(34)} min ${at(0)} ms  median ${at(0.5)} ms  p99 ${at(0.99)} ms`);
};
console.log(`SCIM initial push: ${USERS} users, ${IN_FLIGHT} in flight`);
console.log(`total ${seconds.toFixed(1)} s (${(USERS / seconds).toFixed(0)} users/s; target: under 120 s)`);
stats('GET /Users?filter=userName eq', lookups);
stats('POST /Users', creates);
console.log(`everyone read back, ${PAGE} a page (${startIndexes.length} pages):`);
for (const line of reads) console.log(`  ${line}`);
await local.stop();
