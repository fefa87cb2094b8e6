import { emptyTally, type QuestionCount, type ScheduleKind, type SurveyTally } from '@tandem/core';
import { keys } from './keys.ts';
import type { WriteOp } from './transact.ts';

/**
 * How a survey's tally is stored: counters as top-level number attributes, which `ADD` creates and
 * changes without reading them, so answers landing at once all count. The respondents' item holds
 * `r|<schedule>` and, from the survey's creation, `counted` (a survey created before tallies were
 * kept has no complete tally); each question's item holds `a|<schedule>` (answered) and
 * `v|<schedule>|<value>` (chosen).
 */
const COMPLETE = 'counted';

type Item = Record<string, unknown>;

/** Written with the survey: its tally starts at zero, complete. */
export function tallyStartPut(tenantId: string, programId: string, surveyId: string): WriteOp {
  return {
    item: {
      Put: {
        TableName: '',
        Item: { ...keys.surveyTally(tenantId, programId, surveyId), entity: 'surveyTally', [COMPLETE]: true },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  };
}

function addOp(key: ReturnType<typeof keys.surveyTally>, counters: [string, number][]): WriteOp {
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = { ':entity': 'surveyTally' };
  const terms = counters.map(([name, by], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = by;
    return `#c${i} :c${i}`;
  });
  return {
    item: {
      Update: {
        TableName: '',
        Key: key,
        UpdateExpression: `SET #entity = :entity ADD ${terms.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  };
}

/** The updates that add a change (see `tallyChange`) to the stored tally: one per item it touches. */
export function tallyChangeOps(
  tenantId: string,
  programId: string,
  surveyId: string,
  change: SurveyTally,
): WriteOp[] {
  const ops: WriteOp[] = [];
  if (change.respondents.size > 0)
    ops.push(
      addOp(
        keys.surveyTally(tenantId, programId, surveyId),
        [...change.respondents].map(([schedule, by]) => [`r|${schedule}`, by]),
      ),
    );
  for (const [questionId, bySchedule] of change.questions) {
    const counters: [string, number][] = [];
    for (const [schedule, counts] of bySchedule) {
      if (counts.answered !== 0) counters.push([`a|${schedule}`, counts.answered]);
      for (const [value, by] of counts.values) counters.push([`v|${schedule}|${value}`, by]);
    }
    if (counters.length > 0)
      ops.push(addOp(keys.surveyTally(tenantId, programId, surveyId, `Q#${questionId}`), counters));
  }
  return ops;
}

/** The tally in a survey's tally items, or undefined when it was not kept from the survey's creation. */
export function tallyFromItems(surveyKey: ReturnType<typeof keys.surveyTally>, items: Item[]) {
  const respondentsItem = items.find((item) => item.SK === surveyKey.SK);
  if (respondentsItem?.[COMPLETE] !== true) return undefined;
  const tally = emptyTally();
  for (const [name, value] of Object.entries(respondentsItem))
    if (name.startsWith('r|')) tally.respondents.set(name.slice(2) as ScheduleKind, Number(value));
  for (const item of items) {
    const sk = String(item.SK);
    if (!sk.startsWith(`${surveyKey.SK}Q#`)) continue;
    const bySchedule = new Map<ScheduleKind, QuestionCount>();
    const countsOf = (schedule: ScheduleKind) => {
      const counts = bySchedule.get(schedule) ?? { answered: 0, values: new Map<string, number>() };
      bySchedule.set(schedule, counts);
      return counts;
    };
    for (const [name, value] of Object.entries(item)) {
      const [kind, schedule] = name.split('|', 2) as [string, ScheduleKind];
      if (kind === 'a') countsOf(schedule).answered = Number(value);
      if (kind === 'v') countsOf(schedule).values.set(name.slice(`v|${schedule}|`.length), Number(value));
    }
    tally.questions.set(sk.slice(`${surveyKey.SK}Q#`.length), bySchedule);
  }
  return tally;
}
