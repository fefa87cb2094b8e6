/**
 * Runs `tick` again and again with a pause between runs until stopped. A failing tick is
 * reported and retried on the next round: background work must outlive a transient error.
 */
export function runLoop(
  tick: () => Promise<void>,
  options: { intervalMs: number; onError: (error: unknown) => void },
) {
  let stopped = false;
  // A wake that arrives mid-tick skips the next pause instead of being lost.
  let woken = false;
  let endPause: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      woken = false;
      try {
        await tick();
      } catch (error) {
        if (!stopped) options.onError(error);
      }
      if (stopped) break;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        endPause = resolve;
        setTimeout(resolve, options.intervalMs);
      });
    }
  })();
  return {
    /** Starts the next round now: work is known to be waiting. */
    wake() {
      woken = true;
      endPause?.();
    },
    /** Stops after the current round, waiting at most `graceMs` for it (its work is redone after a restart). */
    async stop(graceMs = 2_000) {
      stopped = true;
      endPause?.();
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, graceMs))]);
    },
  };
}
