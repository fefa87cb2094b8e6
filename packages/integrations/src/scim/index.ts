export * from './errors.ts';
export * from './filter.ts';
export * from './group.ts';
export * from './patch.ts';
export * from './schemas.ts';
export * from './user.ts';
