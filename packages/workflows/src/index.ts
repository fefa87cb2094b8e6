/**
 * What Lambda functions, the API and the local runtime need at run time. The state machine's CDK
 * definition is `@tandem/workflows/definition`: importing aws-cdk-lib, even when tree-shaking drops
 * it, makes esbuild parse its thousands of files, so no runtime import reaches it by accident.
 * The Step Functions starter is `@tandem/workflows/sfn-starter`, a module of its own so that the API
 * function can load it (and the SFN client under it) with a dynamic import on first use.
 */
export * from './blob-store/folder.ts';
export * from './blob-store/s3.ts';
export * from './matching-run/contract.ts';
export * from './matching-run/steps.ts';
export * from './recognition/contract.ts';
export * from './recognition/steps.ts';
