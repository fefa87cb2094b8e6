/**
 * Instances of the one-to-one benchmark. Score matrices hold integers in units of 2^-20 (scores in
 * [0, 1] quantised once), so Tandem and scipy see identical weights and every sum is exact: their
 * optimal totals must be equal, with no tolerance. Profile programs are generated reproducibly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mulberry32 } from '../../../packages/matching/src/random.ts';
import type { Participant } from '../../../packages/matching/src/types.ts';

export const SCALE = 2 ** 20;

export interface MatrixInstance {
  rows: number;
  columns: number;
  capacity: Int32Array;
  /** Row-major rows × columns weights (integers, -Infinity where forbidden). */
  weight: Float64Array;
}

export function randomMatrix(rows: number, columns: number, capacity: number, seed: number): MatrixInstance {
  const rng = mulberry32(seed);
  const weight = new Float64Array(rows * columns);
  for (let e = 0; e < weight.length; e++) weight[e] = Math.round(rng() * SCALE);
  return { rows, columns, capacity: new Int32Array(columns).fill(capacity), weight };
}

/** int32 rows, int32 columns, int32 capacity[columns], float64 weight[rows × columns], little-endian. */
export function writeMatrix(path: string, inst: MatrixInstance): void {
  const head = Buffer.alloc(8);
  head.writeInt32LE(inst.rows, 0);
  head.writeInt32LE(inst.columns, 4);
  writeFileSync(
    path,
    Buffer.concat([head, Buffer.from(inst.capacity.buffer), Buffer.from(inst.weight.buffer)]),
  );
}

export function readMatrix(path: string): MatrixInstance {
  const file = readFileSync(path);
  const bytes = new Uint8Array(file.byteLength);
  bytes.set(file);
  const view = new DataView(bytes.buffer);
  const rows = view.getInt32(0, true);
  const columns = view.getInt32(4, true);
  return {
    rows,
    columns,
    capacity: new Int32Array(bytes.buffer, 8, columns),
    weight: new Float64Array(bytes.buffer, 8 + 4 * columns, rows * columns),
  };
}

const SKILLS = Array.from({ length: 40 }, (_, i) => `skill ${i}`);
const GOAL_WORDS = [
  'lead',
  'team',
  'product',
  'engineering',
  'manager',
  'data',
  'design',
  'sales',
  'growth',
  'strategy',
  'public',
  'speaking',
  'architect',
  'career',
  'startup',
  'mentor',
  'coach',
  'finance',
  'marketing',
  'operations',
];
const INTERESTS = Array.from({ length: 30 }, (_, i) => `hobby${i}`);
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

/**
 * A one-to-one program: mentors (capacity 4) first, then mentees, with 20 departments, reporting
 * lines, 40 skills, free-text goals over a 20-word vocabulary, interests, background, time zones,
 * weekly availability, languages and experience: every criterion and hard rule is exercised.
 */
export function oneToOneProgram(mentees: number, mentors: number, seed: number): Participant[] {
  const rng = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const person = (id: number, role: 'mentor' | 'mentee'): Participant => {
    const offered = new Set<string>();
    for (let t = 0; t < 4; t++) offered.add(pick(SKILLS));
    const wanted = new Set<string>();
    for (let t = 0; t < 3; t++) wanted.add(pick(SKILLS));
    const p: Participant = {
      id: `p${id}`,
      role,
      department: `department ${Math.floor(rng() * 20)}`,
      skillsOffered: [...offered].map((name) => ({ name, level: 1 + Math.floor(rng() * 5) })),
      skillsWanted: [...wanted].map((name) => ({ name })),
      careerGoals: [
        `${pick(GOAL_WORDS)} ${pick(GOAL_WORDS)} ${pick(GOAL_WORDS)}`,
        `${pick(GOAL_WORDS)} ${pick(GOAL_WORDS)}`,
      ],
      interests: [pick(INTERESTS), pick(INTERESTS), pick(INTERESTS)],
      background: { country: pick(['BR', 'DE', 'IN', 'US', 'NG']), firstGeneration: pick(['yes', 'no']) },
      utcOffsetMinutes: pick([-480, -300, 0, 60, 120, 330, 540]),
      availability: [{ day: pick(DAYS), start: '09:00', end: pick(['11:00', '13:00', '17:00']) }],
      languages: [pick(['en', 'de', 'pt', 'es']), 'en'],
      experienceYears: Math.floor(rng() * 25),
    };
    if (id > 0 && rng() < 0.5) p.managerId = `p${Math.floor(rng() * id)}`;
    if (role === 'mentor') p.capacity = 4;
    return p;
  };
  const people: Participant[] = [];
  for (let i = 0; i < mentors; i++) people.push(person(i, 'mentor'));
  for (let i = 0; i < mentees; i++) people.push(person(mentors + i, 'mentee'));
  return people;
}
