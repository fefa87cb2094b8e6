import { App, Stack } from 'aws-cdk-lib';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { type CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { type MatchingStep, matchingSteps } from './contract.ts';
import { matchingRunDefinition } from './definition.ts';

/**
 * The Amazon States Language of the matching run, rendered offline by the same state machine
 * construct the infra stack deploys. Only the Task resources differ: they name placeholder functions,
 * because the local runner overrides every Task by its state name and never invokes them.
 */
export function synthesizeMatchingAsl(): object {
  const stack = new Stack(new App(), 'MatchingRunAsl');
  const functions = Object.fromEntries(
    matchingSteps.map((step) => [
      step,
      LambdaFunction.fromFunctionArn(
        stack,
        step,
        `arn:aws:lambda:us-east-1:123456789012:function:tandem-local-matching-${step}`,
      ),
    ]),
  ) as Record<MatchingStep, IFunction>;
  const stateMachine = new StateMachine(stack, 'MatchingRun', {
    definitionBody: matchingRunDefinition(stack, functions),
  });
  const definition: unknown = stack.resolve(
    (stateMachine.node.defaultChild as CfnStateMachine).definitionString,
  );
  if (typeof definition !== 'string')
    throw new Error('The matching-run definition did not render to plain JSON');
  return JSON.parse(definition);
}
