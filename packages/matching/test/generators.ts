import fc from 'fast-check';
import { mulberry32, type Rng } from '../src/random.ts';
import type { Participant, ProgramFormat, ProgramSettings, Weekday } from '../src/types.ts';

const departments = ['Engineering', 'Sales', 'Operations'];
const skills = ['negotiation', 'public speaking', 'typescript', 'budgeting', 'design'];
const goals = [
  'Become an engineering manager',
  'Move into engineering management',
  'Lead a sales team',
  'Grow as a public speaker',
  'Start a design practice',
];
const interests = ['hiking', 'chess', 'cooking', 'running', 'jazz'];
const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const maybe = (rng: Rng, p = 0.75) => rng() < p;
const subset = <T>(rng: Rng, items: readonly T[], p = 0.35) => items.filter(() => rng() < p);

export interface InstanceShape {
  seed: number;
  n: number;
}

/** A random but fully specified participant set, reproducible from its seed. */
export function randomParticipants(shape: InstanceShape, format: ProgramFormat): Participant[] {
  const rng = mulberry32(shape.seed);
  const people: Participant[] = [];
  for (let i = 0; i < shape.n; i++) {
    const role = format === 'one_to_one' ? (rng() < 0.45 ? 'mentor' : 'mentee') : 'peer';
    const person: Participant = { id: `p${i}`, name: `P${i}`, role };
    if (maybe(rng, 0.85)) person.department = pick(rng, departments);
    if (i > 0 && maybe(rng, 0.3)) person.managerId = `p${Math.floor(rng() * i)}`;
    person.skillsOffered = subset(rng, skills).map((name) => ({ name, level: 1 + Math.floor(rng() * 5) }));
    person.skillsWanted = subset(rng, skills).map((name) =>
      maybe(rng, 0.5) ? { name, targetLevel: 1 + Math.floor(rng() * 5) } : { name },
    );
    person.careerGoals = subset(rng, goals, 0.3);
    person.interests = subset(rng, interests, 0.4);
    if (maybe(rng, 0.6)) {
      const background: Record<string, string> = {};
      if (maybe(rng)) background.country = pick(rng, ['BR', 'DE', 'IN']);
      if (maybe(rng)) background.firstGeneration = pick(rng, ['yes', 'no']);
      person.background = background;
    }
    if (maybe(rng)) person.utcOffsetMinutes = pick(rng, [-300, 0, 60, 330]);
    if (maybe(rng, 0.6))
      person.availability = [
        {
          day: pick(rng, days),
          start: pick(rng, ['08:00', '09:30', '13:00']),
          end: pick(rng, ['14:00', '17:00']),
        },
      ];
    if (maybe(rng)) person.languages = subset(rng, ['en', 'de', 'pt-BR'], 0.6);
    if (maybe(rng, 0.8)) person.experienceYears = Math.floor(rng() * 15);
    if (role === 'mentor') person.capacity = Math.floor(rng() * 4);
    people.push(person);
  }
  for (const person of people) {
    if (maybe(rng, 0.25)) person.previousPartnerIds = [pick(rng, people).id];
    if (maybe(rng, 0.15)) person.blockedIds = [pick(rng, people).id];
  }
  return people;
}

export const shapes = (maxN = 9, minN = 2) =>
  fc.record({ seed: fc.integer(), n: fc.integer({ min: minN, max: maxN }) });

export const ruleSettings = fc.record({
  crossDepartmentOnly: fc.boolean(),
  excludeSameReportingLine: fc.boolean(),
  excludePreviousPartners: fc.boolean(),
  experienceGap: fc.option(
    fc.record({ min: fc.integer({ min: -3, max: 2 }), max: fc.integer({ min: 3, max: 12 }) }),
    {
      nil: undefined,
    },
  ),
  weights: fc.option(
    fc.record({
      skills: fc.double({ min: 0, max: 1, noNaN: true }),
      goals: fc.double({ min: 0, max: 1, noNaN: true }),
      crossFunctional: fc.double({ min: 0, max: 1, noNaN: true }),
      diversity: fc.double({ min: 0, max: 1, noNaN: true }),
      practical: fc.double({ min: 0.01, max: 1, noNaN: true }),
      experience: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { nil: undefined },
  ),
});

export type RuleSettings = Omit<ProgramSettings, 'format'>;
