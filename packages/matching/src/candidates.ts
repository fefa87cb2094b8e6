import { MentorCards } from './mentor-cards.ts';
import { AVAILABILITY_WORDS, type CompiledProgram, type Csr, ROLE_MENTEE } from './profiles.ts';
import { allowed } from './rules.ts';
import {
  AVAILABILITY_ENOUGH_CELLS,
  CROSS,
  DIVERSITY,
  EXPERIENCE,
  GOAL_SHARE,
  GOALS,
  MENTOR_LEAD_YEARS,
  NEUTRAL,
  PEER_GAP_SCALE,
  PRACTICAL,
  pairScore,
  popcount,
  SKILL_SATURATION,
  SKILLS,
  TIMEZONE_WINDOW,
} from './score.ts';

/**
 * A pair scored on its own (sorted-list merges, rule checks) costs about as much as this many
 * accumulator updates of a row pass; below that, listed columns are scored pair by pair.
 */
const PAIR_COST = 40;

/** Postings of one attribute over the column set: for each id, the column positions holding it. */
interface Postings {
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
  extra: Float64Array;
}

function buildPostings(
  source: Csr,
  columns: Int32Array,
  idCount: number,
  value?: (item: number) => number,
  extra?: (item: number) => number,
): Postings {
  const start = new Int32Array(idCount + 1);
  for (const j of columns)
    for (let t = source.start[j]!; t < source.start[j + 1]!; t++) start[source.items[t]! + 1]!++;
  for (let id = 0; id < idCount; id++) start[id + 1]! += start[id]!;
  const fill = start.slice(0, idCount);
  const total = start[idCount]!;
  const column = new Int32Array(total);
  const values = new Float64Array(value ? total : 0);
  const extras = new Float64Array(extra ? total : 0);
  columns.forEach((j, c) => {
    for (let t = source.start[j]!; t < source.start[j + 1]!; t++) {
      const slot = fill[source.items[t]!]!++;
      column[slot] = c;
      if (value) values[slot] = value(t);
      if (extra) extras[slot] = extra(t);
    }
  });
  return { start, column, value: values, extra: extras };
}

/** First posting of `id` at a column >= from (postings of an id are in column order). */
function firstAtLeast(post: Postings, id: number, from: number): number {
  let lo = post.start[id]!;
  let hi = post.start[id + 1]!;
  if (from === 0) return lo;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (post.column[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countsOf(list: Csr, columns: Int32Array): Float64Array {
  return Float64Array.from(columns, (j) => list.start[j + 1]! - list.start[j]!);
}

/**
 * Scores one participant (the row) against a fixed set of columns at once: attributes that are
 * sparse (skills, goal and interest tokens, background, languages) go through inverted postings
 * into per-column accumulators, everything else is a straight pass over typed arrays. Forbidden
 * columns score -Infinity. Availability, the one costly term, is added only where the caller's
 * bound says it could matter.
 */
export class RowScorer {
  readonly m: number;
  private readonly peers: boolean;
  private readonly offeredPost: Postings;
  private readonly wantedPost: Postings;
  private readonly goalPost: Postings;
  private readonly interestPost: Postings;
  private readonly backgroundPost: Postings;
  private readonly languagePost: Postings;
  private readonly goalCount: Float64Array;
  private readonly interestCount: Float64Array;
  private readonly wantedSaturation: Float64Array;
  private readonly languageCount: Float64Array;
  private readonly skillAcc: Float64Array;
  private readonly skillRevAcc: Float64Array;
  private readonly goalAcc: Float64Array;
  private readonly interestAcc: Float64Array;
  private readonly sharedAcc: Float64Array;
  private readonly differAcc: Float64Array;
  private readonly languageAcc: Uint8Array;
  private readonly banned: Uint32Array;
  private readonly position: Int32Array;
  private stamp = 0;
  /** Columns whose availability is still to be added; `availabilityPending[c]` is 1 for them. */
  readonly availabilityPending: Uint8Array;
  /** Upper bound of the availability term still missing from a pending column's score. */
  readonly availabilityBound: number;

  private readonly cp: CompiledProgram;
  readonly columns: Int32Array;
  constructor(cp: CompiledProgram, columns: Int32Array) {
    this.cp = cp;
    this.columns = columns;
    const m = columns.length;
    this.m = m;
    this.peers = cp.settings.format !== 'one_to_one';
    this.offeredPost = buildPostings(cp.offered, columns, cp.skillNames.length, (t) => cp.offeredLevel[t]!);
    this.wantedPost = this.peers
      ? buildPostings(
          cp.wanted,
          columns,
          cp.skillNames.length,
          (t) => cp.wantedCurrent[t]!,
          (t) => cp.wantedTarget[t]!,
        )
      : buildPostings({ start: new Int32Array(cp.n + 1), items: new Int32Array(0) }, columns, 0);
    this.goalPost = buildPostings(cp.goalTokens, columns, cp.tokens.length);
    this.interestPost = buildPostings(cp.interestTokens, columns, cp.tokens.length);
    this.backgroundPost = buildPostings(
      cp.background,
      columns,
      cp.backgroundKeys.length,
      (t) => cp.backgroundValue[t]!,
    );
    this.languagePost = buildPostings(cp.languages, columns, cp.languageNames.length);
    this.goalCount = countsOf(cp.goalTokens, columns);
    this.interestCount = countsOf(cp.interestTokens, columns);
    this.languageCount = countsOf(cp.languages, columns);
    this.wantedSaturation = Float64Array.from(columns, (j) =>
      Math.min(cp.wanted.start[j + 1]! - cp.wanted.start[j]!, SKILL_SATURATION),
    );
    this.skillAcc = new Float64Array(m);
    this.skillRevAcc = new Float64Array(m);
    this.goalAcc = new Float64Array(m);
    this.interestAcc = new Float64Array(m);
    this.sharedAcc = new Float64Array(m);
    this.differAcc = new Float64Array(m);
    this.languageAcc = new Uint8Array(m);
    this.banned = new Uint32Array(m);
    this.availabilityPending = new Uint8Array(m);
    this.position = new Int32Array(cp.n).fill(-1);
    columns.forEach((j, c) => {
      this.position[j] = c;
    });
    this.availabilityBound = cp.weightVector[PRACTICAL]! / 3;
    this.cards = this.peers ? null : new MentorCards(cp, columns);
  }
  /** one_to_one: the mentors as cards, for scoring a few pairs of a row (see `scoreColumns`). */
  private readonly cards: MentorCards | null;

  private banList(list: Csr, row: number) {
    for (let t = list.start[row]!; t < list.start[row + 1]!; t++) {
      const c = this.position[list.items[t]!]!;
      if (c >= 0) this.banned[c] = this.stamp;
    }
  }

  /**
   * Scores row `i` against every column from `from` on into `out` (earlier columns read -Infinity),
   * availability left pending where known on both sides.
   */
  scoreRow(i: number, out: Float64Array, from = 0): void {
    this.score(i, out, from, null, this.m);
  }

  /**
   * Full scores (availability included) of row `i` against the columns `list[0 .. count)` into
   * `out[0 .. count)`: the postings are walked as for a whole row, but only the listed columns are
   * finished, so pricing a row against a few columns costs little more than its postings.
   */
  scoreColumns(i: number, list: Int32Array, count: number, out: Float64Array): void {
    if (count * PAIR_COST < this.postingWork(i)) {
      const { cp, cards } = this;
      if (cards !== null) {
        cards.useRow(i);
        for (let t = 0; t < count; t++)
          out[t] = cards.allowed(list[t]!) ? cards.score(list[t]!) : Number.NEGATIVE_INFINITY;
        return;
      }
      for (let t = 0; t < count; t++) {
        const j = this.columns[list[t]!]!;
        out[t] = allowed(cp, i, j) ? pairScore(cp, i, j) : Number.NEGATIVE_INFINITY;
      }
      return;
    }
    this.score(i, out, 0, list, count);
    const pending = this.availabilityPending;
    for (let t = 0; t < count; t++) {
      const c = list[t]!;
      if (pending[c] === 1) {
        pending[c] = 0;
        out[t]! += this.availabilityTerm(i, c);
      }
    }
    this.clearAccumulators(i);
  }

  /** Accumulator updates a pass over row i's postings makes. */
  private postingWork(i: number): number {
    const cp = this.cp;
    let work = 0;
    const add = (list: Csr, post: Postings) => {
      for (let t = list.start[i]!; t < list.start[i + 1]!; t++) {
        const id = list.items[t]!;
        work += post.start[id + 1]! - post.start[id]!;
      }
    };
    add(cp.wanted, this.offeredPost);
    if (this.peers) add(cp.offered, this.wantedPost);
    add(cp.goalTokens, this.goalPost);
    add(cp.interestTokens, this.interestPost);
    add(cp.background, this.backgroundPost);
    add(cp.languages, this.languagePost);
    return work;
  }

  /** Zeroes the accumulators a row's postings touched (the whole-row pass zeroes as it goes). */
  private clearAccumulators(i: number) {
    const cp = this.cp;
    const { skillAcc, skillRevAcc, goalAcc, interestAcc, sharedAcc, differAcc, languageAcc } = this;
    const clear = (list: Csr, post: Postings, acc: Float64Array | Uint8Array, second?: Float64Array) => {
      for (let t = list.start[i]!; t < list.start[i + 1]!; t++) {
        const id = list.items[t]!;
        for (let p = post.start[id]!; p < post.start[id + 1]!; p++) {
          acc[post.column[p]!] = 0;
          if (second) second[post.column[p]!] = 0;
        }
      }
    };
    clear(cp.wanted, this.offeredPost, skillAcc);
    if (this.peers) clear(cp.offered, this.wantedPost, skillRevAcc);
    clear(cp.goalTokens, this.goalPost, goalAcc);
    clear(cp.interestTokens, this.interestPost, interestAcc);
    clear(cp.background, this.backgroundPost, sharedAcc, differAcc);
    clear(cp.languages, this.languagePost, languageAcc);
  }

  /**
   * The scoring pass: postings into the accumulators, then either every column (`list` null: out
   * is indexed by column, accumulators are zeroed on the way) or the listed ones (out indexed by
   * position in the list; the caller zeroes the accumulators).
   */
  private score(i: number, out: Float64Array, from: number, list: Int32Array | null, count: number): void {
    const cp = this.cp;
    const s = cp.settings;
    const w = cp.weightVector;
    const { columns, skillAcc, skillRevAcc, goalAcc, interestAcc, sharedAcc, differAcc, languageAcc } = this;
    if (!this.peers && cp.role[i] !== ROLE_MENTEE) throw new Error('one_to_one rows must be mentees');

    this.stamp++;
    if (this.stamp === 0xffffffff) {
      this.banned.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.banList(cp.blocked, i);
    if (s.excludePreviousPartners) this.banList(cp.previousPartners, i);

    const op = this.offeredPost;
    for (let t = cp.wanted.start[i]!; t < cp.wanted.start[i + 1]!; t++) {
      const skill = cp.wanted.items[t]!;
      const current = cp.wantedCurrent[t]!;
      const target = cp.wantedTarget[t]!;
      const needed = target - current;
      for (let p = firstAtLeast(op, skill, from); p < op.start[skill + 1]!; p++) {
        const level = op.value[p]!;
        let cov: number;
        if (needed <= 0) cov = level > current ? 1 : 0;
        else {
          cov = (level - current) / needed;
          cov = cov <= 0 ? 0 : Math.min(cov, 1);
        }
        skillAcc[op.column[p]!]! += cov;
      }
    }
    if (this.peers) {
      const wp = this.wantedPost;
      for (let t = cp.offered.start[i]!; t < cp.offered.start[i + 1]!; t++) {
        const skill = cp.offered.items[t]!;
        const level = cp.offeredLevel[t]!;
        for (let p = firstAtLeast(wp, skill, from); p < wp.start[skill + 1]!; p++) {
          const current = wp.value[p]!;
          const needed = wp.extra[p]! - current;
          let cov: number;
          if (needed <= 0) cov = level > current ? 1 : 0;
          else {
            cov = (level - current) / needed;
            cov = cov <= 0 ? 0 : Math.min(cov, 1);
          }
          skillRevAcc[wp.column[p]!]! += cov;
        }
      }
    }
    const gp = this.goalPost;
    for (let t = cp.goalTokens.start[i]!; t < cp.goalTokens.start[i + 1]!; t++) {
      const token = cp.goalTokens.items[t]!;
      for (let p = firstAtLeast(gp, token, from); p < gp.start[token + 1]!; p++) goalAcc[gp.column[p]!]! += 1;
    }
    const ip = this.interestPost;
    for (let t = cp.interestTokens.start[i]!; t < cp.interestTokens.start[i + 1]!; t++) {
      const token = cp.interestTokens.items[t]!;
      for (let p = firstAtLeast(ip, token, from); p < ip.start[token + 1]!; p++)
        interestAcc[ip.column[p]!]! += 1;
    }
    const bp = this.backgroundPost;
    for (let t = cp.background.start[i]!; t < cp.background.start[i + 1]!; t++) {
      const key = cp.background.items[t]!;
      const value = cp.backgroundValue[t]!;
      for (let p = firstAtLeast(bp, key, from); p < bp.start[key + 1]!; p++) {
        const c = bp.column[p]!;
        sharedAcc[c]! += 1;
        if (bp.value[p] !== value) differAcc[c]! += 1;
      }
    }
    const lp = this.languagePost;
    const rowLanguages = cp.languages.start[i + 1]! - cp.languages.start[i]!;
    for (let t = cp.languages.start[i]!; t < cp.languages.start[i + 1]!; t++) {
      const lang = cp.languages.items[t]!;
      for (let p = firstAtLeast(lp, lang, from); p < lp.start[lang + 1]!; p++) languageAcc[lp.column[p]!] = 1;
    }

    const rowSaturation = Math.min(cp.wanted.start[i + 1]! - cp.wanted.start[i]!, SKILL_SATURATION);
    const rowGoals = cp.goalTokens.start[i + 1]! - cp.goalTokens.start[i]!;
    const rowInterests = cp.interestTokens.start[i + 1]! - cp.interestTokens.start[i]!;
    const di = cp.department[i]!;
    const ei = cp.lineEnter[i]!;
    const xi = cp.lineExit[i]!;
    const oi = cp.utcOffset[i]!;
    const yi = cp.experience[i]!;
    const ai = cp.availabilityCells[i]!;
    const wSkills = w[SKILLS]!;
    const wGoals = w[GOALS]!;
    const wCross = w[CROSS]!;
    const wDiversity = w[DIVERSITY]!;
    const wThird = w[PRACTICAL]! / 3;
    const wExperience = w[EXPERIENCE]!;
    const crossOnly = s.crossDepartmentOnly;
    const lineRule = s.excludeSameReportingLine;
    const gapMin = s.gapMin;
    const gapMax = s.gapMax;
    const peerScale = Number.isFinite(gapMax) ? gapMax + 1 : PEER_GAP_SCALE;
    const peers = this.peers;
    const pending = this.availabilityPending;
    const banned = this.banned;
    const department = cp.department;
    const lineEnter = cp.lineEnter;
    const lineExit = cp.lineExit;
    const experienceOf = cp.experience;
    const utcOffset = cp.utcOffset;
    const availabilityCells = cp.availabilityCells;
    const goalCount = this.goalCount;
    const interestCount = this.interestCount;
    const languageCount = this.languageCount;
    const wantedSaturation = this.wantedSaturation;

    const whole = list === null;
    // Postings were walked from column `from` on, so earlier columns hold no accumulator state.
    if (whole && from > 0) {
      out.fill(Number.NEGATIVE_INFINITY, 0, from);
      pending.fill(0, 0, from);
    }
    for (let t = whole ? from : 0; t < count; t++) {
      const c = whole ? t : list[t]!;
      const j = columns[c]!;
      const skillRaw = skillAcc[c]!;
      const skillRev = skillRevAcc[c]!;
      const goalCommon = goalAcc[c]!;
      const interestCommon = interestAcc[c]!;
      const shared = sharedAcc[c]!;
      const differ = differAcc[c]!;
      const speaks = languageAcc[c]!;
      if (whole) {
        skillAcc[c] = 0;
        skillRevAcc[c] = 0;
        goalAcc[c] = 0;
        interestAcc[c] = 0;
        sharedAcc[c] = 0;
        differAcc[c] = 0;
        languageAcc[c] = 0;
      }
      pending[c] = 0;

      if (j === i || banned[c] === stamp) {
        out[t] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const dj = department[j]!;
      let cross: number;
      if (di < 0 || dj < 0) cross = NEUTRAL;
      else if (di === dj) {
        if (crossOnly) {
          out[t] = Number.NEGATIVE_INFINITY;
          continue;
        }
        cross = 0;
      } else cross = 1;
      if (lineRule) {
        const ej = lineEnter[j]!;
        if ((ei < ej && ej <= xi) || (ej < ei && ei <= lineExit[j]!)) {
          out[t] = Number.NEGATIVE_INFINITY;
          continue;
        }
      }
      const yj = experienceOf[j]!;
      let experience: number;
      if (peers) {
        const gap = Math.abs(yi - yj);
        if (gap < gapMin || gap > gapMax) {
          out[t] = Number.NEGATIVE_INFINITY;
          continue;
        }
        experience = Number.isNaN(gap) ? NEUTRAL : gap >= peerScale ? 0 : 1 - gap / peerScale;
      } else {
        const lead = yj - yi;
        if (lead < gapMin || lead > gapMax) {
          out[t] = Number.NEGATIVE_INFINITY;
          continue;
        }
        experience = Number.isNaN(lead)
          ? NEUTRAL
          : lead <= 0
            ? 0
            : lead >= MENTOR_LEAD_YEARS
              ? 1
              : lead / MENTOR_LEAD_YEARS;
      }

      let skills = rowSaturation === 0 ? 0 : skillRaw / rowSaturation;
      if (skills > 1) skills = 1;
      if (peers) {
        const sat = wantedSaturation[c]!;
        let reverse = sat === 0 ? 0 : skillRev / sat;
        if (reverse > 1) reverse = 1;
        skills = (skills + reverse) / 2;
      }
      const goals =
        GOAL_SHARE * (goalCommon === 0 ? 0 : goalCommon / (rowGoals + goalCount[c]! - goalCommon)) +
        (1 - GOAL_SHARE) *
          (interestCommon === 0 ? 0 : interestCommon / (rowInterests + interestCount[c]! - interestCommon));
      const diversity = shared === 0 ? NEUTRAL : differ / shared;

      const diff = Math.abs(oi - utcOffset[j]!);
      let timezone: number;
      if (Number.isNaN(diff)) timezone = NEUTRAL;
      else {
        // Offsets lie within a day of each other in practice; fmod is costly in this loop.
        const wrapped = diff < 1440 ? diff : diff % 1440;
        const apart = Math.min(wrapped, 1440 - wrapped);
        timezone = apart >= TIMEZONE_WINDOW ? 0 : 1 - apart / TIMEZONE_WINDOW;
      }
      const language = rowLanguages === 0 || languageCount[c] === 0 ? NEUTRAL : speaks;
      let availability = 0;
      const aj = availabilityCells[j]!;
      if (ai < 0 || aj < 0) availability = NEUTRAL;
      else pending[c] = 1;

      out[t] =
        wSkills * skills +
        wGoals * goals +
        wCross * cross +
        wDiversity * diversity +
        wThird * (timezone + language + availability) +
        wExperience * experience;
    }
  }

  /** Adds the availability term to a pending column's score from `scoreRow`. */
  availabilityTerm(i: number, c: number): number {
    const cp = this.cp;
    const j = this.columns[c]!;
    const enough = Math.min(AVAILABILITY_ENOUGH_CELLS, cp.availabilityCells[i]!, cp.availabilityCells[j]!);
    if (enough === 0) return 0;
    let common = 0;
    const baseI = i * AVAILABILITY_WORDS;
    const baseJ = j * AVAILABILITY_WORDS;
    for (let t = 0; t < AVAILABILITY_WORDS; t++)
      common += popcount(cp.availability[baseI + t]! & cp.availability[baseJ + t]!);
    const fit = common >= enough ? 1 : common / enough;
    return this.availabilityBound * fit;
  }

  /** Full scores of row i from column `from` on: -Infinity for forbidden columns. */
  fullRow(i: number, out: Float64Array, from = 0): void {
    this.scoreRow(i, out, from);
    const pending = this.availabilityPending;
    for (let c = from; c < this.m; c++) if (pending[c] === 1) out[c]! += this.availabilityTerm(i, c);
  }
}

/**
 * Keeps the k best (score, column) entries: a binary min-heap on score, ties broken towards the
 * lower column so that the kept set does not depend on scan order.
 */
export class TopK {
  readonly score: Float64Array;
  readonly column: Int32Array;
  size = 0;
  /** Entries pushed since `clear` that are not kept (turned away, or pushed out later). */
  dropped = 0;
  readonly k: number;
  constructor(k: number) {
    this.k = k;
    this.score = new Float64Array(k);
    this.column = new Int32Array(k);
  }
  clear() {
    this.size = 0;
    this.dropped = 0;
  }
  private worse(a: number, b: number): boolean {
    const sa = this.score[a]!;
    const sb = this.score[b]!;
    return sa < sb || (sa === sb && this.column[a]! > this.column[b]!);
  }
  /** The score an entry must beat to enter (-Infinity while not full). */
  floor(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : this.score[0]!;
  }
  push(score: number, column: number) {
    const { score: sc, column: col } = this;
    if (this.size < this.k) {
      let i = this.size++;
      sc[i] = score;
      col[i] = column;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    this.dropped++;
    if (score < sc[0]! || (score === sc[0]! && column > col[0]!)) return;
    sc[0] = score;
    col[0] = column;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.size && this.worse(l, least)) least = l;
      if (r < this.size && this.worse(r, least)) least = r;
      if (least === i) break;
      this.swap(i, least);
      i = least;
    }
  }
  private swap(a: number, b: number) {
    const s = this.score[a]!;
    this.score[a] = this.score[b]!;
    this.score[b] = s;
    const c = this.column[a]!;
    this.column[a] = this.column[b]!;
    this.column[b] = c;
  }
}

/** A row's k best allowed columns and the lowest score kept (the bound on everything left out). */
export interface CandidateRows {
  start: Int32Array;
  column: Int32Array;
  score: Float64Array;
  /** Score of the k-th candidate when the row had more than k allowed columns, else -Infinity. */
  cutoff: Float64Array;
  /**
   * Column prices the lists were chosen under (top-k by score less price), when they were: the
   * cutoff then bounds score − base[c] of every pair left out, not the score.
   */
  base?: Float64Array;
  /**
   * Pairs known beyond each row's list, kept out of the graph: row r's are `[start[r], start[r + 1])`
   * with an upper bound on each one's score. Where given, the cutoff bounds only the pairs in
   * neither, so pricing checks these few against the duals instead of scoring the row again.
   */
  reserve?: { start: Int32Array; column: Int32Array; bound: Float64Array };
  /** The size of the sample whose duals are `base` (see `programSample`), for the solver's report. */
  sampledMentees?: number;
}

/**
 * Top-k allowed columns for each row without materializing the full score matrix. The k-th best
 * partial score (availability still missing) is a lower bound on the k-th best full score, so only
 * columns within the availability bound of it need the costly term.
 */
export function topCandidates(scorer: RowScorer, rows: Int32Array, k: number): CandidateRows {
  const m = scorer.m;
  const kk = Math.min(k, m);
  const rowScores = new Float64Array(m);
  const partialTop = new TopK(Math.max(kk, 1));
  const fullTop = new TopK(Math.max(kk, 1));
  const start = new Int32Array(rows.length + 1);
  const columnParts: Int32Array[] = [];
  const scoreParts: Float64Array[] = [];
  const cutoff = new Float64Array(rows.length).fill(Number.NEGATIVE_INFINITY);
  const bound = scorer.availabilityBound;
  const pending = scorer.availabilityPending;
  rows.forEach((i, r) => {
    scorer.scoreRow(i, rowScores);
    partialTop.clear();
    fullTop.clear();
    let allowedCount = 0;
    for (let c = 0; c < m; c++) {
      const value = rowScores[c]!;
      if (value === Number.NEGATIVE_INFINITY) continue;
      allowedCount++;
      if (value > partialTop.floor()) partialTop.push(value, c);
    }
    const threshold = partialTop.floor();
    for (let c = 0; c < m; c++) {
      let value = rowScores[c]!;
      if (value === Number.NEGATIVE_INFINITY) continue;
      if (pending[c] === 1) {
        if (value + bound < threshold) continue;
        value += scorer.availabilityTerm(i, c);
      }
      fullTop.push(value, c);
    }
    const size = fullTop.size;
    const cols = new Int32Array(size);
    const scores = new Float64Array(size);
    for (let t = 0; t < size; t++) {
      cols[t] = fullTop.column[t]!;
      scores[t] = fullTop.score[t]!;
    }
    if (allowedCount > size) cutoff[r] = fullTop.floor();
    columnParts.push(cols);
    scoreParts.push(scores);
    start[r + 1] = start[r]! + size;
  });
  const column = new Int32Array(start[rows.length]!);
  const score = new Float64Array(start[rows.length]!);
  columnParts.forEach((cols, r) => {
    column.set(cols, start[r]!);
    score.set(scoreParts[r]!, start[r]!);
  });
  return { start, column, score, cutoff };
}

/**
 * Top-k columns of each row for any exact row scorer (-Infinity where forbidden), with the same
 * tie-breaking and cutoff as `topCandidates`.
 */
export function topCandidatesOf(
  rowCount: number,
  m: number,
  k: number,
  scoreRow: (r: number, out: Float64Array) => void,
): CandidateRows {
  const kk = Math.max(Math.min(k, m), 1);
  const rowScores = new Float64Array(m);
  const top = new TopK(kk);
  const start = new Int32Array(rowCount + 1);
  const column = new Int32Array(rowCount * Math.min(k, m));
  const score = new Float64Array(column.length);
  const cutoff = new Float64Array(rowCount).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < rowCount; r++) {
    scoreRow(r, rowScores);
    top.clear();
    let allowedCount = 0;
    for (let c = 0; c < m; c++) {
      const value = rowScores[c]!;
      if (value === Number.NEGATIVE_INFINITY) continue;
      allowedCount++;
      if (value >= top.floor()) top.push(value, c);
    }
    const base = start[r]!;
    for (let t = 0; t < top.size; t++) {
      column[base + t] = top.column[t]!;
      score[base + t] = top.score[t]!;
    }
    if (allowedCount > top.size) cutoff[r] = top.floor();
    start[r + 1] = base + top.size;
  }
  const used = start[rowCount]!;
  return { start, column: column.slice(0, used), score: score.slice(0, used), cutoff };
}
