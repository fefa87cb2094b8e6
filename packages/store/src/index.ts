export * from './bootstrap.ts';
export * from './client.ts';
export * from './table.ts';
