import { AVAILABILITY_WORDS, type CompiledProgram, type Csr, ROLE_MENTOR } from './profiles.ts';
import { criteria } from './types.ts';

/** Unknown data scores neutrally so that not sharing something neither helps nor hurts. */
export const NEUTRAL = 0.5;
/** Covering this many of someone's wanted skills (fully) counts as complete complementarity. */
export const SKILL_SATURATION = 3;
/** Goals weigh more than interests within the goals criterion. */
export const GOAL_SHARE = 0.6;
/** A working day: time zones this many minutes apart share no working hours. */
export const TIMEZONE_WINDOW = 480;
/** Two hours a week of common availability is enough to meet. */
export const AVAILABILITY_ENOUGH_CELLS = 4;
/** Mentors this many years ahead of their mentee get the full experience score. */
export const MENTOR_LEAD_YEARS = 3;
/** Peers this many years apart get no experience score unless the program allows a wider gap. */
export const PEER_GAP_SCALE = 10;

export const SKILLS = 0;
export const GOALS = 1;
export const CROSS = 2;
export const DIVERSITY = 3;
export const PRACTICAL = 4;
export const EXPERIENCE = 5;
export const CRITERIA = criteria.length;

/** How far teacher's level lifts a learner from their current level towards the target, in [0, 1]. */
export function coverage(teacherLevel: number, current: number, target: number): number {
  const needed = target - current;
  if (needed <= 0) return teacherLevel > current ? 1 : 0;
  const lift = (teacherLevel - current) / needed;
  return lift <= 0 ? 0 : Math.min(lift, 1);
}

/** How well what `teacher` offers covers what `learner` wants to grow. */
export function skillDirection(cp: CompiledProgram, teacher: number, learner: number): number {
  const { offered, wanted } = cp;
  let i = offered.start[teacher]!;
  const iEnd = offered.start[teacher + 1]!;
  let j = wanted.start[learner]!;
  const jEnd = wanted.start[learner + 1]!;
  const count = jEnd - j;
  if (count === 0) return 0;
  let sum = 0;
  while (i < iEnd && j < jEnd) {
    const s = offered.items[i]!;
    const t = wanted.items[j]!;
    if (s < t) i++;
    else if (s > t) j++;
    else {
      sum += coverage(cp.offeredLevel[i]!, cp.wantedCurrent[j]!, cp.wantedTarget[j]!);
      i++;
      j++;
    }
  }
  const value = sum / Math.min(count, SKILL_SATURATION);
  return Math.min(value, 1);
}

export function intersectionSize(list: Csr, a: number, b: number): number {
  let i = list.start[a]!;
  const iEnd = list.start[a + 1]!;
  let j = list.start[b]!;
  const jEnd = list.start[b + 1]!;
  let common = 0;
  while (i < iEnd && j < jEnd) {
    const x = list.items[i]!;
    const y = list.items[j]!;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      common++;
      i++;
      j++;
    }
  }
  return common;
}

export function jaccard(list: Csr, a: number, b: number): number {
  return jaccardOf(
    intersectionSize(list, a, b),
    list.start[a + 1]! - list.start[a]!,
    list.start[b + 1]! - list.start[b]!,
  );
}

/** The Jaccard similarity of two sets from the size of their intersection and their own sizes. */
export function jaccardOf(common: number, sizeA: number, sizeB: number): number {
  return common === 0 ? 0 : common / (sizeA + sizeB - common);
}

/** Share of the attributes both chose to share on which they differ; neutral when none overlap. */
export function backgroundDiversity(cp: CompiledProgram, a: number, b: number): number {
  const { background: bg, backgroundValue: value } = cp;
  let i = bg.start[a]!;
  const iEnd = bg.start[a + 1]!;
  let j = bg.start[b]!;
  const jEnd = bg.start[b + 1]!;
  let shared = 0;
  let differ = 0;
  while (i < iEnd && j < jEnd) {
    const x = bg.items[i]!;
    const y = bg.items[j]!;
    if (x < y) i++;
    else if (x > y) j++;
    else {
      shared++;
      if (value[i] !== value[j]) differ++;
      i++;
      j++;
    }
  }
  return shared === 0 ? NEUTRAL : differ / shared;
}

export function timezoneFit(cp: CompiledProgram, a: number, b: number): number {
  return offsetsFit(cp.utcOffset[a]!, cp.utcOffset[b]!);
}

/** How well two UTC offsets (minutes) share working hours; neutral when either is unknown. */
export function offsetsFit(a: number, b: number): number {
  const diff = Math.abs(a - b);
  if (Number.isNaN(diff)) return NEUTRAL;
  const apart = Math.min(diff % 1440, 1440 - (diff % 1440));
  return apart >= TIMEZONE_WINDOW ? 0 : 1 - apart / TIMEZONE_WINDOW;
}

export function languageFit(cp: CompiledProgram, a: number, b: number): number {
  const { languages } = cp;
  if (languages.start[a] === languages.start[a + 1] || languages.start[b] === languages.start[b + 1])
    return NEUTRAL;
  return intersectionSize(languages, a, b) > 0 ? 1 : 0;
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

export function commonAvailabilityCells(cp: CompiledProgram, a: number, b: number): number {
  let common = 0;
  const baseA = a * AVAILABILITY_WORDS;
  const baseB = b * AVAILABILITY_WORDS;
  for (let w = 0; w < AVAILABILITY_WORDS; w++)
    common += popcount(cp.availability[baseA + w]! & cp.availability[baseB + w]!);
  return common;
}

export function availabilityFit(cp: CompiledProgram, a: number, b: number): number {
  const cellsA = cp.availabilityCells[a]!;
  const cellsB = cp.availabilityCells[b]!;
  if (cellsA < 0 || cellsB < 0) return NEUTRAL;
  const enough = Math.min(AVAILABILITY_ENOUGH_CELLS, cellsA, cellsB);
  if (enough === 0) return 0;
  const value = commonAvailabilityCells(cp, a, b) / enough;
  return Math.min(value, 1);
}

export function experienceFit(cp: CompiledProgram, a: number, b: number): number {
  if (cp.settings.format === 'one_to_one') {
    const mentor = cp.role[a] === ROLE_MENTOR ? a : b;
    const mentee = mentor === a ? b : a;
    return mentorLeadFit(cp.experience[mentor]! - cp.experience[mentee]!);
  }
  const gap = Math.abs(cp.experience[a]! - cp.experience[b]!);
  if (Number.isNaN(gap)) return NEUTRAL;
  const scale = Number.isFinite(cp.settings.gapMax) ? cp.settings.gapMax + 1 : PEER_GAP_SCALE;
  return gap >= scale ? 0 : 1 - gap / scale;
}

/** How well a mentor's lead in years over the mentee suits the pair; neutral when unknown. */
export function mentorLeadFit(lead: number): number {
  if (Number.isNaN(lead)) return NEUTRAL;
  return lead <= 0 ? 0 : lead >= MENTOR_LEAD_YEARS ? 1 : lead / MENTOR_LEAD_YEARS;
}

/** Fills `out` with the six criterion values of the pair, each in [0, 1]. */
export function pairCriteria(cp: CompiledProgram, a: number, b: number, out: Float64Array): Float64Array {
  if (cp.settings.format === 'one_to_one') {
    const mentor = cp.role[a] === ROLE_MENTOR ? a : b;
    out[SKILLS] = skillDirection(cp, mentor, mentor === a ? b : a);
  } else {
    out[SKILLS] = (skillDirection(cp, a, b) + skillDirection(cp, b, a)) / 2;
  }
  out[GOALS] =
    GOAL_SHARE * jaccard(cp.goalTokens, a, b) + (1 - GOAL_SHARE) * jaccard(cp.interestTokens, a, b);
  const da = cp.department[a]!;
  const db = cp.department[b]!;
  out[CROSS] = da < 0 || db < 0 ? NEUTRAL : da === db ? 0 : 1;
  out[DIVERSITY] = backgroundDiversity(cp, a, b);
  out[PRACTICAL] = (timezoneFit(cp, a, b) + languageFit(cp, a, b) + availabilityFit(cp, a, b)) / 3;
  out[EXPERIENCE] = experienceFit(cp, a, b);
  return out;
}

const scratch = new Float64Array(CRITERIA);

export function weightedSum(weights: Float64Array, values: Float64Array): number {
  let score = 0;
  for (let c = 0; c < CRITERIA; c++) score += weights[c]! * values[c]!;
  return score;
}

/** The pair's score in [0, 1], whether or not the pair is allowed. */
export function pairScore(cp: CompiledProgram, a: number, b: number): number {
  return weightedSum(cp.weightVector, pairCriteria(cp, a, b, scratch));
}
