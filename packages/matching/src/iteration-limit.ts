/**
 * Thrown when a solver loop runs past a bound derived from its input's size, one that valid input
 * never reaches. A solver bug (a miscounted capacity, a cycle in a predecessor chain) would
 * otherwise spin forever: a synchronous loop cannot be interrupted by a test's timeout, and a
 * Lambda would burn its whole timeout before failing without a word.
 */
export class IterationLimitError extends Error {
  readonly loop: string;
  readonly limit: number;

  constructor(loop: string, limit: number) {
    super(`${loop}: more than ${limit} iterations, which no valid input needs; this is a solver bug`);
    this.name = 'IterationLimitError';
    this.loop = loop;
    this.limit = limit;
  }
}
