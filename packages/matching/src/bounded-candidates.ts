/**
 * Exact top-k mentors of each mentee without scoring every pair in full, by score or by score less
 * a price per mentor (pricing's reduced score). A mentor's score is a weighted sum of criteria in
 * [0, 1]. Per mentee, skills complementarity is summed from an inverted index of offered skills
 * (mentors offering no wanted skill score 0 on it), and the goals and interests each mentor shares
 * are counted from inverted indexes of their tokens; department, time zone and experience are
 * computed once per cell of mentors sharing all three; diversity, availability and languages once
 * per profile of mentors sharing all three values. That makes every criterion a few array reads per
 * mentor, and one sequential pass finds the few mentors that can still enter the k best; only those
 * are scored in full. A mentor left out provably scores below the final k-th best, so the row's
 * cutoff bounds every left-out pair as `solvePriced` requires, and with the duals as prices the
 * same scan finds a row's most violated pairs or proves it has none.
 */
import { type CandidateRows, TopK } from './candidates.ts';
import { MentorCards } from './mentor-cards.ts';
import { AVAILABILITY_WORDS, type CompiledProgram, type Csr } from './profiles.ts';
import { ScanKernel } from './scan-kernel.ts';
import {
  availabilityFit,
  backgroundDiversity,
  CROSS,
  DIVERSITY,
  EXPERIENCE,
  GOAL_SHARE,
  GOALS,
  languageFit,
  mentorLeadFit,
  NEUTRAL,
  offsetsFit,
  PRACTICAL,
  SKILL_SATURATION,
  SKILLS,
} from './score.ts';

/**
 * The scan sums a mentor's terms in another order than `pairScore`: a mentor is passed over only
 * when its sum falls short of the k-th best by more than any rounding, so ties are always scored.
 */
const EPSILON = 1e-9;
/** Attribute groups are kept while there are at most this many, or one per this many mentors. */
const GROUPS_AT_LEAST = 64;
const GROUP_SHARE = 8;

/** Which columns hold each item of a list: an inverted index over the mentors. */
class Postings {
  readonly start: Int32Array;
  readonly column: Int32Array;
  /** The position in `list.items` each posting came from (to read values kept alongside). */
  readonly entry: Int32Array;

  constructor(list: Csr, columns: Int32Array) {
    let items = 0;
    for (const j of columns)
      for (let t = list.start[j]!; t < list.start[j + 1]!; t++) items = Math.max(items, list.items[t]! + 1);
    this.start = new Int32Array(items + 1);
    for (const j of columns)
      for (let t = list.start[j]!; t < list.start[j + 1]!; t++) this.start[list.items[t]! + 1]!++;
    for (let s = 0; s < items; s++) this.start[s + 1]! += this.start[s]!;
    const fill = this.start.slice(0, items);
    this.column = new Int32Array(this.start[items]!);
    this.entry = new Int32Array(this.start[items]!);
    columns.forEach((j, c) => {
      for (let t = list.start[j]!; t < list.start[j + 1]!; t++) {
        const slot = fill[list.items[t]!]!++;
        this.column[slot] = c;
        this.entry[slot] = t;
      }
    });
  }

  /** Postings of `item` are `start[item] .. end(item)` (none for an item no mentor holds). */
  first(item: number): number {
    return item + 1 < this.start.length ? this.start[item]! : 0;
  }
  end(item: number): number {
    return item + 1 < this.start.length ? this.start[item + 1]! : 0;
  }
}

/** Tokens that are bits of a mask (`TokenOverlap`): the kernel counts them 32 to a word. */
const MASK_BITS = 32;

/**
 * A token-set criterion's index over the mentors: the postings of each token, each mentor's own
 * token count, the stride of the row's shared count in a key (one more than the most any mentor
 * holds), the term table's length for the longest list of any participant (the row), and that
 * longest list's length. The `MASK_BITS` tokens most mentors hold have a bit each (`bit`, -1 for
 * the others), and `mask` holds each mentor's bits.
 */
function tokenIndex(list: Csr, columns: Int32Array) {
  const own = Int32Array.from(columns, (j) => list.start[j + 1]! - list.start[j]!);
  const stride = own.reduce((most, size) => Math.max(most, size), 0) + 1;
  let longest = 0;
  for (let i = 0; i + 1 < list.start.length; i++)
    longest = Math.max(longest, list.start[i + 1]! - list.start[i]!);
  const postings = new Postings(list, columns);
  const tokens = postings.start.length - 1;
  const held = (token: number) => postings.start[token + 1]! - postings.start[token]!;
  const common = Array.from({ length: tokens }, (_, token) => token)
    .filter((token) => held(token) > 0)
    .sort((a, b) => held(b) - held(a) || a - b)
    .slice(0, MASK_BITS);
  const bit = new Int32Array(tokens).fill(-1);
  common.forEach((token, b) => {
    bit[token] = b;
  });
  const mask = new Int32Array(columns.length);
  for (const token of common)
    for (let p = postings.start[token]!; p < postings.start[token + 1]!; p++)
      mask[postings.column[p]!]! |= 1 << bit[token]!;
  return { postings, own, stride, terms: (longest + 1) * stride, longest, bit, mask };
}

/**
 * A token-set criterion (the Jaccard similarity of goals, or of interests) of one row against every
 * mentor at once. Per row, `key[c]` is mentor c's own token count plus `stride` times the tokens it
 * shares with the row, counted by the kernel's `count`: the common tokens from the row's bits
 * against each mentor's mask, the others through their postings (given as ranges in `ranges`), so
 * that `term[key[c]]` is the weighted similarity: two reads per mentor in the scan.
 */
class TokenOverlap {
  private readonly list: Csr;
  private readonly postings: Postings;
  private readonly bit: Int32Array;
  private readonly stride: number;
  private readonly ranges: Int32Array;
  private readonly count: (rowMask: number, count: number, stride: number) => void;
  readonly key: Int32Array;
  readonly term: Float64Array;

  constructor(
    list: Csr,
    index: ReturnType<typeof tokenIndex>,
    kernel: { key: Int32Array; term: Float64Array; ranges: Int32Array },
    count: (rowMask: number, count: number, stride: number) => void,
  ) {
    this.list = list;
    this.postings = index.postings;
    this.bit = index.bit;
    this.stride = index.stride;
    this.key = kernel.key;
    this.term = kernel.term;
    this.ranges = kernel.ranges;
    this.count = count;
  }

  prepare(i: number, weight: number): void {
    const { list, postings, ranges, stride, term, bit } = this;
    const size = list.start[i + 1]! - list.start[i]!;
    let rowMask = 0;
    let others = 0;
    for (let t = 0; t < size; t++) {
      const token = list.items[list.start[i]! + t]!;
      // Tokens past the index's last id are held by no mentor: no bit, and empty postings.
      if (token < bit.length && bit[token]! >= 0) rowMask |= 1 << bit[token]!;
      else {
        ranges[2 * others] = postings.first(token);
        ranges[2 * others + 1] = postings.end(token);
        others++;
      }
    }
    this.count(rowMask, others, stride);
    for (let shared = 0; shared <= size; shared++)
      for (let own = 0; own < stride; own++)
        // Unreachable combinations (more shared than either holds) are never read.
        term[shared * stride + own] = shared === 0 ? 0 : weight * (shared / (size + own - shared));
  }
}

/**
 * Mentors grouped by the whole value of one attribute, so that a criterion depending on it alone
 * is computed once per group and row. When nearly every mentor has its own value that would cost
 * as much as scoring, so the groups collapse into one whose value is the criterion's maximum, 1.
 */
class Groups {
  readonly of: Int32Array;
  private readonly mentor: Int32Array;
  /** How many values `fill` sets: one per group, or one for all once they collapsed. */
  readonly count: number;
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
    if (!this.exact) this.of.fill(0);
    this.mentor = this.exact ? Int32Array.from(mentor) : new Int32Array(0);
    this.count = this.exact ? mentor.length : 1;
  }

  /**
   * Sets each group's value to `fit` of its first mentor (every member has the same), or the one
   * collapsed group's to 1.
   */
  fill(fit: (j: number) => number, value: Float64Array): void {
    if (!this.exact) value[0] = 1;
    for (let g = 0; g < this.mentor.length; g++) value[g] = fit(this.mentor[g]!);
  }
}

/**
 * Ids for the distinct triples among `count` items (`triple(x)` for x < count), in order of first
 * appearance: each item's id, and each id's three values.
 */
function distinctTriples(count: number, triple: (x: number) => readonly [number, number, number]) {
  const ids = new Map<string, number>();
  const first: number[] = [];
  const second: number[] = [];
  const third: number[] = [];
  const of = new Int32Array(count);
  for (let x = 0; x < count; x++) {
    const values = triple(x);
    const key = values.join('|');
    let id = ids.get(key);
    if (id === undefined) {
      id = first.length;
      ids.set(key, id);
      first.push(values[0]);
      second.push(values[1]);
      third.push(values[2]);
    }
    of[x] = id;
  }
  return {
    of,
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    third: Int32Array.from(third),
  };
}

/**
 * One mentee's best mentors (one_to_one programs) by score less a price per mentor, found without
 * scoring every pair: see `scan`. With prices all zero that is the plain top-k; with the
 * assignment's column duals it is pricing, where the mentors that beat a threshold are violators.
 */
export class MentorBounds {
  readonly m: number;
  private readonly offeredSkills: Postings;
  private readonly postLevel: Float64Array;
  /**
   * The prepared mentee's weighted skills term per mentor (zero for mentors offering no wanted
   * skill) less the mentor's price: the kernel's sum then has one term fewer to read.
   */
  private readonly skillTerm: Float64Array;
  private readonly goals: TokenOverlap;
  private readonly interests: TokenOverlap;
  /** Background, availability and languages: their criteria, once per distinct value and row. */
  private readonly diversity: Groups;
  private readonly availability: Groups;
  private readonly language: Groups;
  /** Mentors sharing all three groups above; per row their terms are summed once per profile. */
  private readonly profileOf: Int32Array;
  private readonly profileTerm: Float64Array;
  /**
   * How far the profile terms may lie above the truth for the prepared mentee: the weight of the
   * groups that collapsed to their maximum (zero when every group is exact).
   */
  uncertain = 0;
  /**
   * Mentors grouped by department, time zone and experience, the criteria that depend on nothing
   * else: per row they are computed once per cell (`cellTerm`), exactly for every member; -Infinity
   * where the department or experience-gap rule forbids the cell.
   */
  private readonly cellOf: Int32Array;
  private readonly cellTerm: Float64Array;
  /**
   * Distinct departments, time zones and experiences among the mentors, whose terms for the row
   * (a forbidden department or experience gap -Infinity) make a cell's term three reads.
   */
  private readonly departments: Int32Array;
  private readonly zones: Float64Array;
  private readonly years: Float64Array;
  /** What `scan` subtracts from each mentor's score (`usePrices`), and its negation. */
  private readonly price: Float64Array;
  private readonly negatedPrice: Float64Array;
  /** The mentors' attributes as cards, for scoring and checking the few pairs the pass keeps. */
  private readonly cards: MentorCards;
  /** The per-row arrays above, and the scan's other arrays, live in its kernel's memory. */
  private readonly kernel: ScanKernel;
  private readonly cp: CompiledProgram;
  readonly columns: Int32Array;
  constructor(cp: CompiledProgram, columns: Int32Array) {
    this.cp = cp;
    this.columns = columns;
    const m = columns.length;
    this.m = m;
    this.offeredSkills = new Postings(cp.offered, columns);
    this.postLevel = Float64Array.from(this.offeredSkills.entry, (t) => cp.offeredLevel[t]!);
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
    const profiles = distinctTriples(columns.length, (c) => [
      this.diversity.of[c]!,
      this.availability.of[c]!,
      this.language.of[c]!,
    ]);
    const departmentIds = new Map<number, number>();
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
    const cells = distinctTriples(columns.length, (c) => [
      distinct(departmentIds, cp.department[columns[c]!]!),
      distinct(zoneIds, cp.utcOffset[columns[c]!]!),
      distinct(yearIds, cp.experience[columns[c]!]!),
    ]);
    this.departments = Int32Array.from(departmentIds.keys());
    this.zones = Float64Array.from(zoneIds.keys());
    this.years = Float64Array.from(yearIds.keys());
    const goals = tokenIndex(cp.goalTokens, columns);
    const interests = tokenIndex(cp.interestTokens, columns);
    this.kernel = new ScanKernel(
      {
        m,
        cells: cells.first.length,
        departments: departmentIds.size,
        zones: zoneIds.size,
        years: yearIds.size,
        profiles: profiles.first.length,
        diversityGroups: this.diversity.count,
        availabilityGroups: this.availability.count,
        languageGroups: this.language.count,
        goalPostings: goals.postings.column.length,
        interestPostings: interests.postings.column.length,
        goalTerms: goals.terms,
        interestTerms: interests.terms,
        tokens: Math.max(goals.longest, interests.longest),
        skillPostings: this.offeredSkills.column.length,
      },
      EPSILON,
    );
    const k = this.kernel.arrays;
    k.cellOf.set(cells.of);
    k.cellDepartment.set(cells.first);
    k.cellZone.set(cells.second);
    k.cellYears.set(cells.third);
    k.profileOf.set(profiles.of);
    k.profileDiversity.set(profiles.first);
    k.profileAvailability.set(profiles.second);
    k.profileLanguage.set(profiles.third);
    k.skillColumn.set(this.offeredSkills.column);
    k.skillLevel.set(this.postLevel);
    k.goalOwn.set(goals.own);
    k.goalMask.set(goals.mask);
    k.goalColumn.set(goals.postings.column);
    k.interestOwn.set(interests.own);
    k.interestMask.set(interests.mask);
    k.interestColumn.set(interests.postings.column);
    this.cellOf = k.cellOf;
    this.cellTerm = k.cellTerm;
    this.profileOf = k.profileOf;
    this.profileTerm = k.profileTerm;
    this.skillTerm = k.skillTerm;
    this.price = new Float64Array(m);
    this.negatedPrice = new Float64Array(m);
    this.goals = new TokenOverlap(
      cp.goalTokens,
      goals,
      { key: k.goalKey, term: k.goalTerm, ranges: k.tokenRanges },
      this.kernel.countGoals,
    );
    this.interests = new TokenOverlap(
      cp.interestTokens,
      interests,
      { key: k.interestKey, term: k.interestTerm, ranges: k.tokenRanges },
      this.kernel.countInterests,
    );
    this.inTop = new Uint8Array(m);
    this.cards = new MentorCards(cp, columns);
  }

  /** Prices that `scan` takes off every mentor's score (all zero until set; null resets them). */
  usePrices(price: Float64Array | null): void {
    if (price === null) this.price.fill(0);
    else this.price.set(price);
    for (let c = 0; c < this.m; c++) this.negatedPrice[c] = -this.price[c]!;
  }

  /**
   * Computes mentee i's skills term for every mentor offering a wanted skill, and its per-cell and
   * per-profile terms.
   */
  prepare(i: number): void {
    const w = this.cp.weightVector;
    this.cards.useRow(i);
    this.prepareSkills(i);
    this.goals.prepare(i, w[GOALS]! * GOAL_SHARE);
    this.interests.prepare(i, w[GOALS]! * (1 - GOAL_SHARE));
    this.prepareProfiles(i);
    this.prepareCells(i);
  }

  private prepareSkills(i: number): void {
    const cp = this.cp;
    const w = cp.weightVector;
    const { skillTerm, postLevel } = this;
    const { column: postColumn } = this.offeredSkills;
    skillTerm.set(this.negatedPrice);
    const wantedEnd = cp.wanted.start[i + 1]!;
    const wSkills = w[SKILLS]!;
    // Summed in `skillDirection`'s order: coverage per wanted skill over the saturation count.
    const share = wSkills / Math.min(wantedEnd - cp.wanted.start[i]!, SKILL_SATURATION);
    // Whether a mentor's level lifts the mentee is a coin toss for the branch predictor, so the
    // kernel's `addSkill` clamps coverage to [0, 1] with abs, and takes its quotient as a product.
    // Both may differ from `coverage` in the last bit.
    const quarter = share / 4;
    for (let t = cp.wanted.start[i]!; t < wantedEnd; t++) {
      const skill = cp.wanted.items[t]!;
      const current = cp.wantedCurrent[t]!;
      const needed = cp.wantedTarget[t]! - current;
      const end = this.offeredSkills.end(skill);
      const first = this.offeredSkills.first(skill);
      if (needed <= 0) {
        for (let p = first; p < end; p++) skillTerm[postColumn[p]!]! += postLevel[p]! > current ? share : 0;
        continue;
      }
      this.kernel.addSkill(first, end, current, 1 / needed, quarter);
    }
    // Past the saturation count the sum may exceed the weight: the criterion is at most 1.
    if (wantedEnd - cp.wanted.start[i]! > SKILL_SATURATION)
      for (let t = cp.wanted.start[i]!; t < wantedEnd; t++) {
        const skill = cp.wanted.items[t]!;
        const end = this.offeredSkills.end(skill);
        for (let p = this.offeredSkills.first(skill); p < end; p++)
          skillTerm[postColumn[p]!] = Math.min(
            skillTerm[postColumn[p]!]!,
            wSkills - this.price[postColumn[p]!]!,
          );
      }
  }

  private prepareProfiles(i: number): void {
    const cp = this.cp;
    const w = cp.weightVector;
    const { diversity, availability, language, kernel } = this;
    const k = kernel.arrays;
    diversity.fill((j) => backgroundDiversity(cp, i, j), k.diversityValue);
    availability.fill((j) => availabilityFit(cp, i, j), k.availabilityValue);
    language.fill((j) => languageFit(cp, i, j), k.languageValue);
    const wDiversity = w[DIVERSITY]!;
    const third = w[PRACTICAL]! / 3;
    kernel.sumProfiles(wDiversity, third);
    this.uncertain =
      (diversity.exact ? 0 : wDiversity) + third * ((availability.exact ? 0 : 1) + (language.exact ? 0 : 1));
  }

  private prepareCells(i: number): void {
    const cp = this.cp;
    const w = cp.weightVector;
    const third = w[PRACTICAL]! / 3;
    const { gapMin, gapMax, crossDepartmentOnly } = cp.settings;
    const yi = cp.experience[i]!;
    const di = cp.department[i]!;
    const oi = cp.utcOffset[i]!;
    const { departments, zones, years } = this;
    const { departmentTerm, zoneTerm, yearsTerm } = this.kernel.arrays;
    const wCross = w[CROSS]!;
    for (let d = 0; d < departments.length; d++) {
      const dj = departments[d]!;
      const cross = di < 0 || dj < 0 ? NEUTRAL : di === dj ? 0 : 1;
      departmentTerm[d] = crossDepartmentOnly && cross === 0 ? Number.NEGATIVE_INFINITY : wCross * cross;
    }
    for (let z = 0; z < zones.length; z++) zoneTerm[z] = third * offsetsFit(oi, zones[z]!);
    for (let y = 0; y < years.length; y++) {
      const lead = years[y]! - yi;
      // The experience-gap rule depends on the cell alone (NaN, unknown, passes like `allowed`).
      yearsTerm[y] =
        lead < gapMin || lead > gapMax ? Number.NEGATIVE_INFINITY : w[EXPERIENCE]! * mentorLeadFit(lead);
    }
    this.kernel.sumCells();
  }

  /**
   * The prepared mentee's score with mentor c less its price: exact (but for rounding) when
   * `uncertain` is zero, else at most that much above. -Infinity when a rule of c's cell forbids
   * the pair.
   */
  upper(c: number): number {
    return (
      this.cellTerm[this.cellOf[c]!]! +
      this.profileTerm[this.profileOf[c]!]! +
      this.skillTerm[c]! +
      this.goals.term[this.goals.key[c]!]! +
      this.interests.term[this.interests.key[c]!]!
    );
  }

  /**
   * Mentee i's allowed mentors whose score less price (`usePrices`) exceeds `above`, into `top`
   * keyed by that difference (so `top` keeps the best k), each one's exact score in `scoreOf`.
   * Columns flagged in `skip` are passed over. Returns an upper bound on the score less price of
   * every allowed mentor not offered to `top` (-Infinity when there is none).
   *
   * With `reserve`, the next best mentors by sum (below) are offered to it too, keyed by an upper
   * bound on their score less price, unscored; the bound returned then covers only the mentors
   * offered to neither.
   *
   * One sequential pass (the WebAssembly kernel's `scanRow`, see `scan-kernel.wat`) sums every
   * mentor's terms less price as `upper` does and keeps the best allowed sums; a mentor's score less
   * price lies within `uncertain` below its sum, so one whose sum falls short of the k-th best less
   * that cannot enter. In input order about
   * k·ln(m/k) sums beat the k-th best so far; only those that still reach the final bar, about k
   * when sums are exact, are then scored in full. A sequential pass over typed arrays beats an
   * index that visits fewer mentors at random.
   */
  scan(
    i: number,
    above: number,
    skip: Uint8Array | null,
    top: TopK,
    scoreOf: Float64Array,
    reserve: TopK | null = null,
  ): number {
    this.prepare(i);
    const { price, uncertain, kernel, skillTerm, cards } = this;
    const { skip: skipped, result, passed, passedSum, heapColumn } = kernel.arrays;
    if (skip !== null) skipped.set(skip);
    else if (this.skipping) skipped.fill(0);
    this.skipping = skip !== null;
    const kept = top.k + (reserve?.k ?? 0);
    const start = Math.max(above, top.floor());
    let count: number;
    // The kernel knows the rules of a mentor's cell only: a pair's own rules (reporting line,
    // blocks, past partners) forbid few mentors, so those among the best sums are taken out
    // (their sums set to -Infinity) and the pass run again, until every best sum is allowed.
    for (;;) {
      result[0] = Number.NEGATIVE_INFINITY;
      count = kernel.scanRow(start, uncertain, kept);
      let forbidden = false;
      for (let t = 0; t < Math.min(count, kept); t++) {
        const c = heapColumn[t]!;
        if (cards.allowed(c)) continue;
        skillTerm[c] = Number.NEGATIVE_INFINITY;
        forbidden = true;
      }
      if (!forbidden) break;
    }
    this.kept = kept;
    this.heapSize = Math.min(count, kept);
    const passedOver = result[0]!;
    this.notOffered = passedOver;
    // Only sums within `uncertain` of the k-th best sum can hold one of the k best scores; the
    // pass ended at the bar of the kept best.
    const bar =
      reserve !== null
        ? Math.max(above, this.kthBest(top.k) - uncertain)
        : Math.max(start, this.heapFloor() - uncertain);
    for (let t = 0; t < count; t++) {
      const c = passed[t]!;
      const sum = passedSum[t]!;
      if (sum + EPSILON < bar) {
        if (sum > this.notOffered) this.notOffered = sum;
        continue;
      }
      // Recorded before a better sum took its place: it may be one the pass did not check.
      if (!cards.allowed(c)) continue;
      const score = cards.score(c);
      const reduced = score - price[c]!;
      if (reduced > above) {
        scoreOf[c] = score;
        top.push(reduced, c);
      } else if (reduced > this.notOffered) this.notOffered = reduced;
    }
    // What was scored or summed but is in neither `top` nor `reserve` is bounded by `fillReserve`.
    if (reserve !== null) this.notOffered = Math.max(passedOver, this.fillReserve(top, reserve));
    return this.notOffered;
  }

  /** The floor of the pass's kept sums: the least of them once it kept all it could, else -Infinity. */
  private heapFloor(): number {
    return this.heapSize < this.kept ? Number.NEGATIVE_INFINITY : this.kernel.arrays.heapSum[0]!;
  }

  /** The k-th best of the pass's kept sums (-Infinity when it kept fewer). */
  private kthBest(k: number): number {
    const { heapSize } = this;
    if (heapSize < k) return Number.NEGATIVE_INFINITY;
    if (this.sorted.length < heapSize) this.sorted = new Float64Array(heapSize);
    const sums = this.sorted.subarray(0, heapSize);
    sums.set(this.kernel.arrays.heapSum.subarray(0, heapSize));
    sums.sort();
    return sums[heapSize - k]!;
  }

  /**
   * Offers the best sums that did not end in `top` to `reserve`. Returns a bound on the score less
   * price of every mentor summed in the pass but in neither: one whose sum is not among the best
   * kept is at most their floor.
   */
  private fillReserve(top: TopK, reserve: TopK): number {
    const { inTop, heapSize } = this;
    const { heapSum, heapColumn } = this.kernel.arrays;
    for (let t = 0; t < top.size; t++) inTop[top.column[t]!] = 1;
    for (let t = 0; t < heapSize; t++) {
      const c = heapColumn[t]!;
      // A sum is the score less price up to rounding: the reserve's key allows for that.
      if (inTop[c] === 0) reserve.push(heapSum[t]! + EPSILON, c);
    }
    for (let t = 0; t < top.size; t++) inTop[top.column[t]!] = 0;
    return Math.max(this.heapFloor(), reserve.dropped > 0 ? reserve.floor() : Number.NEGATIVE_INFINITY);
  }

  /**
   * Scan scratch: the highest sum among the mentors passed over so far, skipped ones aside; how
   * many sums the pass kept at most, and kept (in the kernel's heap).
   */
  private notOffered = Number.NEGATIVE_INFINITY;
  /** Whether the kernel's skip flags hold the last scan's `skip` (else they are all zero). */
  private skipping = false;
  private kept = 0;
  private heapSize = 0;
  /** Scratch of `kthBest` and `fillReserve`. */
  private sorted = new Float64Array(0);
  private readonly inTop: Uint8Array;
}

/**
 * Each mentee's k best allowed mentors (columns are positions in `bounds.columns`) with their exact
 * scores, ties towards the lower column, and the k-th best as cutoff wherever a mentor was left out.
 * With `prices` (one per mentor) the best are by score less price, and so is the cutoff (`base`).
 * With `reserve`, that many of the next best by sum are kept unscored, with an upper bound on
 * each one's score (`CandidateRows.reserve`), and the cutoff bounds only the mentors beyond them.
 */
export function boundedTopCandidates(
  bounds: MentorBounds,
  mentees: Int32Array,
  k: number,
  options: { prices?: Float64Array; reserve?: number } = {},
): CandidateRows {
  const { prices } = options;
  bounds.usePrices(prices ?? null);
  const m = bounds.m;
  const top = new TopK(Math.max(Math.min(k, m), 1));
  const reserve = options.reserve === undefined ? null : new TopK(Math.max(Math.min(options.reserve, m), 1));
  const reserved = reserve?.k ?? 0;
  const scoreOf = new Float64Array(m);
  const start = new Int32Array(mentees.length + 1);
  const column = new Int32Array(mentees.length * Math.min(k, m));
  const score = new Float64Array(column.length);
  const cutoff = new Float64Array(mentees.length).fill(Number.NEGATIVE_INFINITY);
  const reserveStart = new Int32Array(reserve ? mentees.length + 1 : 0);
  const reserveColumn = new Int32Array(mentees.length * reserved);
  const reserveBound = new Float64Array(reserveColumn.length);
  mentees.forEach((i, r) => {
    top.clear();
    reserve?.clear();
    const notOffered = bounds.scan(i, Number.NEGATIVE_INFINITY, null, top, scoreOf, reserve);
    const first = start[r]!;
    for (let t = 0; t < top.size; t++) {
      column[first + t] = top.column[t]!;
      score[first + t] = scoreOf[top.column[t]!]!;
    }
    start[r + 1] = first + top.size;
    if (reserve) {
      const from = reserveStart[r]!;
      for (let t = 0; t < reserve.size; t++) {
        const c = reserve.column[t]!;
        reserveColumn[from + t] = c;
        reserveBound[from + t] = reserve.score[t]! + (prices?.[c] ?? 0);
      }
      reserveStart[r + 1] = from + reserve.size;
      cutoff[r] = notOffered;
    }
    // Offered mentors that did not stay score at most the k-th best; the others, below it.
    else if (top.dropped > 0 || notOffered > Number.NEGATIVE_INFINITY) cutoff[r] = top.floor();
  });
  const used = start[mentees.length]!;
  const reserveUsed = reserve ? reserveStart[mentees.length]! : 0;
  return {
    start,
    column: column.slice(0, used),
    score: score.slice(0, used),
    cutoff,
    ...(prices ? { base: prices } : {}),
    ...(reserve
      ? {
          reserve: {
            start: reserveStart,
            column: reserveColumn.slice(0, reserveUsed),
            bound: reserveBound.slice(0, reserveUsed),
          },
        }
      : {}),
  };
}
