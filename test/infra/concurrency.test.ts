import { describe, expect, it } from 'vitest';
import { readStages, stageNames } from '../../infra/stage-config.ts';
import { cdkContext, synthStage } from './synth.ts';

const reservedByName = (stage: string) =>
  Object.fromEntries(
    Object.values<any>(synthStage(stage as 'dev').template.findResources('AWS::Lambda::Function'))
      .filter((fn) => fn.Properties.FunctionName)
      .map((fn) => [
        fn.Properties.FunctionName.replace(`tandem-${stage}-`, ''),
        fn.Properties.ReservedConcurrentExecutions,
      ]),
  );

describe.each(stageNames)('reserved concurrency (%s)', (stage) => {
  it('reserves the stage’s concurrency for every function', () => {
    const c = cdkContext.stages[stage].concurrency;
    expect(reservedByName(stage)).toEqual({
      api: c.api,
      authorizer: c.authorizer,
      'webhook-relay': c.webhookRelay,
      'webhook-delivery': c.webhookDelivery,
      'matching-snapshot': c.matchingStep,
      'matching-score-chunk': c.matchingScore,
      'matching-solve': c.matchingStep,
      'matching-stage': c.matchingStep,
      'matching-publish': c.matchingStep,
      'matching-record-failure': c.matchingStep,
      'secret-rotation': c.secretRotation,
      'scheduled-job': c.scheduledJob,
      'event-reactions': c.eventReactions,
      'hris-worker': c.hrisWorker,
      'recognition-evaluate': c.recognitionStep,
      'recognition-grant': c.recognitionStep,
      'recognition-certify': c.recognitionStep,
      'recognition-announce': c.recognitionStep,
      'recognition-record-failure': c.recognitionStep,
    });
  });
});

describe('reserved concurrency across stages', () => {
  it('leaves Lambda its 100 unreserved executions of a 1,000 account even when all stages share it', () => {
    const total = stageNames
      .map((stage) => Object.values<number>(reservedByName(stage)).reduce((sum, n) => sum + n, 0))
      .reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(900);
  });

  it('refuses a stage that reserves more than an account can', () => {
    const greedy = structuredClone(cdkContext.stages);
    greedy.prod.concurrency.api = 900;
    expect(() => readStages(greedy)).toThrow(/900[\s\S]*at prod\.concurrency/);
  });
});
