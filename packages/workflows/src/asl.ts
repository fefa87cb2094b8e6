import { App, Stack } from 'aws-cdk-lib';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { type CfnStateMachine, type DefinitionBody, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

/**
 * The Amazon States Language of a workflow, rendered offline by the same state machine construct
 * the infra stack deploys. Only the Task resources differ: they name placeholder functions,
 * because the local runner overrides every Task by its state name and never invokes them.
 */
export function synthesizeAsl<Step extends string>(
  name: string,
  steps: readonly Step[],
  definition: (scope: Construct, functions: Record<Step, IFunction>) => DefinitionBody,
): object {
  const stack = new Stack(new App(), `${name}Asl`);
  const functions = Object.fromEntries(
    steps.map((step) => [
      step,
      LambdaFunction.fromFunctionArn(
        stack,
        step,
        `arn:aws:lambda:us-east-1:123456789012:function:tandem-local-${name}-${step}`,
      ),
    ]),
  ) as Record<Step, IFunction>;
  const stateMachine = new StateMachine(stack, name, { definitionBody: definition(stack, functions) });
  const rendered: unknown = stack.resolve(
    (stateMachine.node.defaultChild as CfnStateMachine).definitionString,
  );
  if (typeof rendered !== 'string') throw new Error(`The ${name} definition did not render to plain JSON`);
  return JSON.parse(rendered);
}
