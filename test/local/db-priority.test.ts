import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DbPriority } from '@tandem/local';
import { createDynamoClient } from '@tandem/store';
import { expect, test, vi } from 'vitest';
import { sharedDynamoEndpoint } from '../support/shared-dynamodb.ts';

const endpoint = sharedDynamoEndpoint();

/** A client whose operations are counted once they pass every earlier middleware (the priority's). */
function recorded(client: ReturnType<typeof createDynamoClient>, hold?: Promise<void>) {
  const seen = { sent: 0, inFlight: 0, maxInFlight: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.sent++;
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      try {
        await hold;
        return await next(args);
      } finally {
        seen.inFlight--;
      }
    },
    { step: 'deserialize', name: 'recorded' },
  );
  return seen;
}

test('background operations wait while a request’s operation is outstanding, then go a few at a time', async () => {
  // A long yield, so only the request's end (never the deadline) lets background work go here.
  const priority = new DbPriority(60_000);
  const api = priority.foregroundOf(createDynamoClient({ endpoint }));
  const worker = priority.backgroundOf(createDynamoClient({ endpoint }), 2);
  let finishRequest = () => {};
  const request = recorded(api, new Promise<void>((resolve) => (finishRequest = resolve)));
  const background = recorded(worker);
  const plain = createDynamoClient({ endpoint });

  const answered = api.send(new ListTablesCommand({}));
  await vi.waitFor(() => expect(request.inFlight).toBe(1));
  const work = Array.from({ length: 6 }, () => worker.send(new ListTablesCommand({})));
  // Round trips of a client outside the priority: time passes, DynamoDB Local answers others.
  for (let i = 0; i < 3; i++) await plain.send(new ListTablesCommand({}));
  expect(background.sent).toBe(0);

  finishRequest();
  await answered;
  await Promise.all(work);
  expect(background.sent).toBe(6);
  expect(background.maxInFlight).toBe(2);
  for (const client of [api, worker, plain]) client.destroy();
});
