import type { CsvValue, Relationship, SurveyResponse } from '@tandem/core';
import type { MeetingRow } from '@tandem/store';
import type { TenantContext } from '../context.ts';
import { inOrder } from './in-order.ts';

/** Items read per page of an export's query. */
const PAGE = 1000;
/** Relationships whose meetings' rows are entered into the program's meeting rows at once. */
const MEETING_READS_IN_FLIGHT = 32;

/** A program export: its header, then its records one by one, never the whole program in memory. */
export interface CsvExport {
  columns: readonly string[];
  rows: AsyncGenerator<CsvValue[]>;
}

const memberList = (r: Relationship, role?: string) =>
  r.members
    .filter((m) => role === undefined || m.role === role)
    .map((m) => m.personId)
    .join(' ');

/** One row per relationship of the program: members by role, status, lifecycle times, why it ended. */
export async function exportRelationships(ctx: TenantContext, programId: string): Promise<CsvExport> {
  await ctx.store.programs.get(programId);
  return {
    columns: [
      'relationshipId',
      'status',
      'source',
      'mentors',
      'mentees',
      'peers',
      'score',
      'startedAt',
      'activatedAt',
      'endedAt',
      'endReason',
      'createdAt',
    ],
    rows: (async function* () {
      for await (const page of relationshipPages(ctx, programId))
        for (const r of page)
          yield [
            r.id,
            r.status,
            r.source,
            memberList(r, 'mentor'),
            memberList(r, 'mentee'),
            memberList(r, 'peer'),
            r.score,
            r.startedAt,
            r.activatedAt,
            r.endedAt,
            r.endReason,
            r.createdAt,
          ];
    })(),
  };
}

/**
 * One row per meeting of the program's relationships, by relationship and then in order of
 * creation: when, how long, what happened, who attended and the topics. Private notes are never
 * part of it, and shared notes stay in the relationship's workspace: the export is for measuring
 * the program, not for reading notes.
 *
 * The rows come from the program's meeting rows, written with each meeting. A program with
 * meetings from before there were rows is read relationship by relationship once, writing their
 * rows as they are read; when that export completes, the program is marked as having its rows and
 * later exports read them.
 */
export async function exportMeetings(ctx: TenantContext, programId: string): Promise<CsvExport> {
  const [, hasRows] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.meetings.programHasRows(programId),
  ]);
  return {
    columns: [
      'meetingId',
      'relationshipId',
      'status',
      'startsAt',
      'durationMinutes',
      'timeZone',
      'attended',
      'absent',
      'topics',
      'scheduledBy',
      'loggedAt',
    ],
    rows: (async function* () {
      for await (const m of programMeetingRows(ctx, programId, hasRows)) yield meetingRow(m);
    })(),
  };
}

/**
 * The row of every meeting of a program (`hasRows`: `meetings.programHasRows`). A program with
 * meetings from before there were rows is read relationship by relationship once, writing their
 * rows as they are read; once that read completes, the program is marked as having its rows and
 * later reads take them from there.
 */
export async function* programMeetingRows(
  ctx: TenantContext,
  programId: string,
  hasRows: boolean,
): AsyncGenerator<MeetingRow> {
  if (hasRows) {
    yield* await ctx.store.meetings.rowsOfProgram(programId);
    return;
  }
  const meetings = inOrder(relationshipIds(ctx, programId), MEETING_READS_IN_FLIGHT, (id) =>
    ctx.store.meetings.rowsIntoProgram(programId, id),
  );
  for await (const list of meetings) yield* list;
  await ctx.store.meetings.markProgramHasRows(programId);
}

function meetingRow(m: MeetingRow): CsvValue[] {
  const attendance = m.attendance ?? [];
  return [
    m.id,
    m.relationshipId,
    m.status,
    m.startsAt,
    m.durationMinutes,
    m.timeZone,
    attendance
      .filter((a) => a.attended)
      .map((a) => a.personId)
      .join(' '),
    attendance
      .filter((a) => !a.attended)
      .map((a) => a.personId)
      .join(' '),
    (m.topics ?? []).join('; '),
    m.scheduledBy,
    m.loggedAt,
  ];
}

/** The program's relationships, a page at a time. */
export async function* relationshipPages(
  ctx: TenantContext,
  programId: string,
): AsyncGenerator<Relationship[]> {
  let cursor: string | undefined;
  do {
    const page = await ctx.store.relationships.list(
      { programId },
      { limit: PAGE, ...(cursor ? { cursor } : {}) },
    );
    if (page.items.length) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export async function* relationshipIds(ctx: TenantContext, programId: string): AsyncGenerator<string> {
  for await (const page of relationshipPages(ctx, programId)) for (const r of page) yield r.id;
}

/**
 * One row per answer of the program's survey responses (long format: a response of five answers is
 * five rows), oldest response first. In an identified program each row names the respondent and
 * their relationship. In an anonymous program no row names anyone, free-text answers (which can
 * identify their author) are left out, and when fewer than `k` people responded the export has
 * its header only, as every other output of an anonymous program suppresses such a slice.
 */
export async function exportSurveyResponses(ctx: TenantContext, programId: string): Promise<CsvExport> {
  const [program, surveys] = await Promise.all([
    ctx.store.programs.get(programId),
    ctx.store.surveys.all(programId),
  ]);
  const anonymous = program.anonymity.mode === 'anonymous';
  const kinds = new Map(
    surveys.flatMap((survey) => survey.questions.map((q) => [`${survey.id}#${q.id}`, q.kind] as const)),
  );
  const responses = () => pagesOf((page) => ctx.store.surveyResponses.ofProgram(programId, page));
  let suppressed = false;
  if (anonymous) {
    const respondents = new Set<string>();
    for await (const response of responses()) respondents.add(response.personId);
    suppressed = respondents.size < program.anonymity.k;
  }
  return {
    columns: [
      'responseId',
      'surveyId',
      'scheduleKind',
      'personId',
      'relationshipId',
      'submittedAt',
      'questionId',
      'questionKind',
      'value',
    ],
    rows: (async function* () {
      if (suppressed) return;
      for await (const response of responses())
        for (const answer of response.answers) {
          const kind = kinds.get(`${response.surveyId}#${answer.questionId}`);
          if (anonymous && kind === 'free_text') continue;
          yield answerRow(response, answer, kind, anonymous);
        }
    })(),
  };
}

function answerRow(
  response: SurveyResponse,
  answer: SurveyResponse['answers'][number],
  kind: string | undefined,
  anonymous: boolean,
): CsvValue[] {
  return [
    response.id,
    response.surveyId,
    response.scheduleKind,
    anonymous ? undefined : response.personId,
    anonymous ? undefined : response.relationshipId,
    response.submittedAt,
    answer.questionId,
    kind,
    Array.isArray(answer.value) ? answer.value.join('; ') : (answer.value as CsvValue),
  ];
}

async function* pagesOf<T>(
  read: (page: { limit: number; cursor?: string }) => Promise<{ items: T[]; nextCursor: string | null }>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await read({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
