import { type Moments, netPromoterScore, npsGroup, pairedChange } from './statistics.ts';

/*
 * Survey figures of a program, kept like the rest of its analytics (see analytics.ts): per person
 * and survey, the NPS answers of each of their responses (newest version wins) and the pairing of
 * their pre-program and close-out answers (per side, the latest response wins, and within it the
 * newest version), whose integer differences per question add to the counters. They are kept in
 * the person's participant record of the program. Projections written before kept them in a
 * record per person and survey (`SurveyPairRecord`), and before that the NPS answers in a record
 * per response (`SurveyResponseRecord`): both still count, and fold into the participant's record
 * on the response's next event or a recompute.
 */

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** A response's NPS answers, as of its version. */
export interface ResponseNps {
  version: number;
  nps: NpsCounts;
}

/** One response's NPS answers in a record of its own, as projections kept them before (see above). */
export interface SurveyResponseRecord extends ResponseNps {
  kind: 'survey_response';
  responseId: string;
}

export interface PairSide {
  responseId: string;
  version: number;
  /** When the response was first made, epoch ms: of two responses on one side the later counts. */
  createdAt: number;
  values: Record<string, number>;
}

/** One person's answers to one survey: each response's NPS answers, and the pre/post pair. */
export interface SurveyAnswers {
  /** Per response id (absent in per-survey records written before they were kept there). */
  responses?: Record<string, ResponseNps>;
  pre?: PairSide;
  post?: PairSide;
}

/** A person's answers to one survey in a record of their own, as projections kept them before (see above). */
export interface SurveyPairRecord extends SurveyAnswers {
  kind: 'survey_pair';
  surveyId: string;
  personId: string;
}

interface SurveyOf {
  programId: string;
  surveyId: string;
  personId: string;
}

export type SurveyObservation =
  | ({ kind: 'survey_response_state'; responseId: string } & SurveyOf & ResponseNps)
  | ({ kind: 'survey_pair_side'; side: 'pre' | 'post' } & SurveyOf & PairSide);

export interface SurveyResponseSource {
  id: string;
  programId: string;
  surveyId: string;
  personId: string;
  scheduleKind: string;
  version: number;
  createdAt: string;
  answers: { questionId: string; value: unknown }[];
}

/** What a response says: its NPS answers, and one side of its person's pre/post pair. */
export function observeSurveyResponse(
  response: SurveyResponseSource,
  npsQuestions: ReadonlySet<string>,
): SurveyObservation[] {
  const nps: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  const values: Record<string, number> = {};
  for (const { questionId, value } of response.answers) {
    if (typeof value !== 'number') continue;
    values[questionId] = value;
    if (npsQuestions.has(questionId)) nps[npsGroup(value)] += 1;
  }
  const out: SurveyObservation[] = [
    {
      kind: 'survey_response_state',
      programId: response.programId,
      surveyId: response.surveyId,
      personId: response.personId,
      responseId: response.id,
      version: response.version,
      nps,
    },
  ];
  const side =
    response.scheduleKind === 'pre_program'
      ? 'pre'
      : response.scheduleKind === 'close_out'
        ? 'post'
        : undefined;
  if (side)
    out.push({
      kind: 'survey_pair_side',
      programId: response.programId,
      surveyId: response.surveyId,
      personId: response.personId,
      side,
      responseId: response.id,
      version: response.version,
      createdAt: Date.parse(response.createdAt),
      values,
    });
  return out;
}

const newer = (a: PairSide | undefined, b: PairSide): boolean => {
  if (!a) return true;
  if (a.responseId === b.responseId) return b.version > a.version;
  return b.createdAt !== a.createdAt ? b.createdAt > a.createdAt : b.responseId > a.responseId;
};

/** Folds an observation into a person's answers to its survey (undefined: none yet). */
export function mergeSurveyAnswers(answers: SurveyAnswers | undefined, o: SurveyObservation): SurveyAnswers {
  const base = answers ?? {};
  if (o.kind === 'survey_response_state') {
    const seen = base.responses?.[o.responseId];
    if (seen && seen.version >= o.version) return base;
    return { ...base, responses: { ...base.responses, [o.responseId]: { version: o.version, nps: o.nps } } };
  }
  const { kind: _k, programId: _g, surveyId: _s, personId: _p, side, ...value } = o;
  return newer(base[side], value) ? { ...base, [side]: value } : base;
}

/** A response's own record (the oldest form, see above) as an observation of the participant's record. */
export const observeLegacyResponse = (record: SurveyResponseRecord, of: SurveyOf): SurveyObservation => ({
  kind: 'survey_response_state',
  programId: of.programId,
  surveyId: of.surveyId,
  personId: of.personId,
  responseId: record.responseId,
  version: record.version,
  nps: record.nps,
});

/** A person's record of one survey (see above) as observations of their participant record. */
export function observeLegacySurveyPair(record: SurveyPairRecord, programId: string): SurveyObservation[] {
  const of = { programId, surveyId: record.surveyId, personId: record.personId };
  return [
    ...Object.entries(record.responses ?? {}).map(
      ([responseId, state]): SurveyObservation => ({
        kind: 'survey_response_state',
        ...of,
        responseId,
        ...state,
      }),
    ),
    ...(['pre', 'post'] as const).flatMap((side): SurveyObservation[] => {
      const value = record[side];
      return value ? [{ kind: 'survey_pair_side', ...of, side, ...value }] : [];
    }),
  ];
}

const npsCounters = (nps: NpsCounts) => ({
  'nps.promoters': nps.promoters,
  'nps.passives': nps.passives,
  'nps.detractors': nps.detractors,
});

/** What the older survey records (see above) add to the program's counters. */
export function surveyContributions(record: SurveyResponseRecord | SurveyPairRecord): Record<string, number> {
  if (record.kind === 'survey_response') return npsCounters(record.nps);
  return surveyAnswersContributions(record.surveyId, record);
}

/** What a person's answers to one survey add to the program's counters. */
export function surveyAnswersContributions(surveyId: string, answers: SurveyAnswers): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { nps } of Object.values(answers.responses ?? {}))
    for (const [name, value] of Object.entries(npsCounters(nps))) out[name] = (out[name] ?? 0) + value;
  if (!answers.pre || !answers.post) return out;
  for (const [questionId, after] of Object.entries(answers.post.values)) {
    const before = answers.pre.values[questionId];
    if (before === undefined) continue;
    const d = after - before;
    const name = `prepost.${surveyId}.${questionId}`;
    out[`${name}.n`] = 1;
    out[`${name}.sum`] = d;
    out[`${name}.sumSquares`] = d * d;
  }
  return out;
}

/** The survey section of the report, every figure from fewer than k respondents suppressed. */
export function surveyFigures(counters: Record<string, number>, k: number) {
  const nps: NpsCounts = {
    promoters: counters['nps.promoters'] ?? 0,
    passives: counters['nps.passives'] ?? 0,
    detractors: counters['nps.detractors'] ?? 0,
  };
  const npsN = nps.promoters + nps.passives + nps.detractors;
  const items = new Map<string, Moments>();
  for (const [name, value] of Object.entries(counters)) {
    const match = /^prepost\.([^.]+)\.([^.]+)\.(n|sum|sumSquares)$/.exec(name);
    if (!match) continue;
    const key = `${match[1]}.${match[2]}`;
    const m = items.get(key) ?? { n: 0, sum: 0, sumSquares: 0 };
    m[match[3] as keyof Moments] = value;
    items.set(key, m);
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    nps: {
      n: npsN,
      suppressed: npsN > 0 && npsN < k,
      score: npsN >= k ? round(netPromoterScore(nps)) : null,
    },
    items: [...items]
      .filter(([, m]) => m.n > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, m]) => {
        const [surveyId, questionId] = key.split('.') as [string, string];
        if (m.n < k)
          return {
            surveyId,
            questionId,
            n: m.n,
            suppressed: true,
            meanDifference: null,
            ci95: null,
            cohensDz: null,
          };
        const change = pairedChange(m);
        return {
          surveyId,
          questionId,
          n: m.n,
          suppressed: false,
          meanDifference: round(change.meanDifference),
          ci95: change.ci95 ? ([round(change.ci95[0])!, round(change.ci95[1])!] as [number, number]) : null,
          cohensDz: round(change.cohensDz),
        };
      }),
  };
}
