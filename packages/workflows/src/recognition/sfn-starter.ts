import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type RecognitionStart, type RecognitionStarter, recognitionExecutionName } from './contract.ts';

/**
 * Starts recognition workflows on the deployed state machine, named after the nomination or
 * award. A start repeated with other input (a restart of an award still being granted) finds the
 * execution that exists: that one is the award's workflow, so the start is done.
 */
export class SfnRecognitionStarter implements RecognitionStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(execution: RecognitionStart): Promise<{ executionId: string }> {
    const name = recognitionExecutionName(execution);
    const executionId = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(execution),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
    return { executionId };
  }
}
