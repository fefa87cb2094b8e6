import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, in the order they should start. Vitest starts the files it has
 * timed before longest first, but a clean clone (CI) has no timings and starts the largest files
 * first, which put these late: two workers then finished far apart, and `six-months` took ten
 * times as long late in the run as early (344 s against 39 s in two runs of the same commit).
 */
const LONGEST = [
  'test/api/contract-fuzz.test.ts',
  'test/analytics/six-months.test.ts',
  'test/infra/api.test.ts',
  'test/local/npm-start.test.ts',
  'test/local/webhooks-restart.test.ts',
  'test/webhooks/retries.test.ts',
  'test/api/privacy.test.ts',
  'test/recognition/milestone-rules.test.ts',
  'test/webhooks/rotation-and-ssrf.test.ts',
  'test/analytics/report.test.ts',
];

const rank = (spec: TestSpecification) => {
  const at = LONGEST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
  return at < 0 ? LONGEST.length : at;
};

/** Vitest's own order (projects, then timings or sizes), with the known longest files first. */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Projects keep their turn (the first position vitest gave each), then the known files lead.
    const projectTurn = new Map<string, number>();
    sorted.forEach((spec, index) => {
      if (!projectTurn.has(spec.project.name)) projectTurn.set(spec.project.name, index);
    });
    const key = (spec: TestSpecification, index: number) =>
      [projectTurn.get(spec.project.name)!, rank(spec), index] as const;
    return sorted
      .map((spec, index) => ({ spec, key: key(spec, index) }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2])
      .map(({ spec }) => spec);
  }
}
