import { monotonicFactory } from 'ulid';

/**
 * Every id is a ULID behind a short type prefix: ids sort by creation time (so lists are
 * chronological without an extra index) and a stray id of the wrong kind is obvious.
 * Prefixes never contain `#`, which the table keys use as a separator. Their schemas are in
 * id-schema.ts: what only makes or reads ids (the store's keys, the audit trail) loads no zod.
 */
export const idPrefixes = {
  tenant: 'ten',
  apiKey: 'key',
  person: 'per',
  program: 'prg',
  enrollment: 'enr',
  event: 'evt',
  webhookEndpoint: 'whe',
  delivery: 'dlv',
  recovery: 'rcv',
  matchRun: 'run',
  proposal: 'prp',
  relationship: 'rel',
  resource: 'res',
  post: 'pst',
  postReply: 'rpl',
  rematchRequest: 'rmr',
  goal: 'gol',
  goalUpdate: 'gup',
  meeting: 'mtg',
  feedback: 'fbk',
  identityProvider: 'idp',
  scimToken: 'sct',
  scimGroup: 'grp',
  kudos: 'kud',
  milestoneRule: 'mrl',
  survey: 'srv',
  surveyInstance: 'svi',
  surveyResponse: 'rsp',
  hrisConnection: 'hrc',
  hrisLogEntry: 'hle',
  awardType: 'awt',
  nomination: 'nom',
  award: 'awd',
} as const;

export type IdKind = keyof typeof idPrefixes;

const nextUlid = monotonicFactory();

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${nextUlid().toLowerCase()}`;
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The n-th id of a kind derived from another id (e.g. a run's proposals): the same run and n
 * always give the same id, so a retried step rewrites its items instead of duplicating them.
 */
export function derivedId(kind: IdKind, from: string, n: number): string {
  const base = from.slice(from.indexOf('_') + 1, from.indexOf('_') + 17);
  let suffix = '';
  for (let rest = n, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) suffix = CROCKFORD[rest % 32] + suffix;
  return `${idPrefixes[kind]}_${base}${suffix}`;
}

/**
 * The id of the entity another one becomes, one to one (a published proposal's relationship): the
 * same body under the kind's prefix, so whether it was made is one key read, with no pointer
 * written back to the source.
 */
export function becomesId(kind: IdKind, from: string): string {
  return `${idPrefixes[kind]}_${from.slice(from.indexOf('_') + 1)}`;
}
