/**
 * What Lambda functions, the API and the local runtime need at run time. The state machine's CDK
 * definition is `@tandem/workflows/definition`: importing aws-cdk-lib, even when tree-shaking drops
 * it, makes esbuild parse its thousands of files, so no runtime import reaches it by accident.
 */
export * from './blob-store/folder.ts';
export * from './blob-store/s3.ts';
export * from './matching-run/contract.ts';
export * from './matching-run/sfn-starter.ts';
export * from './matching-run/steps.ts';
