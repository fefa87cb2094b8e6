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
 * Each goal or interest phrase's tokens, once per program: a mentor's phrases are compared in every
 * pair it is in, and tokenizing them again took a third of a large program's explanations.
 */
const phraseTokenCache = new WeakMap<CompiledProgram, Map<string, readonly string[]>>();

function phraseTokens(cp: CompiledProgram, phrase: string): readonly string[] {
  let cache = phraseTokenCache.get(cp);
  if (cache === undefined) {
    cache = new Map();
    phraseTokenCache.set(cp, cache);
  }
  let tokens = cache.get(phrase);
  if (tokens === undefined) {
    tokens = tokenize([phrase]);
    cache.set(phrase, tokens);
  }
  return tokens;
}

function bestSharedPhrase(cp: CompiledProgram, phrasesA: readonly string[], phrasesB: readonly string[]) {
  let best: { a: string; b: string; common: number } | undefined;
  for (const a of phrasesA) {
    const tokensA = new Set(phraseTokens(cp, a));
    for (const b of phrasesB) {
      const common = phraseTokens(cp, b).filter((t) => tokensA.has(t)).length;
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
  const interestsB = new Set((pb.interests ?? []).flatMap((interest) => phraseTokens(cp, interest)));
  const shared = (pa.interests ?? []).filter((interest) =>
    phraseTokens(cp, interest).some((t) => interestsB.has(t)),
  );
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
