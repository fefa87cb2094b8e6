/**
 * npm run bench:survey-results [-- --responses 20000 --rounds 15]
 *
 * A survey's results read from its tally against summed from every response (what every read did
 * before tallies were kept, and still does for a survey created before them). One survey, its
 * responses and its tally written once; the arms take turns, alternating which goes first, by
 * setting and removing the tally's `counted` mark between reads. Both arms must give the same
 * results. Calls the use case in process, on one DynamoDB Local.
 */
import { deepStrictEqual } from 'node:assert';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createProgram, createSurvey, getSurveyResults } from '@tandem/app';
import {
  newId,
  programInput,
  type ScheduleKind,
  type SurveyResponse,
  surveyInput,
  tallyOf,
} from '@tandem/core';
import { gsi1, keys } from '@tandem/store';
import { benchTenant } from './bench-tenant.ts';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RESPONSES = arg('--responses', 20_000);
const ROUNDS = arg('--rounds', 15);
const WARMUP = 2;

const { dynamo, db, tenantId, store, ctx } = await benchTenant('tandem-bench-survey-results');

const program = await createProgram(ctx, programInput.parse({ name: 'Impact', format: 'peer_pairs' }));
const survey = await createSurvey(
  ctx,
  program.id,
  surveyInput.parse({
    title: 'Mentoring impact',
    questions: [
      { id: 'confidence', kind: 'likert', prompt: 'How confident are you giving feedback?' },
      { id: 'recommend', kind: 'nps', prompt: 'Would you recommend the program?' },
      { id: 'focus', kind: 'single_choice', prompt: 'Main focus?', options: ['Career', 'Skills', 'Network'] },
      { id: 'topics', kind: 'multiple_choice', prompt: 'Topics?', options: ['a', 'b', 'c', 'd'] },
      { id: 'why', kind: 'free_text', prompt: 'Why?', required: false },
    ],
    schedules: [{ kind: 'pre_program' }, { kind: 'pulse', everyDays: 30 }, { kind: 'close_out' }],
  }),
);

const schedules: ScheduleKind[] = ['pre_program', 'pulse', 'close_out'];
/** One to four topics, varying with the respondent. */
const topicsOf = (i: number) => ['a', 'b', 'c', 'd'].filter((_, k) => k === 0 || ((i >> k) & 1) === 1);
const at = new Date().toISOString();
const responses: SurveyResponse[] = Array.from({ length: RESPONSES }, (_, i) => ({
  id: newId('surveyResponse'),
  programId: program.id,
  surveyId: survey.id,
  instanceId: newId('surveyInstance'),
  scheduleKind: schedules[i % 3]!,
  personId: newId('person'),
  submittedAt: at,
  answers: [
    { questionId: 'confidence', value: 1 + (i % 5) },
    { questionId: 'recommend', value: (i * 7) % 11 },
    { questionId: 'focus', value: ['Career', 'Skills', 'Network'][i % 3]! },
    { questionId: 'topics', value: topicsOf(i) },
    { questionId: 'why', value: `Answer of person ${i}, in their own words.` },
  ],
  createdAt: at,
  updatedAt: at,
  version: 1,
}));

const seeding = performance.now();
const items = responses.map((response) => ({
  ...keys.surveyResponse(tenantId, response.id),
  GSI1PK: gsi1.surveyResponses(tenantId, program.id),
  GSI1SK: `${response.surveyId}#${response.id}`,
  entity: 'surveyResponse',
  ...response,
}));
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < items.length) {
      const batch = items.slice(next, next + 25);
      next += 25;
      let unprocessed = { [db.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
      while (unprocessed[db.tableName]?.length) {
        const { UnprocessedItems } = await db.doc.send(new BatchWriteCommand({ RequestItems: unprocessed }));
        unprocessed = (UnprocessedItems ?? {}) as typeof unprocessed;
      }
    }
  }),
);
// The tally the answers' transactions would have kept, added in one go.
for (const op of await store.surveys.tallyOps(survey, tallyOf(survey.questions, responses)))
  await db.doc.send(new UpdateCommand({ ...op.item.Update!, TableName: db.tableName }));
console.log(`seeded ${RESPONSES} responses in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

const counted = (on: boolean) =>
  db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.surveyTally(tenantId, program.id, survey.id),
      UpdateExpression: on ? 'SET counted = :on' : 'REMOVE counted',
      ...(on ? { ExpressionAttributeValues: { ':on': true } } : {}),
    }),
  );

type Arm = 'tally' | 'responses';
const samples: Record<Arm, number[]> = { tally: [], responses: [] };
const results: Partial<Record<Arm, unknown>> = {};
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const order: Arm[] = round % 2 ? ['responses', 'tally'] : ['tally', 'responses'];
  for (const arm of order) {
    await counted(arm === 'tally');
    const started = performance.now();
    results[arm] = await getSurveyResults(ctx, program.id, survey.id);
    const elapsed = performance.now() - started;
    if (round >= WARMUP) samples[arm].push(elapsed);
  }
}
deepStrictEqual(results.tally, results.responses);

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
};
const tally = stats(samples.tally);
const summed = stats(samples.responses);
console.log(`survey results, ${RESPONSES} responses, ${ROUNDS} rounds interleaved (after ${WARMUP} warm-up)`);
console.log(
  `  from the tally          min ${tally.min.toFixed(1)} ms   median ${tally.median.toFixed(1)} ms`,
);
console.log(
  `  from every response     min ${summed.min.toFixed(1)} ms   median ${summed.median.toFixed(1)} ms`,
);
console.log(
  `  ratio (median)          ${(summed.median / tally.median).toFixed(1)}×; both arms gave the same results`,
);
await dynamo.stop();
