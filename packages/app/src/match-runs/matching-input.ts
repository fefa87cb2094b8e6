import type { Enrollment, MatchRun, Person, Program } from '@tandem/core';
import type { MatchingInput, Participant, ProgramSettings } from '@tandem/matching';

export interface ProgramSnapshot {
  program: Program;
  run: Pick<MatchRun, 'options' | 'format'>;
  enrollments: Enrollment[];
  /** Enrolled people and, for reporting lines, the managers above them. */
  people: Map<string, Person>;
  rejectedPairs: [string, string][];
  previousPartners: Map<string, Set<string>>;
  now: Date;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** The zone's offset from UTC at `at`, in minutes (matching compares time zones as offsets). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

function managerChain(person: Person, people: Map<string, Person>): string[] {
  const chain: string[] = [];
  let next = person.managerId;
  while (next && !chain.includes(next) && chain.length < 50) {
    chain.push(next);
    next = people.get(next)?.managerId;
  }
  return chain;
}

/**
 * Maps what Tandem stores onto the matching engine's input: the enrollment's skills override
 * the profile, time zones become offsets at the program's start, tenure becomes experience, and
 * earlier partners and rejected pairs become exclusions.
 */
export function toMatchingInput(snapshot: ProgramSnapshot): MatchingInput {
  const { program, run, people, now } = snapshot;
  const at = program.startDate ? new Date(`${program.startDate}T12:00:00Z`) : now;
  const blocked = new Map<string, string[]>();
  for (const [a, b] of snapshot.rejectedPairs) {
    blocked.set(a, [...(blocked.get(a) ?? []), b]);
    blocked.set(b, [...(blocked.get(b) ?? []), a]);
  }
  const participants: Participant[] = snapshot.enrollments.map((enrollment) => {
    const person = people.get(enrollment.personId);
    if (!person) throw new Error(`Enrolled person ${enrollment.personId} is missing`);
    return {
      id: person.id,
      name: person.name,
      role: enrollment.role,
      ...(person.department ? { department: person.department } : {}),
      managerChain: managerChain(person, people),
      skillsOffered: enrollment.skillsOffered ?? person.skillsOffered,
      skillsWanted: enrollment.skillsWanted ?? person.skillsWanted,
      careerGoals: [...person.careerGoals, ...enrollment.goals],
      interests: person.interests,
      ...(person.background ? { background: person.background } : {}),
      ...(person.timezone ? { utcOffsetMinutes: utcOffsetMinutes(person.timezone, at) } : {}),
      ...(enrollment.availability?.slots.length ? { availability: enrollment.availability.slots } : {}),
      languages: person.languages,
      ...(person.hireDate
        ? { experienceYears: Math.max(0, (at.getTime() - Date.parse(person.hireDate)) / YEAR_MS) }
        : {}),
      ...(enrollment.role === 'mentor'
        ? { capacity: enrollment.capacity ?? program.capacity.defaultMentorCapacity }
        : {}),
      previousPartnerIds: [...(snapshot.previousPartners.get(person.id) ?? [])],
      blockedIds: blocked.get(person.id) ?? [],
      ...(enrollment.preferences ? { preferences: enrollment.preferences } : {}),
    };
  });
  const rules = program.matching;
  const settings: ProgramSettings = {
    format: run.format,
    weights: { ...rules.weights, ...run.options.weights },
    crossDepartmentOnly: rules.crossDepartmentOnly,
    excludeSameReportingLine: rules.excludeSameReportingLine,
    excludePreviousPartners: rules.excludePreviousPartners,
    ...(rules.maxExperienceGapYears !== undefined
      ? { experienceGap: { max: rules.maxExperienceGapYears } }
      : {}),
    ...(program.capacity.circleSize ? { circleSize: program.capacity.circleSize } : {}),
    preferences: {
      use:
        run.options.algorithm === 'stable'
          ? 'always'
          : run.options.algorithm === 'optimal'
            ? 'never'
            : 'auto',
    },
    ...(run.options.seed !== undefined ? { seed: run.options.seed } : {}),
  };
  return { participants, settings };
}
