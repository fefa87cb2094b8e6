/** The matching-run state machine as CDK chainables, its offline ASL, and the local runner that executes it. */
export * from './matching-run/asl.ts';
export * from './matching-run/definition.ts';
export * from './matching-run/local-runner.ts';
