import type { Reaction } from '@tandem/app';
import { createLocalReactions } from '@tandem/local';
import { CURSOR_SECRET, testApp, testRecognition } from './app.ts';
import { ownDatabase } from './own-database.ts';

/**
 * The local reactions runtime (a stream reader of its own) on a database of its own, so its stream
 * sees only this test file's events, and an app wired to that table. `settle()` returns once
 * every event committed so far, and every event the reactions committed in turn, was reacted to.
 */
export async function reactionsRuntime(options: { now?: () => Date; reactions?: readonly Reaction[] } = {}) {
  const database = await ownDatabase();
  const { db, endpoint } = database;
  const recognition = testRecognition(db, options.now ? { now: options.now } : {});
  const runtime = createLocalReactions({
    dynamoEndpoint: endpoint,
    db,
    cursorSecret: CURSOR_SECRET,
    ...(options.now ? { clock: options.now } : {}),
    ...(options.reactions ? { reactions: options.reactions } : {}),
    recognition: recognition.starter,
    onError: () => {},
  });
  const app = testApp({ db, endpoint, recognition, ...(options.now ? { now: options.now } : {}) });
  return {
    app,
    db,
    /** The recognition workflows' local runner: `await recognition.runner.idle()` after settle(). */
    recognition,
    settle: () => runtime.settle(),
    async stop() {
      await runtime.stop();
      await database.stop();
    },
  };
}
