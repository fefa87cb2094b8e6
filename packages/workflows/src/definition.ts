/** The state machines as CDK chainables and their offline ASL (the local runners are `@tandem/workflows/local`). */
export * from './asl.ts';
export * from './matching-run/asl.ts';
export * from './matching-run/definition.ts';
export * from './recognition/asl.ts';
export * from './recognition/definition.ts';
