/**
 * The one definition of Tandem's single table. CDK (infra/) and the local bootstrap
 * (packages/local) both build the table from this, so keys, indexes, TTL and stream
 * can never drift between AWS and `npm start`.
 */
export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalSecondaryIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  timeToLiveAttribute: 'expiresAt',
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = TableDefinition['globalSecondaryIndexes'][number]['indexName'];
