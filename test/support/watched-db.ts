import { createDocumentClient, createDynamoClient, type Db } from '@tandem/store';
import { inject } from 'vitest';
import { sharedDynamoEndpoint } from './shared-dynamodb.ts';

/** A command as a watcher sees it: its class name and its input. */
export interface SentCommand {
  constructor: { name: string };
  input: Record<string, any>;
}

/**
 * The run's table through a client that shows `watch` each command and what it answered: how tests
 * count what a request reads (items of a kind, items scanned, calls aimed at a partition).
 */
export function watchedDb(watch: (command: SentCommand, answer: Record<string, any>) => void): Db {
  const doc = createDocumentClient(createDynamoClient({ endpoint: sharedDynamoEndpoint() }));
  const send = doc.send.bind(doc) as (command: SentCommand) => Promise<Record<string, any>>;
  doc.send = (async (command: SentCommand) => {
    const answer = await send(command);
    watch(command, answer);
    return answer;
  }) as unknown as typeof doc.send;
  return { doc, tableName: inject('tableName') };
}
