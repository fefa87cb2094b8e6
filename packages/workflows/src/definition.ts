/** The state machines as CDK chainables, their offline ASL, and the local runner that executes them. */
export * from './asl.ts';
export * from './local-runner.ts';
export * from './matching-run/asl.ts';
export * from './matching-run/definition.ts';
export * from './matching-run/local-runner.ts';
export * from './recognition/asl.ts';
export * from './recognition/definition.ts';
export * from './recognition/local-runner.ts';
