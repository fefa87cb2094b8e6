import { domainEvent, type HrisConnection, type HrisSecret, newId } from '@tandem/core';
import { hrisProviderModules, type InboundDelivery, NO_API_REASON, sha256Hex } from '@tandem/integrations';
import type { HrisConnectionWithSecrets, WriteOp } from '@tandem/store';
import { hrisConnectionEventData } from './connection-rules.ts';
import type { HrisContext, HrisJob } from './ports.ts';

/** The answer to a delivery: what the provider sees, so retries happen only where they help. */
export type Receipt =
  | { status: 200; outcome: 'duplicate' | 'handshake' | 'ignored'; reason?: string | undefined }
  | { status: 202; outcome: 'accepted'; changes: number }
  | { status: 401; outcome: 'rejected'; reason: string }
  | { status: 503; outcome: 'paused' };

/**
 * Takes one delivery of a connection: answers a handshake, verifies the exact bytes, deduplicates
 * by the provider's event id or the body's hash, logs it, and queues its employee changes for the
 * worker. Nothing here changes a person, so it answers within the providers' few seconds.
 *
 * The connection read lately in this process is tried first (a burst of deliveries then costs one
 * write each): what it accepts or ignores is written only if the connection is still at that
 * version, and any other answer (paused, a handshake, a refused signature) or a changed connection
 * is decided again from a fresh read, so a cached connection never changes an answer.
 */
export async function receiveHrisWebhook(
  ctx: HrisContext,
  connectionId: string,
  delivery: InboundDelivery,
): Promise<Receipt> {
  const read = await ctx.store.hrisConnections.getForDelivery(connectionId);
  // Read for this delivery: every answer may be given from it.
  if (!read.cached) return receiveWith(ctx, read, delivery);
  const changed = new Error('the connection changed');
  const guard = await ctx.store.hrisConnections.unchangedOp(read.connection, () => changed);
  const receipt = await receiveWith(ctx, read, delivery, guard).catch((error: unknown) => {
    if (error === changed) return undefined;
    throw error;
  });
  if (receipt) return receipt;
  return receiveWith(
    ctx,
    await ctx.store.hrisConnections.getForDelivery(connectionId, { fresh: true }),
    delivery,
  );
}

/**
 * The delivery's answer given `read`; with a `guard` (the connection came from the cache) only
 * the answers that write under it, undefined for the rest.
 */
async function receiveWith(
  ctx: HrisContext,
  read: HrisConnectionWithSecrets,
  delivery: InboundDelivery,
): Promise<Receipt>;
async function receiveWith(
  ctx: HrisContext,
  read: HrisConnectionWithSecrets,
  delivery: InboundDelivery,
  guard: WriteOp,
): Promise<Receipt | undefined>;
async function receiveWith(
  ctx: HrisContext,
  { connection, secrets, apiCredentials }: HrisConnectionWithSecrets,
  delivery: InboundDelivery,
  guard?: WriteOp,
): Promise<Receipt | undefined> {
  const { store } = ctx;
  const connectionId = connection.id;
  if (connection.status === 'paused') return guard ? undefined : { status: 503, outcome: 'paused' };
  const module = hrisProviderModules[connection.provider];
  const entryId = newId('hrisLogEntry');

  const handshake = module.handshake?.(delivery);
  if (handshake) {
    if (guard) return undefined;
    const adopted =
      handshake.signingKey && secrets.length === 0
        ? await adoptKey(ctx, connection, handshake.signingKey)
        : false;
    const reason = adopted ? `${handshake.reason}: adopted as the signing key` : handshake.reason;
    await store.hrisInbox.log(connectionId, entryId, { outcome: 'handshake', reason });
    return { status: 200, outcome: 'handshake', reason };
  }

  const verdict = module.verify(delivery, secrets, ctx.clock());
  if (!verdict.ok) {
    if (guard) return undefined;
    await store.hrisInbox.log(connectionId, entryId, { outcome: 'rejected', reason: verdict.reason });
    return { status: 401, outcome: 'rejected', reason: verdict.reason };
  }
  const guards = guard ? [guard] : [];

  const eventId = module.eventId?.(delivery);
  // Hashed either way: the key is bounded, and a body hash covers providers that send no id.
  // A poke is never a redelivery (two alike are two changes), so its key is its own log entry.
  const dedupKey = module.pokes
    ? sha256Hex('poke\n', entryId)
    : eventId
      ? sha256Hex('id\n', eventId)
      : sha256Hex('body\n', connection.provider, connectionId, delivery.body);
  const read = module.read(delivery, connection.fieldMapping);
  const reading =
    read.kind === 'fetch' && !apiCredentials
      ? ({ kind: 'ignored', eventType: read.eventType, reason: NO_API_REASON } as const)
      : read;
  if (reading.kind === 'ignored') {
    const fresh = await store.hrisInbox.receive(
      connectionId,
      dedupKey,
      entryId,
      { outcome: 'ignored', eventType: reading.eventType, reason: reading.reason },
      [],
      guards,
    );
    return { status: 200, outcome: fresh ? 'ignored' : 'duplicate', reason: reading.reason };
  }
  const now = ctx.clock().toISOString();
  const jobs: HrisJob[] =
    reading.kind === 'fetch'
      ? reading.externalIds.map((externalId) => ({
          tenantId: ctx.tenantId,
          connectionId,
          provider: connection.provider,
          eventType: reading.eventType,
          change: { snapshot: { externalId }, sourceUpdatedAt: now },
          fetch: true,
        }))
      : reading.changes.map((change) => ({
          tenantId: ctx.tenantId,
          connectionId,
          provider: connection.provider,
          eventType: reading.eventType,
          change,
        }));
  const externalIds = [...new Set(jobs.map((job) => job.change.snapshot.externalId))];
  const draft = {
    outcome: 'accepted',
    eventType: reading.eventType,
    ...(externalIds.length === 1
      ? { externalId: externalIds[0] }
      : { reason: `${externalIds.length} employees` }),
  } as const;
  const fresh = await ctx.hris.queue.enqueue(jobs, {
    claim: (ops) => store.hrisInbox.receive(connectionId, dedupKey, entryId, draft, ops, guards),
    release: () => store.hrisInbox.release(connectionId, dedupKey),
  });
  if (!fresh) return { status: 200, outcome: 'duplicate' };
  return { status: 202, outcome: 'accepted', changes: jobs.length };
}

async function adoptKey(ctx: HrisContext, connection: HrisConnection, key: string): Promise<boolean> {
  const now = ctx.clock().toISOString();
  const secret: HrisSecret = {
    id: `hsec_${sha256Hex(key).slice(0, 16)}`,
    preview: `${key.slice(0, 8)}…`,
    createdAt: now,
    value: key,
  };
  return ctx.store.hrisConnections.adoptFirstSecret(
    connection,
    secret,
    domainEvent('hris_connection.updated', { ...hrisConnectionEventData(connection), changed: ['secrets'] }),
  );
}
