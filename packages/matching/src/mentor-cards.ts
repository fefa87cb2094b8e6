/**
 * One mentee scored against single mentors (one_to_one), equal to `pairScore` and `allowed` bit for
 * bit at a fraction of their cost in a large program. Those read a mentor's attributes from some
 * twenty arrays of the compiled program, each a cache miss once the program outgrows the cache
 * (docs/benchmarks.md has the cost per pair). Here each mentor's attributes lie in
 * one contiguous card, and the mentee's lists are spread once per row into tables indexed by id,
 * so that a pair reads the mentor's card and nothing else that is cold.
 */
import { AVAILABILITY_WORDS, type CompiledProgram, type Csr, ROLE_MENTEE, ROLE_MENTOR } from './profiles.ts';
import { linesCross, sortedHas } from './rules.ts';
import {
  AVAILABILITY_ENOUGH_CELLS,
  backgroundDiversity,
  CRITERIA,
  CROSS,
  coverage,
  DIVERSITY,
  EXPERIENCE,
  GOAL_SHARE,
  GOALS,
  jaccardOf,
  mentorLeadFit,
  NEUTRAL,
  offsetsFit,
  PRACTICAL,
  popcount,
  SKILL_SATURATION,
  SKILLS,
} from './score.ts';

/** Card fields before the availability words and the lists (each list: its length, then items). */
const ROLE = 0;
const DEPARTMENT = 1;
const CAPACITY = 2;
const UTC_OFFSET = 3;
const YEARS = 4;
const LINE_ENTER = 5;
const LINE_EXIT = 6;
const AVAILABILITY_CELLS = 7;
/** 1 when the mentor shares a background key twice (two keys that normalize alike). */
const REPEATED_KEY = 8;
const WORDS = 9;
const LISTS = WORDS + AVAILABILITY_WORDS;

/** Whether a sorted list holds some id twice. */
function repeats(list: Csr, i: number): boolean {
  for (let t = list.start[i]! + 1; t < list.start[i + 1]!; t++)
    if (list.items[t] === list.items[t - 1]) return true;
  return false;
}

export class MentorCards {
  private readonly cp: CompiledProgram;
  private readonly columns: Int32Array;
  /** Column c's card is `card[at[c] ..]`. */
  private readonly at: Int32Array;
  private readonly card: Float64Array;
  /**
   * The prepared mentee's lists by id: an id is the mentee's while its stamp is the row's. Its
   * wanted skills keep their current and target levels, its background keys their values.
   */
  private stamp = 0;
  private readonly wanted: Int32Array;
  private readonly current: Float64Array;
  private readonly target: Float64Array;
  private readonly goal: Int32Array;
  private readonly interest: Int32Array;
  private readonly key: Int32Array;
  private readonly keyValue: Int32Array;
  private readonly language: Int32Array;
  private readonly criteria = new Float64Array(CRITERIA);
  private row = -1;
  /** Whether the prepared mentee holds a background key twice (see `REPEATED_KEY`). */
  private repeatedKey = false;

  constructor(cp: CompiledProgram, columns: Int32Array) {
    this.cp = cp;
    this.columns = columns;
    const lists = [cp.offered, cp.goalTokens, cp.interestTokens, cp.background, cp.languages];
    // Skills and background keys take two slots an item: the id and its level or value.
    const paired = (list: Csr) => list === cp.offered || list === cp.background;
    this.at = new Int32Array(columns.length + 1);
    columns.forEach((j, c) => {
      let size = LISTS;
      for (const list of lists) size += 1 + (paired(list) ? 2 : 1) * (list.start[j + 1]! - list.start[j]!);
      this.at[c + 1] = this.at[c]! + size;
    });
    const card = new Float64Array(this.at[columns.length]!);
    columns.forEach((j, c) => {
      const o = this.at[c]!;
      card[o + ROLE] = cp.role[j]!;
      card[o + DEPARTMENT] = cp.department[j]!;
      card[o + CAPACITY] = cp.capacity[j]!;
      card[o + UTC_OFFSET] = cp.utcOffset[j]!;
      card[o + YEARS] = cp.experience[j]!;
      card[o + LINE_ENTER] = cp.lineEnter[j]!;
      card[o + LINE_EXIT] = cp.lineExit[j]!;
      card[o + AVAILABILITY_CELLS] = cp.availabilityCells[j]!;
      card[o + REPEATED_KEY] = repeats(cp.background, j) ? 1 : 0;
      card.set(cp.availability.subarray(j * AVAILABILITY_WORDS, (j + 1) * AVAILABILITY_WORDS), o + WORDS);
      let p = o + LISTS;
      for (const list of lists) {
        card[p++] = list.start[j + 1]! - list.start[j]!;
        for (let t = list.start[j]!; t < list.start[j + 1]!; t++) {
          card[p++] = list.items[t]!;
          if (list === cp.offered) card[p++] = cp.offeredLevel[t]!;
          else if (list === cp.background) card[p++] = cp.backgroundValue[t]!;
        }
      }
    });
    this.card = card;
    this.wanted = new Int32Array(cp.skillNames.length);
    this.current = new Float64Array(cp.skillNames.length);
    this.target = new Float64Array(cp.skillNames.length);
    this.goal = new Int32Array(cp.tokens.length);
    this.interest = new Int32Array(cp.tokens.length);
    this.key = new Int32Array(cp.backgroundKeys.length);
    this.keyValue = new Int32Array(cp.backgroundKeys.length);
    this.language = new Int32Array(cp.languageNames.length);
  }

  /** Prepares mentee i for `score` and `allowed`. */
  useRow(i: number): void {
    if (this.row === i) return;
    const cp = this.cp;
    if (cp.role[i] !== ROLE_MENTEE) throw new Error('mentor cards score mentees');
    this.row = i;
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      for (const table of [this.wanted, this.goal, this.interest, this.key, this.language]) table.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    for (let t = cp.wanted.start[i]!; t < cp.wanted.start[i + 1]!; t++) {
      const skill = cp.wanted.items[t]!;
      this.wanted[skill] = stamp;
      this.current[skill] = cp.wantedCurrent[t]!;
      this.target[skill] = cp.wantedTarget[t]!;
    }
    for (let t = cp.goalTokens.start[i]!; t < cp.goalTokens.start[i + 1]!; t++)
      this.goal[cp.goalTokens.items[t]!] = stamp;
    for (let t = cp.interestTokens.start[i]!; t < cp.interestTokens.start[i + 1]!; t++)
      this.interest[cp.interestTokens.items[t]!] = stamp;
    for (let t = cp.background.start[i]!; t < cp.background.start[i + 1]!; t++) {
      this.key[cp.background.items[t]!] = stamp;
      this.keyValue[cp.background.items[t]!] = cp.backgroundValue[t]!;
    }
    for (let t = cp.languages.start[i]!; t < cp.languages.start[i + 1]!; t++)
      this.language[cp.languages.items[t]!] = stamp;
    this.repeatedKey = repeats(cp.background, i);
  }

  /** `allowed(cp, columns[c], i)` for the prepared mentee i. */
  allowed(c: number): boolean {
    const { cp, card, row: i } = this;
    const o = this.at[c]!;
    const s = cp.settings;
    if (card[o + ROLE] !== ROLE_MENTOR || card[o + CAPACITY] === 0) return false;
    const dept = card[o + DEPARTMENT]!;
    if (s.crossDepartmentOnly && dept >= 0 && dept === cp.department[i]) return false;
    if (
      s.excludeSameReportingLine &&
      linesCross(card[o + LINE_ENTER]!, card[o + LINE_EXIT]!, cp.lineEnter[i]!, cp.lineExit[i]!)
    )
      return false;
    // Both lists are symmetric: the mentee's own, already in cache, answer for the mentor's.
    const j = this.columns[c]!;
    if (s.excludePreviousPartners && sortedHas(cp.previousPartners, i, j)) return false;
    if (sortedHas(cp.blocked, i, j)) return false;
    const gap = card[o + YEARS]! - cp.experience[i]!;
    return !(gap < s.gapMin || gap > s.gapMax);
  }

  /** `pairScore(cp, columns[c], i)` for the prepared mentee i, computed the same way. */
  score(c: number): number {
    const { cp, card, stamp, row: i } = this;
    const values = this.criteria;
    let p = this.at[c]! + LISTS;

    // Skills: the mentor's offered skills in id order, as `skillDirection` merges them.
    const wantedCount = cp.wanted.start[i + 1]! - cp.wanted.start[i]!;
    let sum = 0;
    for (let end = p + 1 + 2 * card[p]!, q = p + 1; q < end; q += 2) {
      const skill = card[q]!;
      if (this.wanted[skill] === stamp)
        sum += coverage(card[q + 1]!, this.current[skill]!, this.target[skill]!);
    }
    p += 1 + 2 * card[p]!;
    values[SKILLS] = wantedCount === 0 ? 0 : Math.min(sum / Math.min(wantedCount, SKILL_SATURATION), 1);

    const goals = this.shared(p, this.goal);
    const goalCount = card[p]!;
    p += 1 + goalCount;
    const interests = this.shared(p, this.interest);
    const interestCount = card[p]!;
    p += 1 + interestCount;
    values[GOALS] =
      GOAL_SHARE * jaccardOf(goals, goalCount, cp.goalTokens.start[i + 1]! - cp.goalTokens.start[i]!) +
      (1 - GOAL_SHARE) *
        jaccardOf(interests, interestCount, cp.interestTokens.start[i + 1]! - cp.interestTokens.start[i]!);

    const o = this.at[c]!;
    const da = card[o + DEPARTMENT]!;
    const db = cp.department[i]!;
    values[CROSS] = da < 0 || db < 0 ? NEUTRAL : da === db ? 0 : 1;

    const keys = card[p]!;
    if (this.repeatedKey || card[o + REPEATED_KEY] === 1)
      values[DIVERSITY] = backgroundDiversity(cp, this.columns[c]!, i);
    else {
      let shared = 0;
      let differ = 0;
      for (let end = p + 1 + 2 * keys, q = p + 1; q < end; q += 2) {
        const key = card[q]!;
        if (this.key[key] !== stamp) continue;
        shared++;
        if (this.keyValue[key] !== card[q + 1]) differ++;
      }
      values[DIVERSITY] = shared === 0 ? NEUTRAL : differ / shared;
    }
    p += 1 + 2 * keys;

    const timezone = offsetsFit(card[o + UTC_OFFSET]!, cp.utcOffset[i]!);
    const languages = card[p]!;
    let language = NEUTRAL;
    if (languages > 0 && cp.languages.start[i + 1]! > cp.languages.start[i]!)
      language = this.shared(p, this.language) > 0 ? 1 : 0;
    values[PRACTICAL] = (timezone + language + this.availability(o, i)) / 3;

    values[EXPERIENCE] = mentorLeadFit(card[o + YEARS]! - cp.experience[i]!);

    const w = cp.weightVector;
    let score = 0;
    for (let k = 0; k < CRITERIA; k++) score += w[k]! * values[k]!;
    return score;
  }

  /** How many items of the card's list at p the mentee holds (`table` stamped). */
  private shared(p: number, table: Int32Array): number {
    const { card, stamp } = this;
    let common = 0;
    for (let end = p + 1 + card[p]!, q = p + 1; q < end; q++) if (table[card[q]!] === stamp) common++;
    return common;
  }

  /** `availabilityFit` of the card at o with mentee i. */
  private availability(o: number, i: number): number {
    const { cp, card } = this;
    const cellsA = card[o + AVAILABILITY_CELLS]!;
    const cellsB = cp.availabilityCells[i]!;
    if (cellsA < 0 || cellsB < 0) return NEUTRAL;
    const enough = Math.min(AVAILABILITY_ENOUGH_CELLS, cellsA, cellsB);
    if (enough === 0) return 0;
    let common = 0;
    const base = i * AVAILABILITY_WORDS;
    for (let w = 0; w < AVAILABILITY_WORDS; w++)
      common += popcount(card[o + WORDS + w]! & cp.availability[base + w]!);
    return Math.min(common / enough, 1);
  }
}
