/**
 * The local runners of both workflows, for `npm start` and the tests. Importing them loads neither
 * aws-cdk-lib nor the interpreter: each runner renders its ASL on its first start.
 */
export * from './local-runner.ts';
export * from './matching-run/local-runner.ts';
export * from './recognition/local-runner.ts';
