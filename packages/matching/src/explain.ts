import { type CompiledProgram, ROLE_MENTOR } from './profiles.ts';
import { exclusions } from './rules.ts';
import {
  availabilityFit,
  CRITERIA,
  CROSS,
  commonAvailabilityCells,
  coverage,
  DIVERSITY,
  EXPERIENCE,
  GOALS,
  languageFit,
  PRACTICAL,
  pairCriteria,
  SKILLS,
  timezoneFit,
} from './score.ts';
import { normalizeName, tokenize } from './text.ts';
import {
  type CriterionWeights,
  criteria,
  MatchingInputError,
  type PairExplanation,
  type ScoredPair,
} from './types.ts';

const MAX_REASONS = 5;

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function teachable(cp: CompiledProgram, teacher: number, learner: number): string[] {
  const found: { name: string; value: number }[] = [];
  for (let j = cp.wanted.start[learner]!; j < cp.wanted.start[learner + 1]!; j++) {
    const skill = cp.wanted.items[j]!;
    for (let i = cp.offered.start[teacher]!; i < cp.offered.start[teacher + 1]!; i++) {
      if (cp.offered.items[i] !== skill) continue;
      const value = coverage(cp.offeredLevel[i]!, cp.wantedCurrent[j]!, cp.wantedTarget[j]!);
      if (value > 0) found.push({ name: cp.skillNames[skill]!, value });
    }
  }
  return found
    .sort((x, y) => y.value - x.value || x.name.localeCompare(y.name))
    .slice(0, 3)
    .map((f) => f.name);
}

function skillReasons(cp: CompiledProgram, a: number, b: number): string[] {
  const directions: [number, number][] =
    cp.settings.format === 'one_to_one'
      ? [cp.role[a] === ROLE_MENTOR ? [a, b] : [b, a]]
      : [
          [a, b],
          [b, a],
        ];
  const out: string[] = [];
  for (const [teacher, learner] of directions) {
    const skills = teachable(cp, teacher, learner);
    if (skills.length > 0)
      out.push(
        `${cp.names[teacher]} can teach ${listWords(skills)}, which ${cp.names[learner]} wants to grow`,
      );
  }
  return out;
}

/**
 * Token ids of each goal or interest phrase, once per program, and a table marking the tokens of
 * the phrase in hand: a mentor's phrases are compared in every pair it is in, and tokenizing them
 * again, then comparing them as sets of strings, took most of a large program's explanations.
 */
interface PhraseTable {
  idOf: Map<string, number>;
  tokens: Map<string, Int32Array>;
  mark: Int32Array;
  stamp: number;
}

const phraseTables = new WeakMap<CompiledProgram, PhraseTable>();

function phraseTable(cp: CompiledProgram): PhraseTable {
  let table = phraseTables.get(cp);
  if (table === undefined) {
    table = {
      idOf: new Map(cp.tokens.map((token, id) => [token, id])),
      tokens: new Map(),
      mark: new Int32Array(cp.tokens.length),
      stamp: 0,
    };
    phraseTables.set(cp, table);
  }
  return table;
}

/** The phrase's token ids (every token of a participant's phrase was interned by the compile). */
function phraseTokens(table: PhraseTable, phrase: string): Int32Array {
  let tokens = table.tokens.get(phrase);
  if (tokens === undefined) {
    tokens = Int32Array.from(tokenize([phrase]), (token) => table.idOf.get(token) ?? -1).filter(
      (id) => id >= 0,
    );
    table.tokens.set(phrase, tokens);
  }
  return tokens;
}

/** Starts a new set of marked tokens: those of `phrases`. */
function markTokens(table: PhraseTable, phrases: readonly string[]): void {
  table.stamp++;
  for (const phrase of phrases) for (const id of phraseTokens(table, phrase)) table.mark[id] = table.stamp;
}

/** How many of the phrase's tokens are marked. */
function markedCount(table: PhraseTable, phrase: string): number {
  let count = 0;
  for (const id of phraseTokens(table, phrase)) if (table.mark[id] === table.stamp) count++;
  return count;
}

function bestSharedPhrase(cp: CompiledProgram, phrasesA: readonly string[], phrasesB: readonly string[]) {
  const table = phraseTable(cp);
  let best: { a: string; b: string; common: number } | undefined;
  for (const a of phrasesA) {
    markTokens(table, [a]);
    for (const b of phrasesB) {
      const common = markedCount(table, b);
      if (common > 0 && (!best || common > best.common)) best = { a, b, common };
    }
  }
  return best;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function goalReasons(cp: CompiledProgram, a: number, b: number): string[] {
  const out: string[] = [];
  const pa = cp.participants[a]!;
  const pb = cp.participants[b]!;
  const goal = bestSharedPhrase(cp, pa.careerGoals ?? [], pb.careerGoals ?? []);
  if (goal) {
    out.push(
      normalizeName(goal.a) === normalizeName(goal.b)
        ? `Both aim to ${lowerFirst(goal.a.trim())}`
        : `Aligned career goals: “${goal.a.trim()}” and “${goal.b.trim()}”`,
    );
  }
  const table = phraseTable(cp);
  markTokens(table, pb.interests ?? []);
  const shared = (pa.interests ?? []).filter((interest) => markedCount(table, interest) > 0);
  if (shared.length > 0) out.push(`Shared interests: ${listWords(shared.slice(0, 3).map((s) => s.trim()))}`);
  return out;
}

function diversityReason(cp: CompiledProgram, a: number, b: number): string[] {
  const keys: string[] = [];
  const bg = cp.background;
  for (let i = bg.start[a]!; i < bg.start[a + 1]!; i++)
    for (let j = bg.start[b]!; j < bg.start[b + 1]!; j++)
      if (bg.items[i] === bg.items[j] && cp.backgroundValue[i] !== cp.backgroundValue[j])
        keys.push(cp.backgroundKeys[bg.items[i]!]!);
  return keys.length > 0 ? [`Different backgrounds they chose to share (${listWords(keys)})`] : [];
}

function practicalReasons(cp: CompiledProgram, a: number, b: number): string[] {
  const out: string[] = [];
  if (!Number.isNaN(cp.utcOffset[a]! - cp.utcOffset[b]!) && timezoneFit(cp, a, b) > 0) {
    const hours = Math.abs(cp.utcOffset[a]! - cp.utcOffset[b]!) / 60;
    out.push(hours === 0 ? 'Same time zone' : `Time zones ${hours} h apart, working hours overlap`);
  }
  if (languageFit(cp, a, b) === 1) {
    const common: string[] = [];
    const l = cp.languages;
    for (let i = l.start[a]!; i < l.start[a + 1]!; i++)
      for (let j = l.start[b]!; j < l.start[b + 1]!; j++)
        if (l.items[i] === l.items[j]) common.push(cp.languageNames[l.items[i]!]!);
    out.push(`Common language: ${listWords(common)}`);
  }
  if (cp.availabilityCells[a]! >= 0 && cp.availabilityCells[b]! >= 0 && availabilityFit(cp, a, b) > 0)
    out.push(`${commonAvailabilityCells(cp, a, b) / 2} h a week of common availability`);
  return out;
}

function experienceReason(cp: CompiledProgram, a: number, b: number): string[] {
  if (Number.isNaN(cp.experience[a]! - cp.experience[b]!)) return [];
  if (cp.settings.format === 'one_to_one') {
    const mentor = cp.role[a] === ROLE_MENTOR ? a : b;
    const mentee = mentor === a ? b : a;
    const lead = cp.experience[mentor]! - cp.experience[mentee]!;
    return lead > 0
      ? [`${cp.names[mentor]} is ${lead} years ahead of ${cp.names[mentee]} in experience`]
      : [];
  }
  return [`Near-peers: ${cp.experience[a]} and ${cp.experience[b]} years of experience`];
}

function reasonsFor(cp: CompiledProgram, a: number, b: number, criterion: number): string[] {
  switch (criterion) {
    case SKILLS:
      return skillReasons(cp, a, b);
    case GOALS:
      return goalReasons(cp, a, b);
    case CROSS:
      return cp.department[a]! >= 0 && cp.department[b]! >= 0 && cp.department[a] !== cp.department[b]
        ? [
            `Different departments: ${cp.departmentNames[cp.department[a]!]} and ${cp.departmentNames[cp.department[b]!]}`,
          ]
        : [];
    case DIVERSITY:
      return diversityReason(cp, a, b);
    case PRACTICAL:
      return practicalReasons(cp, a, b);
    case EXPERIENCE:
      return experienceReason(cp, a, b);
    default:
      return [];
  }
}

/** Score, per-criterion values and contributions, and plain-language reasons for a pair. */
export function scorePairExplained(cp: CompiledProgram, a: number, b: number): ScoredPair {
  const values = pairCriteria(cp, a, b, new Float64Array(CRITERIA));
  const w = cp.weightVector;
  const valueRecord = {} as CriterionWeights;
  const contributionRecord = {} as CriterionWeights;
  let score = 0;
  criteria.forEach((criterion, c) => {
    valueRecord[criterion] = values[c]!;
    contributionRecord[criterion] = w[c]! * values[c]!;
    score += w[c]! * values[c]!;
  });
  const order = criteria
    .map((_, c) => c)
    .filter((c) => w[c]! * values[c]! > 0)
    .sort((x, y) => w[y]! * values[y]! - w[x]! * values[x]! || x - y);
  const reasons = order.flatMap((c) => reasonsFor(cp, a, b, c)).slice(0, MAX_REASONS);
  return { score, criteria: valueRecord, contributions: contributionRecord, reasons };
}

/** Either the explained score of an allowed pair, or every hard rule that excludes it. */
export function explainPair(cp: CompiledProgram, idA: string, idB: string): PairExplanation {
  const a = cp.index.get(idA);
  const b = cp.index.get(idB);
  if (a === undefined || b === undefined)
    throw new MatchingInputError(`unknown participant ${a === undefined ? idA : idB}`);
  const excluded = exclusions(cp, a, b);
  if (excluded.length > 0) return { allowed: false, exclusions: excluded };
  return { allowed: true, ...scorePairExplained(cp, a, b) };
}
