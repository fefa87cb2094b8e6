export { API_KEY_PREFIX, generateSecret, hashSecret, OPERATOR_KEY_PREFIX } from '@tandem/core';
export * from './app.ts';
export * from './auth/authorizer.ts';
export * from './auth/cache.ts';
export * from './auth/principal.ts';
export * from './auth/resolvers.ts';
export * from './env.ts';
export { TokenBuckets } from './http/rate-limit.ts';
