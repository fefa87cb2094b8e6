import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type EventDraft,
  type MatchRun,
  type MatchRunStatus,
  matchRun,
  NotFoundError,
  type Proposal,
  proposal as proposalSchema,
  RUN_CANCELLED,
  terminalRunStatuses,
} from '@tandem/core';
import { batchGetAll, batchWriteAll } from './batch.ts';
import { type Db, toEntity } from './db.ts';
import { collections, gsi1, keys } from './keys.ts';
import { type Page, type PageRequest, queryAll, queryPage } from './query.ts';
import { TenantRepository } from './repository.ts';
import { MAX_TRANSACTION_ITEMS, type WriteOp } from './transact.ts';

type StoredSteps = Record<
  string,
  { status: 'running' | 'succeeded' | 'failed'; startedAt: string; finishedAt?: string }
>;

/**
 * Progress is stored as a map (one update per step) and read as a list in the order the steps
 * started; steps started within the same millisecond go in the order they finished.
 */
function fromItem(item: Record<string, unknown>): MatchRun {
  const steps = (item.steps ?? {}) as StoredSteps;
  const progress = Object.entries(steps)
    .map(([step, value]) => ({ step, ...value }))
    .sort(
      (a, b) =>
        a.startedAt.localeCompare(b.startedAt) || (a.finishedAt ?? '~').localeCompare(b.finishedAt ?? '~'),
    );
  return toEntity({ ...item, steps: undefined, progress }, matchRun);
}

const unfinished = (status: MatchRunStatus) => !terminalRunStatuses.includes(status);

/**
 * Matching runs of one tenant, with their proposals. The run item is the source of truth the
 * API reads; the workflow's steps move it along.
 */
export class MatchRunsRepository extends TenantRepository {
  /** Takes the program's single active-run slot; a second concurrent run is a 409. */
  async create(run: MatchRun, event: EventDraft): Promise<void> {
    const { progress: _progress, ...fields } = run;
    await this.write(
      [
        {
          item: {
            Put: {
              TableName: '',
              Item: { ...keys.activeRun(this.tenantId, run.programId), runId: run.id },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () =>
            new ConflictError(
              `Program ${run.programId} already has a matching run in progress; wait for it or cancel it`,
            ),
        },
        {
          item: {
            Put: {
              TableName: '',
              Item: {
                ...keys.matchRun(this.tenantId, run.programId, run.id),
                GSI1PK: gsi1.unfinishedRuns,
                GSI1SK: `${this.tenantId}#${run.programId}#${run.id}`,
                entity: 'matchRun',
                ...fields,
                steps: {},
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        },
      ],
      event,
    );
  }

  async get(programId: string, runId: string): Promise<MatchRun> {
    const { Item } = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.tableName,
        Key: keys.matchRun(this.tenantId, programId, runId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No matching run ${runId} in program ${programId}`);
    return fromItem(Item);
  }

  async list(programId: string, page: PageRequest): Promise<Page<MatchRun>> {
    const result = await queryPage<Record<string, unknown>>(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ScanIndexForward: false,
        ExpressionAttributeValues: {
          ':pk': keys.matchRun(this.tenantId, programId, '').PK,
          ':prefix': collections.matchRuns,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|runs|${programId}`,
    );
    return { items: result.items.map(fromItem), nextCursor: result.nextCursor };
  }

  /** Records a step starting or ending, and moves a queued run to running. Refuses a finished run. */
  async step(
    programId: string,
    runId: string,
    step: string,
    status: 'running' | 'succeeded' | 'failed',
    now: string,
  ) {
    const entry = status === 'running' ? { status, startedAt: now } : undefined;
    await this.db.doc
      .send(
        new UpdateCommand({
          TableName: this.db.tableName,
          Key: keys.matchRun(this.tenantId, programId, runId),
          UpdateExpression: entry
            ? 'SET steps.#step = :entry, #status = :running, updatedAt = :now, #version = #version + :one'
            : 'SET steps.#step.#status = :status, steps.#step.finishedAt = :now, updatedAt = :now, #version = #version + :one',
          // A step starts and ends only on a live run (a step that moves the run on ends with that move).
          ConditionExpression: entry ? '#status IN (:queued, :running)' : '#status = :running',
          ExpressionAttributeNames: { '#step': step, '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: {
            ...(entry ? { ':entry': entry, ':queued': 'queued' } : { ':status': status }),
            ':running': 'running',
            ':now': now,
            ':one': 1,
          },
        }),
      )
      .catch((error) => {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException')
          throw new RunNotActiveError(runId);
        throw error;
      });
  }

  async setExecution(programId: string, runId: string, executionId: string): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.tableName,
        Key: keys.matchRun(this.tenantId, programId, runId),
        UpdateExpression: 'SET executionId = :id',
        ExpressionAttributeValues: { ':id': executionId },
      }),
    );
  }

  /**
   * Moves the run to `to` with `fields`, only from one of `from`, with its event. Reaching a
   * terminal status releases the program's active-run slot in the same transaction. `finishing`
   * ends the step that moves the run on in the same write.
   */
  async transition(
    run: Pick<MatchRun, 'id' | 'programId'>,
    from: readonly MatchRunStatus[],
    to: MatchRunStatus,
    fields: Partial<MatchRun>,
    now: string,
    event?: EventDraft,
    finishing?: { step: string; status: 'succeeded' | 'failed' },
  ): Promise<void> {
    const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
    const values: Record<string, unknown> = { ':to': to, ':now': now, ':one': 1 };
    const sets = ['#status = :to', 'updatedAt = :now', '#version = #version + :one'];
    if (finishing) {
      // The step that moves the run on ends in the same write, so no reader sees the run moved on
      // with that step still running.
      names['#step'] = finishing.step;
      values[':stepStatus'] = finishing.status;
      sets.push('steps.#step.#status = :stepStatus', 'steps.#step.finishedAt = :now');
    }
    Object.entries(fields).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    });
    const fromNames = from.map((_, i) => `:from${i}`);
    from.forEach((status, i) => {
      values[`:from${i}`] = status;
    });
    const finished = !unfinished(to);
    if (finished) sets.push('finishedAt = :now');
    const ops: WriteOp[] = [
      {
        item: {
          Update: {
            TableName: '',
            Key: keys.matchRun(this.tenantId, run.programId, run.id),
            UpdateExpression: `SET ${sets.join(', ')}${finished ? ' REMOVE GSI1PK, GSI1SK' : ''}`,
            ConditionExpression: `#status IN (${fromNames.join(', ')})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        onConditionFailed: () => new RunNotActiveError(run.id),
      },
    ];
    if (finished)
      ops.push({ item: { Delete: { TableName: '', Key: keys.activeRun(this.tenantId, run.programId) } } });
    await this.write(ops, event);
  }

  /** Writes the run's proposals; ids derive from the run, so a retried step overwrites, never duplicates. */
  async putProposals(runId: string, proposals: Proposal[]): Promise<void> {
    await batchWriteAll(
      this.db,
      proposals.map((p) => ({
        PutRequest: { Item: { ...keys.proposal(this.tenantId, runId, p.id), entity: 'proposal', ...p } },
      })),
    );
  }

  /** The named proposals of a run that exist, by id. */
  async getProposals(runId: string, ids: string[]): Promise<Map<string, Proposal>> {
    const items = await batchGetAll(
      this.db,
      [...new Set(ids)].map((id) => keys.proposal(this.tenantId, runId, id)),
      true,
    );
    return new Map(items.map((item) => toEntity(item, proposalSchema)).map((p) => [p.id, p]));
  }

  async listProposals(runId: string, page: PageRequest): Promise<Page<Proposal>> {
    return queryPage(
      this.db,
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.proposal(this.tenantId, runId, '').PK,
          ':prefix': collections.proposals,
        },
      },
      page,
      this.cursors,
      `${this.tenantId}|proposals|${runId}`,
      proposalSchema,
    );
  }

  async allProposals(runId: string): Promise<Proposal[]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.proposal(this.tenantId, runId, '').PK,
        ':prefix': collections.proposals,
      },
    });
    return items.map((item) => toEntity(item, proposalSchema));
  }

  /**
   * Records decisions, and with `approveAll` marks every undecided proposal approved (one update of
   * the run, not one per proposal). Each transaction re-checks that the run still awaits review; a
   * rejection is also remembered for the program's later runs.
   */
  async decide(
    run: Pick<MatchRun, 'id' | 'programId'>,
    decisions: { proposal: Proposal; decision: 'approved' | 'rejected' }[],
    options: { approveAll: boolean; now: string },
  ): Promise<void> {
    const runKey = keys.matchRun(this.tenantId, run.programId, run.id);
    const stillInReview = (): WriteOp => ({
      item: {
        ConditionCheck: {
          TableName: '',
          Key: runKey,
          ConditionExpression: '#status = :review',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':review': 'awaiting_review' },
        },
      },
      onConditionFailed: () => new RunNotActiveError(run.id),
    });
    const ops: WriteOp[][] = [];
    let batch: WriteOp[] = [];
    const push = (group: WriteOp[]) => {
      // One item of each transaction re-checks the run.
      if (batch.length + group.length > MAX_TRANSACTION_ITEMS - 1) {
        ops.push(batch);
        batch = [];
      }
      batch.push(...group);
    };
    for (const { proposal, decision } of decisions) {
      const group: WriteOp[] = [
        {
          item: {
            Update: {
              TableName: '',
              Key: keys.proposal(this.tenantId, run.id, proposal.id),
              UpdateExpression: 'SET decision = :decision',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(relationshipId)',
              ExpressionAttributeValues: { ':decision': decision },
            },
          },
          onConditionFailed: () => new ConflictError(`Proposal ${proposal.id} was already published`),
        },
      ];
      if (decision === 'rejected' && proposal.members.length === 2) {
        const [a, b] = proposal.members.map((m) => m.personId) as [string, string];
        group.push({
          item: {
            Put: { TableName: '', Item: { ...keys.rejectedPair(this.tenantId, run.programId, a, b), a, b } },
          },
        });
      }
      push(group);
    }
    if (options.approveAll)
      push([
        {
          item: {
            Update: {
              TableName: '',
              Key: runKey,
              UpdateExpression: 'SET approveAll = :yes, updatedAt = :now, #version = #version + :one',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':yes': true, ':now': options.now, ':one': 1 },
            },
          },
        },
      ]);
    if (batch.length) ops.push(batch);
    for (const transaction of ops) {
      // The approve-all update already conditions on the run item; a ConditionCheck on the same item would be refused.
      const checksRun = transaction.some((op) => op.item.Update?.Key === runKey);
      await this.write(checksRun ? withRunCondition(transaction, runKey) : [stillInReview(), ...transaction]);
    }
  }

  /** Which of the given pairs admins rejected in earlier runs of the program (batched key reads). */
  async rejectedAmong(programId: string, pairs: [string, string][]): Promise<[string, string][]> {
    const items = await batchGetAll(
      this.db,
      pairs.map(([a, b]) => keys.rejectedPair(this.tenantId, programId, a, b)),
    );
    return items.map((item) => [item.a as string, item.b as string]);
  }

  /** Pairs admins rejected in earlier runs of the program. */
  async rejectedPairs(programId: string): Promise<[string, string][]> {
    const items = await queryAll(this.db, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.rejectedPair(this.tenantId, programId, '', '').PK,
        ':prefix': collections.rejectedPairs,
      },
    });
    return items.map((item) => [item.a as string, item.b as string]);
  }
}

/** Puts the awaiting-review condition on the update of the run item itself. */
function withRunCondition(ops: WriteOp[], runKey: object): WriteOp[] {
  return ops.map((op) => {
    const update = op.item.Update;
    if (update?.Key !== runKey) return op;
    return {
      item: {
        Update: {
          ...update,
          ConditionExpression: '#status = :review',
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':review': 'awaiting_review' },
        },
      },
      onConditionFailed: () => new ConflictError('The run no longer awaits review'),
    };
  });
}

/**
 * The run was cancelled or finished meanwhile: a 409 for the API, and for the workflow an error
 * named RunCancelled, which its Retry policies do not retry.
 */
export class RunNotActiveError extends ConflictError {
  override readonly name = RUN_CANCELLED;
  constructor(runId: string) {
    super(`Run ${runId} is no longer active`);
  }
}

/** Unfinished runs across tenants (local runtime: the ones a restart interrupted). */
export async function listUnfinishedRuns(
  db: Db,
): Promise<{ tenantId: string; programId: string; runId: string }[]> {
  const items = await queryAll(db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': gsi1.unfinishedRuns },
  });
  return items.map((item) => {
    const [tenantId, programId, runId] = String(item.GSI1SK).split('#') as [string, string, string];
    return { tenantId, programId, runId };
  });
}
