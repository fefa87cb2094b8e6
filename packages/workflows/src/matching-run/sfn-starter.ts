import { type SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { executionName, type RunState, type WorkflowStarter } from './contract.ts';

/**
 * Starts matching runs on the deployed state machine. The execution is named after the run, so
 * starting the same run twice returns the same execution (Step Functions treats a repeated
 * StartExecution with the same name and input as idempotent); the execution id is its ARN.
 */
export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(state: RunState): Promise<{ executionId: string }> {
    const { executionArn } = await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionName(state),
        input: JSON.stringify(state),
      }),
    );
    if (!executionArn) throw new Error(`StartExecution of run ${state.runId} returned no execution ARN`);
    return { executionId: executionArn };
  }

  async stop(executionId: string): Promise<void> {
    await this.client.send(new StopExecutionCommand({ executionArn: executionId, cause: 'Run cancelled' }));
  }
}
