export * from './delivery-worker.ts';
export * from './dynamodb-local.ts';
export * from './free-port.ts';
export * from './matching-runtime.ts';
export * from './server.ts';
export * from './stream-poller.ts';
export * from './webhook-runtime.ts';
