/**
 * The SQS delivery queue is `@tandem/webhooks/sqs-queue`, a module of its own so that the API
 * function can load it (and the SQS client under it) with a dynamic import on first use.
 */
export * from './deliver.ts';
export * from './policy.ts';
export * from './post.ts';
export * from './queue.ts';
export * from './recover.ts';
export * from './relay.ts';
export * from './schedule.ts';
export * from './signing.ts';
export * from './ssrf.ts';
