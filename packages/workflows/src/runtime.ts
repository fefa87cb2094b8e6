/**
 * Everything the Lambda functions and the API need at run time, without the state machine
 * definition: importing aws-cdk-lib, even when tree-shaking drops it from the bundle, makes
 * esbuild parse its ~3,000 files (about 8 s per function bundle on a 2-core machine).
 */
export * from './blob-store/folder.ts';
export * from './blob-store/s3.ts';
export * from './matching-run/contract.ts';
export * from './matching-run/manual-match.ts';
export * from './matching-run/participants.ts';
export * from './matching-run/publish.ts';
export * from './matching-run/sfn-starter.ts';
export * from './matching-run/snapshot.ts';
export * from './matching-run/steps.ts';
