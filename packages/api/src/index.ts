export * from './app.ts';
export * from './auth/authorizer.ts';
export * from './auth/cache.ts';
export * from './auth/principal.ts';
export * from './auth/resolvers.ts';
export * from './auth/secrets.ts';
export * from './env.ts';
