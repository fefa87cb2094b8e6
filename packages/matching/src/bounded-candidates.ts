/**
 * Exact top-k mentors of each mentee without scoring every pair, by score or by score less a price
 * per mentor (pricing's reduced score). A mentor's score is a weighted sum of criteria in [0, 1].
 * Per mentee, skills complementarity (the heaviest criterion) is summed from an inverted index of
 * offered skills (mentors offering no wanted skill score 0 on it); department, time zone and
 * experience are computed once per cell of mentors sharing all three; diversity, availability and
 * languages once per profile of mentors sharing all three values. That makes every criterion but
 * goals a few array reads per mentor, and goals and interests are bounded through hashed token
 * masks. Mentors are scored in full from the highest bound down, and only while their bound can
 * still reach the k-th best: a mentor left out provably scores below the final k-th best, so the
 * row's cutoff bounds every left-out pair as `solvePriced` requires, and with the duals as prices
 * the same scan finds a row's most violated pairs or proves it has none.
 */
import { type CandidateRows, TopK } from './candidates.ts';
import { AVAILABILITY_WORDS, type CompiledProgram, type Csr } from './profiles.ts';
import { allowed } from './rules.ts';
import {
  availabilityFit,
  backgroundDiversity,
  CROSS,
  DIVERSITY,
  EXPERIENCE,
  GOAL_SHARE,
  GOALS,
  languageFit,
  MENTOR_LEAD_YEARS,
  NEUTRAL,
  PRACTICAL,
  pairScore,
  popcount,
  SKILL_SATURATION,
  SKILLS,
  TIMEZONE_WINDOW,
} from './score.ts';

/**
 * Bounds and scores are summed in different orders; a mentor is skipped only when its bound falls
 * short of the k-th best by more than any rounding, so ties are always scored.
 */
const EPSILON = 1e-9;
/**
 * Bins between a row's highest and lowest bound: mentors are visited bin by bin from the top, so
 * about k plus one bin's worth are scored in full.
 */
const BINS = 256;
/** Attribute groups are kept while there are at most this many, or one per this many mentors. */
const GROUPS_AT_LEAST = 64;
const GROUP_SHARE = 8;

function experienceFit(lead: number): number {
  if (Number.isNaN(lead)) return NEUTRAL;
  return lead <= 0 ? 0 : lead >= MENTOR_LEAD_YEARS ? 1 : lead / MENTOR_LEAD_YEARS;
}

function timezoneFit(a: number, b: number): number {
  const diff = Math.abs(a - b);
  if (Number.isNaN(diff)) return NEUTRAL;
  const wrapped = diff % 1440;
  const apart = Math.min(wrapped, 1440 - wrapped);
  return apart >= TIMEZONE_WINDOW ? 0 : 1 - apart / TIMEZONE_WINDOW;
}

/**
 * Items hashed to 64 bits (id mod 64), two words per column: a shared item sets the same bit on
 * both sides, so an empty intersection of masks proves no item is shared.
 */
function masks(list: Csr, columns: Int32Array): Uint32Array {
  const out = new Uint32Array(2 * columns.length);
  columns.forEach((j, c) => {
    for (let t = list.start[j]!; t < list.start[j + 1]!; t++) {
      const id = list.items[t]!;
      out[2 * c + ((id >>> 5) & 1)]! |= 1 << (id & 31);
    }
  });
  return out;
}

/**
 * One row's items by hash bit: a column shares at most, summed over the bits set in both masks, as
 * many items as the row hashed to each bit; exact when no two of the row's items collide.
 */
class TokenBits {
  private readonly word = new Int32Array(64);
  private readonly bit = new Int32Array(64);
  private readonly count = new Int32Array(64);
  private readonly perBit = new Int32Array(64);
  private distinct = 0;
  /** The row's item count and mask, and whether each of its bits stands for one item. */
  size = 0;
  low = 0;
  high = 0;
  plain = true;

  set(list: Csr, i: number): void {
    this.perBit.fill(0);
    this.distinct = 0;
    this.low = 0;
    this.high = 0;
    this.plain = true;
    this.size = list.start[i + 1]! - list.start[i]!;
    for (let t = list.start[i]!; t < list.start[i + 1]!; t++) this.perBit[list.items[t]! & 63]!++;
    for (let b = 0; b < 64; b++) {
      if (this.perBit[b] === 0) continue;
      this.word[this.distinct] = b >>> 5;
      this.bit[this.distinct] = 1 << (b & 31);
      this.count[this.distinct++] = this.perBit[b]!;
      if (this.perBit[b]! > 1) this.plain = false;
      if (b < 32) this.low |= 1 << b;
      else this.high |= 1 << (b - 32);
    }
  }

  /**
   * How many items column c can share with the row at most: the row's items on the bits set in
   * both masks. When the row is `plain`, that is the popcount of the two masks' intersection.
   */
  common(mask: Uint32Array, c: number): number {
    if (this.plain) return popcount(mask[2 * c]! & this.low) + popcount(mask[2 * c + 1]! & this.high);
    let common = 0;
    for (let d = 0; d < this.distinct; d++)
      if ((mask[2 * c + this.word[d]!]! & this.bit[d]!) !== 0) common += this.count[d]!;
    return common;
  }
}

/**
 * Upper bound on the Jaccard similarity of sets of `a` and `b` items sharing at most `common`: it
 * grows with the shared count, which is also at most the smaller size.
 */
function jaccardBound(common: number, a: number, b: number): number {
  const shared = Math.min(common, a, b);
  return shared === 0 ? 0 : shared / (a + b - shared);
}

/**
 * Mentors grouped by the whole value of one attribute, so that a criterion depending on it alone
 * is computed once per group and row. When nearly every mentor has its own value that would cost
 * as much as scoring, so the groups collapse into one whose value is the criterion's maximum, 1.
 */
class Groups {
  readonly of: Int32Array;
  private readonly mentor: Int32Array;
  readonly value: Float64Array;
  /** False once the groups collapsed: the one value is then an upper bound, not the criterion. */
  readonly exact: boolean;

  constructor(columns: Int32Array, key: (j: number) => string) {
    const ids = new Map<string, number>();
    const mentor: number[] = [];
    this.of = Int32Array.from(columns, (j) => {
      const k = key(j);
      let id = ids.get(k);
      if (id === undefined) {
        id = mentor.length;
        ids.set(k, id);
        mentor.push(j);
      }
      return id;
    });
    this.exact = mentor.length <= Math.max(GROUPS_AT_LEAST, columns.length / GROUP_SHARE);
    if (!this.exact) {
      this.of.fill(0);
      this.mentor = new Int32Array(0);
      this.value = Float64Array.of(1);
    } else {
      this.mentor = Int32Array.from(mentor);
      this.value = new Float64Array(mentor.length);
    }
  }

  /** Sets each group's value to `fit` of its first mentor (every member has the same). */
  fill(fit: (j: number) => number): void {
    for (let g = 0; g < this.mentor.length; g++) this.value[g] = fit(this.mentor[g]!);
  }
}

/**
 * One mentee's best mentors (one_to_one programs) by score less a price per mentor, found without
 * scoring every pair: see `scan`. With prices all zero that is the plain top-k; with the
 * assignment's column duals it is pricing, where the mentors that beat a threshold are violators.
 */
export class MentorBounds {
  readonly m: number;
  private readonly postStart: Int32Array;
  private readonly postColumn: Int32Array;
  private readonly postLevel: Float64Array;
  /**
   * The prepared mentee's weighted skills coverage per mentor, before saturation: the criterion's
   * term is its minimum with the weight (zero for mentors offering no wanted skill).
   */
  private readonly skillTerm: Float64Array;
  private wSkills = 0;
  private readonly goalMask: Uint32Array;
  private readonly interestMask: Uint32Array;
  private readonly goalCount: Int32Array;
  private readonly interestCount: Int32Array;
  private readonly rowGoals = new TokenBits();
  private readonly rowInterests = new TokenBits();
  /** Background, availability and languages: their criteria, once per distinct value and row. */
  private readonly diversity: Groups;
  private readonly availability: Groups;
  private readonly language: Groups;
  /** Mentors sharing all three groups above; per row their terms are summed once per profile. */
  private readonly profileOf: Int32Array;
  private readonly profileDiversity: Int32Array;
  private readonly profileAvailability: Int32Array;
  private readonly profileLanguage: Int32Array;
  private readonly profileTerm: Float64Array;
  /**
   * How far the profile terms may lie above the truth for the prepared mentee: the weight of the
   * groups that collapsed to their maximum (zero when every group is exact).
   */
  uncertain = 0;
  /**
   * Mentors grouped by department, time zone and experience, the criteria that depend on nothing
   * else: per row they are computed once per cell (`cellDense`), exactly for every member.
   */
  private readonly cellOf: Int32Array;
  private readonly cellDepartment: Int32Array;
  private readonly cellZone: Int32Array;
  private readonly cellYears: Int32Array;
  /** Distinct time zones and experiences among the mentors, and their terms for the row. */
  private readonly zones: Float64Array;
  private readonly years: Float64Array;
  private readonly zoneTerm: Float64Array;
  private readonly yearsTerm: Float64Array;
  /** The row's cell terms; -Infinity where the department or experience-gap rule forbids the cell. */
  private readonly cellDense: Float64Array;
  private price: Float64Array;
  private readonly noSkip: Uint8Array;
  /**
   * Scan scratch: the mentors left by the first pass (`listed`) with their score but goals, less
   * price (`known`); the k best of those sums; the goals-bounded (`bound`) and binned.
   */
  private readonly known: Float64Array;
  private lowest: TopK = new TopK(1);
  private readonly bound: Float64Array;
  private readonly listed: Int32Array;
  private readonly binOf: Int32Array;
  private readonly binStart = new Int32Array(BINS + 1);
  private readonly binFill = new Int32Array(BINS);
  private readonly binned: Int32Array;
  private readonly binnedBound: Float64Array;

  constructor(
    private readonly cp: CompiledProgram,
    readonly columns: Int32Array,
  ) {
    const m = columns.length;
    this.m = m;
    const skills = cp.skillNames.length;
    const { offered, offeredLevel } = cp;
    this.postStart = new Int32Array(skills + 1);
    for (const j of columns)
      for (let t = offered.start[j]!; t < offered.start[j + 1]!; t++)
        this.postStart[offered.items[t]! + 1]!++;
    for (let s = 0; s < skills; s++) this.postStart[s + 1]! += this.postStart[s]!;
    const fill = this.postStart.slice(0, skills);
    this.postColumn = new Int32Array(this.postStart[skills]!);
    this.postLevel = new Float64Array(this.postStart[skills]!);
    columns.forEach((j, c) => {
      for (let t = offered.start[j]!; t < offered.start[j + 1]!; t++) {
        const slot = fill[offered.items[t]!]!++;
        this.postColumn[slot] = c;
        this.postLevel[slot] = offeredLevel[t]!;
      }
    });
    this.goalMask = masks(cp.goalTokens, columns);
    this.interestMask = masks(cp.interestTokens, columns);
    const { background, backgroundValue, availability, availabilityCells, languages } = cp;
    this.diversity = new Groups(columns, (j) => {
      const parts: string[] = [];
      for (let t = background.start[j]!; t < background.start[j + 1]!; t++)
        parts.push(`${background.items[t]}:${backgroundValue[t]}`);
      return parts.join(',');
    });
    this.availability = new Groups(columns, (j) =>
      availabilityCells[j]! < 0
        ? '-'
        : availability.subarray(j * AVAILABILITY_WORDS, (j + 1) * AVAILABILITY_WORDS).join(','),
    );
    this.language = new Groups(columns, (j) =>
      languages.items.subarray(languages.start[j]!, languages.start[j + 1]!).join(','),
    );
    const profileIds = new Map<string, number>();
    const profileDiversity: number[] = [];
    const profileAvailability: number[] = [];
    const profileLanguage: number[] = [];
    this.profileOf = Int32Array.from(columns.keys(), (c) => {
      const groups = [this.diversity.of[c]!, this.availability.of[c]!, this.language.of[c]!] as const;
      const key = groups.join('|');
      let profile = profileIds.get(key);
      if (profile === undefined) {
        profile = profileDiversity.length;
        profileIds.set(key, profile);
        profileDiversity.push(groups[0]);
        profileAvailability.push(groups[1]);
        profileLanguage.push(groups[2]);
      }
      return profile;
    });
    this.profileDiversity = Int32Array.from(profileDiversity);
    this.profileAvailability = Int32Array.from(profileAvailability);
    this.profileLanguage = Int32Array.from(profileLanguage);
    this.profileTerm = new Float64Array(profileDiversity.length);
    this.goalCount = Int32Array.from(columns, (j) => cp.goalTokens.start[j + 1]! - cp.goalTokens.start[j]!);
    this.interestCount = Int32Array.from(
      columns,
      (j) => cp.interestTokens.start[j + 1]! - cp.interestTokens.start[j]!,
    );
    this.skillTerm = new Float64Array(m);
    const cellIds = new Map<string, number>();
    const zoneIds = new Map<number, number>();
    const yearIds = new Map<number, number>();
    const distinct = (ids: Map<number, number>, value: number) => {
      let id = ids.get(value);
      if (id === undefined) {
        id = ids.size;
        ids.set(value, id);
      }
      return id;
    };
    const cellDepartment: number[] = [];
    const cellZone: number[] = [];
    const cellYears: number[] = [];
    this.cellOf = Int32Array.from(columns, (j) => {
      const zone = distinct(zoneIds, cp.utcOffset[j]!);
      const years = distinct(yearIds, cp.experience[j]!);
      const key = `${cp.department[j]}|${zone}|${years}`;
      let cell = cellIds.get(key);
      if (cell === undefined) {
        cell = cellDepartment.length;
        cellIds.set(key, cell);
        cellDepartment.push(cp.department[j]!);
        cellZone.push(zone);
        cellYears.push(years);
      }
      return cell;
    });
    this.zones = Float64Array.from(zoneIds.keys());
    this.years = Float64Array.from(yearIds.keys());
    this.zoneTerm = new Float64Array(zoneIds.size);
    this.yearsTerm = new Float64Array(yearIds.size);
    this.cellDepartment = Int32Array.from(cellDepartment);
    this.cellZone = Int32Array.from(cellZone);
    this.cellYears = Int32Array.from(cellYears);
    this.cellDense = new Float64Array(cellDepartment.length);
    this.price = new Float64Array(m);
    this.noSkip = new Uint8Array(m);
    this.known = new Float64Array(m);
    this.bound = new Float64Array(m);
    this.listed = new Int32Array(m);
    this.binOf = new Int32Array(m);
    this.binned = new Int32Array(m);
    this.binnedBound = new Float64Array(m);
  }

  /** Prices that `scan` takes off every mentor's score (all zero until set; null resets them). */
  usePrices(price: Float64Array | null): void {
    this.price = price ?? new Float64Array(this.m);
  }

  /**
   * Computes mentee i's skills term for every mentor offering a wanted skill, and its per-cell and
   * per-profile terms.
   */
  prepare(i: number): void {
    const cp = this.cp;
    const w = cp.weightVector;
    const { skillTerm, postStart, postColumn, postLevel } = this;
    skillTerm.fill(0);
    const wantedEnd = cp.wanted.start[i + 1]!;
    this.wSkills = w[SKILLS]!;
    // Summed in `skillDirection`'s order: coverage per wanted skill over the saturation count.
    const share = this.wSkills / Math.min(wantedEnd - cp.wanted.start[i]!, SKILL_SATURATION);
    for (let t = cp.wanted.start[i]!; t < wantedEnd; t++) {
      const skill = cp.wanted.items[t]!;
      const current = cp.wantedCurrent[t]!;
      const needed = cp.wantedTarget[t]! - current;
      const end = postStart[skill + 1]!;
      if (needed <= 0) {
        for (let p = postStart[skill]!; p < end; p++)
          if (postLevel[p]! > current) skillTerm[postColumn[p]!]! += share;
        continue;
      }
      for (let p = postStart[skill]!; p < end; p++) {
        const lift = (postLevel[p]! - current) / needed;
        if (lift > 0) skillTerm[postColumn[p]!]! += share * Math.min(lift, 1);
      }
    }

    this.rowGoals.set(cp.goalTokens, i);
    this.rowInterests.set(cp.interestTokens, i);
    const { diversity, availability, language } = this;
    diversity.fill((j) => backgroundDiversity(cp, i, j));
    availability.fill((j) => availabilityFit(cp, i, j));
    language.fill((j) => languageFit(cp, i, j));
    const wDiversity = w[DIVERSITY]!;
    const third = w[PRACTICAL]! / 3;
    const { profileTerm, profileDiversity, profileAvailability, profileLanguage } = this;
    for (let p = 0; p < profileTerm.length; p++)
      profileTerm[p] =
        wDiversity * diversity.value[profileDiversity[p]!]! +
        third * (availability.value[profileAvailability[p]!]! + language.value[profileLanguage[p]!]!);
    this.uncertain =
      (diversity.exact ? 0 : wDiversity) + third * ((availability.exact ? 0 : 1) + (language.exact ? 0 : 1));

    const { gapMin, gapMax, crossDepartmentOnly } = cp.settings;
    const yi = cp.experience[i]!;
    const di = cp.department[i]!;
    const oi = cp.utcOffset[i]!;
    const { zones, years, zoneTerm, yearsTerm, cellDepartment, cellZone, cellYears, cellDense } = this;
    for (let z = 0; z < zones.length; z++) zoneTerm[z] = third * timezoneFit(oi, zones[z]!);
    for (let y = 0; y < years.length; y++) {
      const lead = years[y]! - yi;
      // The experience-gap rule depends on the cell alone (NaN, unknown, passes like `allowed`).
      yearsTerm[y] =
        lead < gapMin || lead > gapMax ? Number.NEGATIVE_INFINITY : w[EXPERIENCE]! * experienceFit(lead);
    }
    const wCross = w[CROSS]!;
    for (let cell = 0; cell < cellDense.length; cell++) {
      const dj = cellDepartment[cell]!;
      const cross = di < 0 || dj < 0 ? NEUTRAL : di === dj ? 0 : 1;
      cellDense[cell] =
        crossDepartmentOnly && cross === 0
          ? Number.NEGATIVE_INFINITY
          : wCross * cross + zoneTerm[cellZone[cell]!]! + yearsTerm[cellYears[cell]!]!;
    }
  }

  /**
   * The prepared mentee's score with mentor c but for goals: exact when `uncertain` is zero, else
   * at most that much above. -Infinity when a rule of c's cell forbids the pair.
   */
  exceptGoals(c: number): number {
    return (
      this.cellDense[this.cellOf[c]!]! +
      this.profileTerm[this.profileOf[c]!]! +
      Math.min(this.skillTerm[c]!, this.wSkills)
    );
  }

  /** Upper bound on mentor c's goals criterion through hashed token masks (exact when none collide). */
  goals(c: number): number {
    const { rowGoals, rowInterests } = this;
    return (
      GOAL_SHARE * jaccardBound(rowGoals.common(this.goalMask, c), rowGoals.size, this.goalCount[c]!) +
      (1 - GOAL_SHARE) *
        jaccardBound(rowInterests.common(this.interestMask, c), rowInterests.size, this.interestCount[c]!)
    );
  }

  /**
   * Mentee i's allowed mentors whose score less price (`usePrices`) exceeds `above`, into `top`
   * keyed by that difference (so `top` keeps the best k), each one's exact score in `scoreOf`.
   * Columns flagged in `skip` are passed over. Returns an upper bound on the score less price of
   * every allowed mentor not offered to `top` (-Infinity when there is none).
   *
   * One pass over every mentor sums the per-cell, per-profile and skills terms (all but goals)
   * less price, and keeps the k best allowed sums: the k-th of those bounds the final k-th best
   * from below, so a mentor whose sum falls short of it by more than the goals weight is set aside
   * at once. The rest have goals bounded through the masks, and those that can still enter are
   * scored in full from the highest bound down. A sequential pass over typed arrays beats an index
   * that visits fewer mentors at random.
   */
  scan(i: number, above: number, skip: Uint8Array | null, top: TopK, scoreOf: Float64Array): number {
    this.prepare(i);
    const cp = this.cp;
    const m = this.m;
    const wGoals = cp.weightVector[GOALS]!;
    const { price, cellDense, cellOf, profileTerm, profileOf, skillTerm, wSkills } = this;
    const mentors = this.columns;
    const skipped = skip ?? this.noSkip;
    if (this.lowest.k !== top.k) this.lowest = new TopK(top.k);
    const lowest = this.lowest;
    lowest.clear();
    const { uncertain, known, listed } = this;
    let notOffered = Number.NEGATIVE_INFINITY;
    // Goals are at least zero, so each of the k best known scores at least its known part less
    // `uncertain`: below that less the goals weight, a mentor cannot enter. The bar only rises.
    let lowestFloor = Number.NEGATIVE_INFINITY;
    let bar = above;
    let candidates = 0;
    for (let c = 0; c < m; c++) {
      const value =
        cellDense[cellOf[c]!]! + profileTerm[profileOf[c]!]! + Math.min(skillTerm[c]!, wSkills) - price[c]!;
      if (value + wGoals + EPSILON < bar) {
        if (value + wGoals > notOffered && skipped[c] === 0) notOffered = value + wGoals;
        continue;
      }
      // Skipped, or forbidden by a rule of its cell.
      if (skipped[c] === 1 || value === Number.NEGATIVE_INFINITY) continue;
      if (value > lowestFloor && allowed(cp, mentors[c]!, i)) {
        lowest.push(value, c);
        lowestFloor = lowest.floor();
        bar = Math.max(above, lowestFloor - uncertain);
      }
      listed[candidates] = c;
      known[candidates++] = value;
    }

    const { goalMask, interestMask, goalCount, interestCount, rowGoals, rowInterests } = this;
    const { plain: goalsPlain, low: goalsLow, high: goalsHigh, size: goalsSize } = rowGoals;
    const {
      plain: interestsPlain,
      low: interestsLow,
      high: interestsHigh,
      size: interestsSize,
    } = rowInterests;
    const { bound } = this;
    let count = 0;
    let highest = Number.NEGATIVE_INFINITY;
    let lowestBound = Number.POSITIVE_INFINITY;
    for (let t = 0; t < candidates; t++) {
      const c = listed[t]!;
      const value = known[t]!;
      if (value + wGoals + EPSILON < bar) {
        if (value + wGoals > notOffered) notOffered = value + wGoals;
        continue;
      }
      const goalsShared = goalsPlain
        ? popcount(goalMask[2 * c]! & goalsLow) + popcount(goalMask[2 * c + 1]! & goalsHigh)
        : rowGoals.common(goalMask, c);
      const interestsShared = interestsPlain
        ? popcount(interestMask[2 * c]! & interestsLow) + popcount(interestMask[2 * c + 1]! & interestsHigh)
        : rowInterests.common(interestMask, c);
      const upper =
        value +
        wGoals *
          (GOAL_SHARE * jaccardBound(goalsShared, goalsSize, goalCount[c]!) +
            (1 - GOAL_SHARE) * jaccardBound(interestsShared, interestsSize, interestCount[c]!));
      if (upper + EPSILON < bar) {
        if (upper > notOffered) notOffered = upper;
        continue;
      }
      listed[count] = c;
      bound[count++] = upper;
      if (upper > highest) highest = upper;
      if (upper < lowestBound) lowestBound = upper;
    }

    // The listed mentors, binned from the highest bound down, are scored while they can enter.
    const { binOf, binStart, binFill, binned, binnedBound } = this;
    // A span too small to divide (scores that differ by a denormal weight) puts all in one bin.
    const span = highest - lowestBound;
    const scale = span > 0 && Number.isFinite(BINS / span) ? BINS / span : 0;
    binStart.fill(0);
    for (let t = 0; t < count; t++) {
      const bin = Math.min(BINS - 1, Math.floor((highest - bound[t]!) * scale));
      binOf[t] = bin;
      binStart[bin + 1]!++;
    }
    for (let b = 0; b < BINS; b++) binStart[b + 1]! += binStart[b]!;
    binFill.set(binStart.subarray(0, BINS));
    for (let t = 0; t < count; t++) {
      const slot = binFill[binOf[t]!]!++;
      binned[slot] = listed[t]!;
      binnedBound[slot] = bound[t]!;
    }
    for (let b = 0; b < BINS; b++) {
      if (binStart[b] === binStart[b + 1]) continue;
      // Bin b holds bounds at most `highest - b / scale`: nothing from here down can be offered.
      const binTop = highest - b / (scale || 1);
      if (binTop + EPSILON < Math.max(top.floor(), above)) {
        if (binTop > notOffered) notOffered = binTop;
        break;
      }
      for (let t = binStart[b]!; t < binStart[b + 1]!; t++) {
        const c = binned[t]!;
        const upper = binnedBound[t]!;
        if (upper + EPSILON < Math.max(top.floor(), above)) {
          if (upper > notOffered) notOffered = upper;
          continue;
        }
        const j = mentors[c]!;
        if (!allowed(cp, j, i)) continue;
        const score = pairScore(cp, j, i);
        const reduced = score - price[c]!;
        if (reduced > above) {
          scoreOf[c] = score;
          top.push(reduced, c);
        } else if (reduced > notOffered) notOffered = reduced;
      }
    }
    return notOffered;
  }
}

/**
 * Each mentee's k best allowed mentors (columns are positions in `bounds.columns`) with their exact scores,
 * ties towards the lower column, and the k-th best as cutoff wherever a mentor was left out. With
 * `prices` (one per mentor) the best are by score less price, and so is the cutoff (`base`).
 */
export function boundedTopCandidates(
  bounds: MentorBounds,
  mentees: Int32Array,
  k: number,
  prices?: Float64Array,
): CandidateRows {
  bounds.usePrices(prices ?? null);
  const m = bounds.m;
  const top = new TopK(Math.max(Math.min(k, m), 1));
  const scoreOf = new Float64Array(m);
  const start = new Int32Array(mentees.length + 1);
  const column = new Int32Array(mentees.length * Math.min(k, m));
  const score = new Float64Array(column.length);
  const cutoff = new Float64Array(mentees.length).fill(Number.NEGATIVE_INFINITY);
  mentees.forEach((i, r) => {
    top.clear();
    const notOffered = bounds.scan(i, Number.NEGATIVE_INFINITY, null, top, scoreOf);
    const base = start[r]!;
    for (let t = 0; t < top.size; t++) {
      column[base + t] = top.column[t]!;
      score[base + t] = scoreOf[top.column[t]!]!;
    }
    // Offered mentors that did not stay score at most the k-th best; the others, below it.
    if (top.dropped > 0 || notOffered > Number.NEGATIVE_INFINITY) cutoff[r] = top.floor();
    start[r + 1] = base + top.size;
  });
  const used = start[mentees.length]!;
  const rows = { start, column: column.slice(0, used), score: score.slice(0, used), cutoff };
  return prices ? { ...rows, base: prices } : rows;
}
