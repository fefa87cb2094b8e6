/**
 * Runs `tick` again and again with a pause between runs until stopped. A failing tick is
 * reported and retried on the next round: background work must outlive a transient error.
 */
export function runLoop(
  tick: () => Promise<void>,
  options: { intervalMs: number; onError: (error: unknown) => void },
) {
  let stopped = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (error) {
        if (!stopped) options.onError(error);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs);
      });
    }
  })();
  return {
    /** Stops after the current round, waiting at most `graceMs` for it (its work is redone after a restart). */
    async stop(graceMs = 2_000) {
      stopped = true;
      wake?.();
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    },
  };
}
