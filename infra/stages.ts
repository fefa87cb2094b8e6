import type { App } from 'aws-cdk-lib';
import { readStages, selectStages } from './stage-config.ts';
import { TandemStack } from './tandem-stack.ts';

/** Adds the stack of each selected stage (`-c stage=<name>`, or all of them) to the app. */
export function addStages(app: App): TandemStack[] {
  const stages = readStages(app.node.tryGetContext('stages'));
  return selectStages(app.node.tryGetContext('stage')).map((stage) => {
    const config = stages[stage];
    return new TandemStack(app, `Tandem-${stage}`, {
      stage,
      config,
      ...(config.account || config.region ? { env: { account: config.account, region: config.region } } : {}),
    });
  });
}
