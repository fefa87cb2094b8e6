export * from './matching-run/asl.ts';
export * from './matching-run/definition.ts';
export * from './matching-run/local-runner.ts';
export * from './runtime.ts';
