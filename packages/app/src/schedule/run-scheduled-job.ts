import { type Timer, TimerAlreadyHandledError } from '@tandem/core';
import type { PlatformMigrations, TenantsRepository } from '@tandem/store';
import { PassReads } from './pass-reads.ts';
import { SEAL_STORED_SECRETS, sealStoredSecrets } from './seal-stored-secrets.ts';
import {
  type ScheduledContext,
  timerGroupHandlers,
  timerHandlers,
  timerReadsAhead,
} from './timer-handlers.ts';

export interface ScheduledJobDeps {
  /** The tenant directory: the job visits every active tenant. */
  tenants: TenantsRepository;
  /** The one-off data changes done (the job seals secrets stored before sealing until then). */
  migrations: PlatformMigrations;
  /** One tenant's repositories, with the job's clock (`now`) stamping what the handlers write. */
  contextFor(tenantId: string): Omit<ScheduledContext, 'pass'>;
  /** Timers handled at once within a tenant. */
  concurrency?: number;
  /** Tenants whose timers are handled at once. */
  tenantsAtOnce?: number;
  /** A handler failed: the timer stays due and the next pass tries again. */
  onError?(error: unknown, timer: Timer, tenantId: string): void;
}

export interface ScheduledJobResult {
  tenants: number;
  /** Timers whose work this pass did. */
  handled: number;
  /** Timers another pass handled or moved while this one was at them. */
  alreadyHandled: number;
  failed: number;
  /** Endpoints and HRIS connections whose secrets, stored before sealing, this pass sealed (sweeping passes only). */
  sealedSecrets?: number;
}

const PAGE = 100;
const CONCURRENCY = 16;
/**
 * Tenants handled side by side, so that one tenant's long work (a program's analytics rebuilt, a
 * backlog after downtime) holds up no other tenant's reminders and evaluations, and a pass over
 * many tenants is not one query after another. A tenant with nothing due costs one query.
 */
const TENANTS_AT_ONCE = 4;
/**
 * Pages whose timers are handled together (`timerGroupHandlers`) that run at once, with the next
 * page's reads ahead: enough to keep Node and DynamoDB busy side by side. Each holds a hundred
 * evaluations and their transactions; more of them at once only queue in DynamoDB (Local, which
 * then holds them all in its heap).
 */
const GROUPS_AT_ONCE = 2;

/**
 * One pass of the scheduled job: every timer due at `now` in every active tenant, oldest first
 * (after sealing what tenants stored before secrets were sealed, until one pass has done it).
 * Safe to run twice or concurrently (each handler's transaction removes its timer on the
 * condition that it is unchanged) and after downtime (every timer still due is found, however
 * late). Work a handler reschedules into the past is found by a later page of the same pass when
 * it sorts after the pages already read, and by the next pass otherwise, so a recurring timer
 * catches up one occurrence at a time. A tenant whose timers cannot be read (a throttled query)
 * stops no other tenant: the pass ends with every tenant visited, then fails with what failed.
 */
export async function runScheduledJob(deps: ScheduledJobDeps, now: Date): Promise<ScheduledJobResult> {
  const result: ScheduledJobResult = { tenants: 0, handled: 0, alreadyHandled: 0, failed: 0 };
  const unread: unknown[] = [];
  const sweep = await sealUnlessDone(deps, now);
  if (sweep.sealed !== undefined) result.sealedSecrets = sweep.sealed;
  await inParallel(
    tenantIds(deps.tenants, 'active'),
    deps.tenantsAtOnce ?? TENANTS_AT_ONCE,
    async (tenantId) => {
      result.tenants++;
      await runDueTimers(deps, deps.contextFor(tenantId), now, result).catch((error: unknown) => {
        unread.push(error);
      });
    },
  );
  const failures = [
    ...(unread.length ? [`the due timers of ${unread.length} tenant(s) could not be read`] : []),
    ...(sweep.failure ? [sweep.failure] : []),
  ];
  if (failures.length)
    throw new AggregateError([...unread, ...sweep.errors], upperFirst(failures.join('; ')));
  return result;
}

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

async function* tenantIds(tenants: TenantsRepository, which: 'active' | 'all'): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page = await tenants.list({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const tenant of page.items) if (which === 'all' || tenant.status === 'active') yield tenant.id;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * Until the platform records it done, seals what every tenant, suspended ones too, stored before
 * sealing (sealStoredSecrets), and records it done once no tenant failed; otherwise the next pass
 * sweeps again. What failed is reported with the pass's end, after every tenant's timers.
 */
async function sealUnlessDone(
  deps: ScheduledJobDeps,
  now: Date,
): Promise<{ errors: unknown[]; failure?: string; sealed?: number }> {
  try {
    if (await deps.migrations.done(SEAL_STORED_SECRETS)) return { errors: [] };
  } catch (error) {
    return { errors: [error], failure: 'whether stored secrets are sealed could not be read' };
  }
  const errors: unknown[] = [];
  let sealed = 0;
  await inParallel(tenantIds(deps.tenants, 'all'), deps.tenantsAtOnce ?? TENANTS_AT_ONCE, (tenantId) =>
    sealStoredSecrets(deps.contextFor(tenantId)).then(
      (tenant) => {
        sealed += tenant.sealed;
      },
      (error: unknown) => {
        errors.push(error);
      },
    ),
  );
  if (errors.length)
    return {
      errors,
      failure: `the stored secrets of ${errors.length} tenant(s) could not be sealed`,
      sealed,
    };
  await deps.migrations.markDone(SEAL_STORED_SECRETS, now);
  return { errors, sealed };
}

/**
 * The pass over one tenant's due timers (what runScheduledJob does per tenant). Its handlers share
 * the reads of one pass (`ScheduledContext.pass`), and the timers stream to them: a free handler
 * takes the next due timer while the next page is being read.
 */
export async function runDueTimers(
  deps: Pick<ScheduledJobDeps, 'concurrency' | 'onError'>,
  tenant: Omit<ScheduledContext, 'pass'>,
  now: Date,
  result: ScheduledJobResult = { tenants: 1, handled: 0, alreadyHandled: 0, failed: 0 },
): Promise<ScheduledJobResult> {
  const ctx: ScheduledContext = { ...tenant, pass: new PassReads() };
  const count = (timer: Timer, outcome: PromiseSettledResult<void>) => {
    if (outcome.status === 'fulfilled') result.handled++;
    else if (outcome.reason instanceof TimerAlreadyHandledError) result.alreadyHandled++;
    else {
      result.failed++;
      deps.onError?.(outcome.reason, timer, ctx.tenantId);
    }
  };
  const groups = new Running();
  await inParallel(dueTimers(ctx, now, groups), deps.concurrency ?? CONCURRENCY, async (work) => {
    if (Array.isArray(work)) {
      const [{ kind }] = work as [Timer];
      const outcomes = await timerGroupHandlers[kind]!(ctx, work).finally(() => groups.end());
      for (const [i, outcome] of outcomes.entries()) count(work[i]!, outcome);
      return;
    }
    const [outcome] = await Promise.allSettled([timerHandlers[work.kind](ctx, work)]);
    count(work, outcome!);
  });
  return result;
}

/**
 * The tenant's due timers, oldest first, with the next page read while this one is handed out, and
 * what each page's handlers read one by one read ahead in a batch per kind (`timerReadsAhead`).
 * A page's timers of a kind handled together (`timerGroupHandlers`) come as one array.
 */
async function* dueTimers(
  ctx: ScheduledContext,
  now: Date,
  groups: Running,
): AsyncGenerator<Timer | Timer[]> {
  // A page's reads ahead start as it arrives, while the lanes still work on the page before.
  const read = (start?: Record<string, unknown>) =>
    ctx.store.timers.due(now, PAGE, start).then((page) => {
      for (const [kind, ofKind] of Map.groupBy(page.timers, (timer) => timer.kind))
        timerReadsAhead[kind]?.(ctx, ofKind, page.carriers);
      return page;
    });
  let page = read();
  for (;;) {
    const { timers: due, next } = await page;
    if (next) {
      await groups.below(GROUPS_AT_ONCE);
      page = read(next);
      // Awaited once this page is handed out; until then a failed read must not count as unhandled.
      page.catch(() => {});
    }
    for (const [kind, ofKind] of Map.groupBy(due, (timer) => timer.kind)) {
      if (timerGroupHandlers[kind]) {
        groups.start();
        yield ofKind;
      } else yield* ofKind;
    }
    if (!next) return;
  }
}

/** `width` lanes, each taking the next item as soon as it is free (an async generator serves them in turn). */
async function inParallel<T>(
  items: AsyncIterator<T>,
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lane = async () => {
    for (let next = await items.next(); !next.done; next = await items.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** The groups of timers being handled, for the reader of pages to wait until fewer run. */
class Running {
  #count = 0;
  #waiting: (() => void)[] = [];

  start(): void {
    this.#count++;
  }

  end(): void {
    this.#count--;
    this.#waiting.shift()?.();
  }

  async below(limit: number): Promise<void> {
    while (this.#count >= limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
}
