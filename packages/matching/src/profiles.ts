import { normalizeName, tokenize } from './text.ts';
import {
  type CriterionWeights,
  type MatchingInput,
  MatchingInputError,
  type Participant,
  type PreferenceSettings,
  type ProgramFormat,
  type ProgramSettings,
  type Weekday,
} from './types.ts';
import { normalizeWeights, weightVector } from './weights.ts';

export const ROLE_MENTOR = 0;
export const ROLE_MENTEE = 1;
export const ROLE_PEER = 2;

/** Half-hour cells in a week, packed 32 to a word. */
export const AVAILABILITY_CELLS = 7 * 48;
export const AVAILABILITY_WORDS = Math.ceil(AVAILABILITY_CELLS / 32);

const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Rows of variable-length integer lists, stored flat: row i is `items[start[i] .. start[i + 1])`. */
export interface Csr {
  start: Int32Array;
  items: Int32Array;
}

export interface ResolvedSettings {
  format: ProgramFormat;
  crossDepartmentOnly: boolean;
  excludeSameReportingLine: boolean;
  excludePreviousPartners: boolean;
  gapMin: number;
  gapMax: number;
  objective: 'weight' | 'cardinality_then_weight';
  candidates: number;
  circleSize: { target: number; min: number; max: number };
  circleMixWeight: number;
  preferences: PreferenceSettings;
  seed: number | string | undefined;
}

/**
 * Everything scoring needs, interned into integer ids and flat typed arrays once, so scoring a
 * pair or a whole row touches no strings and allocates nothing.
 */
export interface CompiledProgram {
  settings: ResolvedSettings;
  weights: CriterionWeights;
  /** `weights` in criterion order. */
  weightVector: Float64Array;
  participants: readonly Participant[];
  n: number;
  ids: string[];
  names: string[];
  index: Map<string, number>;
  role: Uint8Array;
  capacity: Int32Array;
  /** Department id, -1 when unknown. */
  department: Int32Array;
  departmentNames: string[];
  skillNames: string[];
  /** Offered skills per person, sorted by skill id, with `offeredLevel` aligned to `items`. */
  offered: Csr;
  offeredLevel: Float64Array;
  /** Wanted skills per person, sorted by skill id; current level (0 if not offered) and target. */
  wanted: Csr;
  wantedCurrent: Float64Array;
  wantedTarget: Float64Array;
  tokens: string[];
  goalTokens: Csr;
  interestTokens: Csr;
  backgroundKeys: string[];
  /** Shared background attributes per person, sorted by key id, values aligned in `backgroundValue`. */
  background: Csr;
  backgroundValue: Int32Array;
  /** Minutes from UTC, NaN when unknown. */
  utcOffset: Float64Array;
  /** UTC availability bitmap, AVAILABILITY_WORDS words per person; `availabilityCells` -1 when unknown. */
  availability: Uint32Array;
  availabilityCells: Int32Array;
  languageNames: string[];
  languages: Csr;
  /** Years, NaN when unknown. */
  experience: Float64Array;
  /** Pre/post order numbers in the reporting forest: a is above b iff enter[a] < enter[b] ≤ exit[a]. */
  lineEnter: Int32Array;
  lineExit: Int32Array;
  /** Symmetric, sorted lists of participant indices. */
  previousPartners: Csr;
  blocked: Csr;
  /** Ranked preferences as participant indices (unknown ids dropped). */
  preferences: Int32Array[];
}

class Interner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

function toCsr(rows: readonly (readonly number[])[]): Csr {
  const start = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) start[i + 1] = start[i]! + rows[i]!.length;
  const items = new Int32Array(start[rows.length]!);
  for (let i = 0; i < rows.length; i++) items.set(rows[i]!, start[i]!);
  return { start, items };
}

function resolveSettings(settings: ProgramSettings): ResolvedSettings {
  const circle = settings.circleSize ?? { target: 4, min: 3, max: 5 };
  if (!(circle.min >= 2 && circle.min <= circle.target && circle.target <= circle.max))
    throw new MatchingInputError('circleSize must satisfy 2 ≤ min ≤ target ≤ max');
  const mix = settings.circleMixWeight ?? 0.2;
  if (!(mix >= 0 && mix <= 1)) throw new MatchingInputError('circleMixWeight must be within [0, 1]');
  const candidates = settings.candidates ?? 30;
  if (!(Number.isInteger(candidates) && candidates >= 1))
    throw new MatchingInputError('candidates must be a positive integer');
  return {
    format: settings.format,
    crossDepartmentOnly: settings.crossDepartmentOnly ?? false,
    excludeSameReportingLine: settings.excludeSameReportingLine ?? true,
    excludePreviousPartners: settings.excludePreviousPartners ?? true,
    gapMin: settings.experienceGap?.min ?? Number.NEGATIVE_INFINITY,
    gapMax: settings.experienceGap?.max ?? Number.POSITIVE_INFINITY,
    objective: settings.objective ?? 'cardinality_then_weight',
    candidates,
    circleSize: { ...circle },
    circleMixWeight: mix,
    preferences: { ...settings.preferences },
    seed: settings.seed,
  };
}

function clockMinutes(clock: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!match) throw new MatchingInputError(`"${clock}" is not an HH:MM time`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Marks the half-hour cells a person is fully available in, shifted from local time to UTC. */
function fillAvailability(person: Participant, words: Uint32Array, base: number): number {
  const shiftCells = Math.round((person.utcOffsetMinutes ?? 0) / 30);
  let count = 0;
  for (const slot of person.availability ?? []) {
    const day = weekdays.indexOf(slot.day);
    if (day < 0) throw new MatchingInputError(`"${slot.day}" is not a weekday`);
    const from = Math.ceil(clockMinutes(slot.start) / 30);
    const to = Math.floor((slot.end === '24:00' ? 1440 : clockMinutes(slot.end)) / 30);
    for (let cell = from; cell < to; cell++) {
      const utc =
        (((day * 48 + cell - shiftCells) % AVAILABILITY_CELLS) + AVAILABILITY_CELLS) % AVAILABILITY_CELLS;
      const word = base + (utc >>> 5);
      const bit = 1 << (utc & 31);
      if ((words[word]! & bit) === 0) {
        words[word] = words[word]! | bit;
        count++;
      }
    }
  }
  return count;
}

/**
 * Numbers the reporting forest (direct and explicit chains) so that "same reporting line" is two
 * integer comparisons. Chains that loop are cut where the loop closes; the first parent given for a
 * person wins when sources disagree.
 */
function numberReportingLines(participants: readonly Participant[], index: Map<string, number>) {
  const nodes = new Interner();
  for (const person of participants) nodes.id(person.id);
  const parent: number[] = [];
  const setParent = (child: number, up: number) => {
    while (parent.length <= Math.max(child, up)) parent.push(-1);
    if (parent[child] === -1 && child !== up) parent[child] = up;
  };
  for (const person of participants) {
    const self = nodes.id(person.id);
    const chain = person.managerChain ?? (person.managerId === undefined ? [] : [person.managerId]);
    let below = self;
    for (const managerId of chain) {
      const up = nodes.id(managerId);
      setParent(below, up);
      below = up;
    }
  }
  const count = nodes.names.length;
  while (parent.length < count) parent.push(-1);
  const state = new Uint8Array(count);
  for (let start = 0; start < count; start++) {
    const path: number[] = [];
    let node = start;
    while (node !== -1 && state[node] === 0) {
      state[node] = 1;
      path.push(node);
      const up = parent[node]!;
      if (up !== -1 && state[up] === 1) {
        parent[node] = -1;
        break;
      }
      node = up;
    }
    for (const visited of path) state[visited] = 2;
  }
  const childStart = new Int32Array(count + 1);
  for (let v = 0; v < count; v++) if (parent[v]! >= 0) childStart[parent[v]! + 1]!++;
  for (let v = 0; v < count; v++) childStart[v + 1]! += childStart[v]!;
  const fill = childStart.slice(0, count);
  const children = new Int32Array(childStart[count]!);
  for (let v = 0; v < count; v++) {
    const up = parent[v]!;
    if (up >= 0) children[fill[up]!++] = v;
  }
  const enter = new Int32Array(count);
  const exit = new Int32Array(count);
  let clock = 0;
  const stack: number[] = [];
  const cursor = new Int32Array(count);
  for (let root = 0; root < count; root++) {
    if (parent[root]! >= 0) continue;
    stack.push(root);
    enter[root] = ++clock;
    cursor[root] = childStart[root]!;
    while (stack.length > 0) {
      const v = stack[stack.length - 1]!;
      if (cursor[v]! < childStart[v + 1]!) {
        const child = children[cursor[v]!++]!;
        enter[child] = ++clock;
        cursor[child] = childStart[child]!;
        stack.push(child);
      } else {
        exit[v] = clock;
        stack.pop();
      }
    }
  }
  const n = participants.length;
  const lineEnter = new Int32Array(n);
  const lineExit = new Int32Array(n);
  for (const [id, i] of index) {
    const node = nodes.id(id);
    lineEnter[i] = enter[node]!;
    lineExit[i] = exit[node]!;
  }
  return { lineEnter, lineExit };
}

function symmetricLists(
  participants: readonly Participant[],
  index: Map<string, number>,
  pick: (p: Participant) => readonly string[] | undefined,
): Csr {
  const sets = participants.map(() => new Set<number>());
  participants.forEach((person, i) => {
    for (const other of pick(person) ?? []) {
      const j = index.get(other);
      if (j === undefined || j === i) continue;
      sets[i]!.add(j);
      sets[j]!.add(i);
    }
  });
  return toCsr(sets.map((set) => [...set].sort((x, y) => x - y)));
}

export function compileProgram(input: MatchingInput): CompiledProgram {
  const { participants } = input;
  const settings = resolveSettings(input.settings);
  const weights = normalizeWeights(input.settings.weights);
  const n = participants.length;
  const index = new Map<string, number>();
  participants.forEach((person, i) => {
    if (index.has(person.id)) throw new MatchingInputError(`participant ${person.id} appears twice`);
    index.set(person.id, i);
  });

  const role = new Uint8Array(n);
  const capacity = new Int32Array(n);
  const department = new Int32Array(n);
  const utcOffset = new Float64Array(n);
  const experience = new Float64Array(n);
  const availability = new Uint32Array(n * AVAILABILITY_WORDS);
  const availabilityCells = new Int32Array(n);
  const departments = new Interner();
  const skills = new Interner();
  const tokens = new Interner();
  const keys = new Interner();
  const values = new Interner();
  const languageNames = new Interner();
  const offeredRows: number[][] = [];
  const offeredLevels: number[] = [];
  const wantedRows: number[][] = [];
  const wantedCurrent: number[] = [];
  const wantedTarget: number[] = [];
  const goalRows: number[][] = [];
  const interestRows: number[][] = [];
  const backgroundRows: number[][] = [];
  const backgroundValues: number[] = [];
  const languageRows: number[][] = [];

  /**
   * The distinct token ids of a person's phrases, sorted. Each phrase is tokenized once: goals and
   * interests repeat across people ("hiking"), and tokenizing took a fifth of a large compile.
   */
  const phraseIds = new Map<string, number[]>();
  const tokenIds = (phrases: readonly string[] | undefined): number[] => {
    const ids: number[] = [];
    for (const phrase of phrases ?? []) {
      let known = phraseIds.get(phrase);
      if (known === undefined) {
        known = tokenize([phrase]).map((token) => tokens.id(token));
        phraseIds.set(phrase, known);
      }
      for (const id of known) if (!ids.includes(id)) ids.push(id);
    }
    return ids.sort((x, y) => x - y);
  };

  participants.forEach((person, i) => {
    role[i] = person.role === 'mentor' ? ROLE_MENTOR : person.role === 'mentee' ? ROLE_MENTEE : ROLE_PEER;
    const cap = person.role === 'mentor' ? (person.capacity ?? 1) : 1;
    if (!(Number.isInteger(cap) && cap >= 0))
      throw new MatchingInputError(`capacity of ${person.id} must be an integer ≥ 0`);
    capacity[i] = cap;
    const dept = person.department?.trim();
    department[i] = dept ? departments.id(dept) : -1;
    utcOffset[i] = person.utcOffsetMinutes ?? Number.NaN;
    experience[i] = person.experienceYears ?? Number.NaN;

    const levels = new Map<number, number>();
    for (const skill of person.skillsOffered ?? []) {
      if (!(skill.level >= 1 && skill.level <= 5))
        throw new MatchingInputError(`skill level of ${person.id} must be within 1–5`);
      const id = skills.id(normalizeName(skill.name));
      levels.set(id, Math.max(levels.get(id) ?? 0, skill.level));
    }
    const offered = [...levels.keys()].sort((x, y) => x - y);
    offeredRows.push(offered);
    for (const id of offered) offeredLevels.push(levels.get(id)!);

    const targets = new Map<number, number>();
    for (const skill of person.skillsWanted ?? []) {
      const id = skills.id(normalizeName(skill.name));
      const current = levels.get(id) ?? 0;
      const target = skill.targetLevel ?? Math.max(3, Math.min(5, current + 2));
      if (!(target >= 1 && target <= 5))
        throw new MatchingInputError(`target level of ${person.id} must be within 1–5`);
      targets.set(id, Math.max(targets.get(id) ?? 0, target));
    }
    const wanted = [...targets.keys()].sort((x, y) => x - y);
    wantedRows.push(wanted);
    for (const id of wanted) {
      wantedCurrent.push(levels.get(id) ?? 0);
      wantedTarget.push(targets.get(id)!);
    }

    goalRows.push(tokenIds(person.careerGoals));
    interestRows.push(tokenIds(person.interests));

    const attributes = Object.entries(person.background ?? {})
      .map(([key, value]) => [keys.id(normalizeName(key)), values.id(normalizeName(value))] as const)
      .filter(([, value]) => values.names[value] !== '')
      .sort((x, y) => x[0] - y[0]);
    backgroundRows.push(attributes.map(([key]) => key));
    for (const [, value] of attributes) backgroundValues.push(value);

    const langs = new Set<number>();
    for (const tag of person.languages ?? []) {
      const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
      if (primary) langs.add(languageNames.id(primary));
    }
    languageRows.push([...langs].sort((x, y) => x - y));

    const cells = fillAvailability(person, availability, i * AVAILABILITY_WORDS);
    availabilityCells[i] = person.availability && person.availability.length > 0 ? cells : -1;
  });

  const { lineEnter, lineExit } = numberReportingLines(participants, index);
  return {
    settings,
    weights,
    weightVector: weightVector(weights),
    participants,
    n,
    ids: participants.map((p) => p.id),
    names: participants.map((p) => p.name ?? p.id),
    index,
    role,
    capacity,
    department,
    departmentNames: departments.names,
    skillNames: skills.names,
    offered: toCsr(offeredRows),
    offeredLevel: Float64Array.from(offeredLevels),
    wanted: toCsr(wantedRows),
    wantedCurrent: Float64Array.from(wantedCurrent),
    wantedTarget: Float64Array.from(wantedTarget),
    tokens: tokens.names,
    goalTokens: toCsr(goalRows),
    interestTokens: toCsr(interestRows),
    backgroundKeys: keys.names,
    background: toCsr(backgroundRows),
    backgroundValue: Int32Array.from(backgroundValues),
    utcOffset,
    availability,
    availabilityCells,
    languageNames: languageNames.names,
    languages: toCsr(languageRows),
    experience,
    lineEnter,
    lineExit,
    previousPartners: symmetricLists(participants, index, (p) => p.previousPartnerIds),
    blocked: symmetricLists(participants, index, (p) => p.blockedIds),
    preferences: participants.map((person, i) => {
      const seen = new Set<number>();
      for (const id of person.preferences ?? []) {
        const j = index.get(id);
        if (j !== undefined && j !== i) seen.add(j);
      }
      return Int32Array.from(seen);
    }),
  };
}

/** Whether a run uses the participants' ranked preferences (stable matching) instead of scores. */
export function usesPreferences(cp: CompiledProgram): boolean {
  const use = cp.settings.preferences.use ?? 'auto';
  if (use === 'auto') return cp.preferences.some((list) => list.length > 0);
  return use === 'always';
}
