/**
 * The arrays `MentorBounds` prepares per row and scans, in WebAssembly memory, and the loops over
 * them compiled from `scan-kernel.wat` (see there for why). `MentorBounds` fills the small tables
 * through the typed views here; the kernel's functions read and write the arrays in place.
 */
import { scanKernelBase64 } from './scan-kernel-bytes.ts';

/** The members of Node's WebAssembly API used here (TypeScript declares them only for browsers). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (size: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
let compiled: object | undefined;

function kernelModule(): object {
  compiled ??= new wasm.Module(Buffer.from(scanKernelBase64, 'base64'));
  return compiled;
}

export interface ScanKernelSizes {
  /** Mentors (columns). */
  m: number;
  /** Cells of mentors alike in department, time zone and experience, and those three's values. */
  cells: number;
  departments: number;
  zones: number;
  years: number;
  /** Profiles of mentors alike in background, availability and languages, and those three's groups. */
  profiles: number;
  diversityGroups: number;
  availabilityGroups: number;
  languageGroups: number;
  /** Postings of the goal and interest tokens, and the entries of their term tables (`TokenOverlap`). */
  goalPostings: number;
  interestPostings: number;
  goalTerms: number;
  interestTerms: number;
  /** The most goal or interest tokens any participant has. */
  tokens: number;
  /** Postings of the offered skills. */
  skillPostings: number;
}

const PAGE = 65_536;

type ArrayKind = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** Views of one memory, each aligned to eight bytes, in the order and of the kinds `plan` names. */
function place<P extends Record<string, readonly [ArrayKind, number]>>(
  plan: P,
): { memory: object; views: { [K in keyof P]: InstanceType<P[K][0]> } } {
  const aligned = (bytes: number) => Math.ceil(bytes / 8) * 8;
  const entries = Object.entries(plan);
  const bytes = entries.reduce((total, [, [kind, n]]) => total + aligned(kind.BYTES_PER_ELEMENT * n), 0);
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  let offset = 0;
  const views: Record<string, unknown> = {};
  for (const [name, [kind, n]] of entries) {
    views[name] = new kind(memory.buffer, offset, n);
    offset += aligned(kind.BYTES_PER_ELEMENT * n);
  }
  return { memory, views: views as { [K in keyof P]: InstanceType<P[K][0]> } };
}

function planFor(s: ScanKernelSizes) {
  const f64 = (n: number) => [Float64Array, n] as const;
  const i32 = (n: number) => [Int32Array, n] as const;
  return {
    // Per mentor, fixed: its cell and profile; per row: its skills term less its price, goal and
    // interest keys.
    cellOf: i32(s.m),
    profileOf: i32(s.m),
    skillTerm: f64(s.m),
    // Offered skills: the postings' mentors and levels (fixed).
    skillColumn: i32(s.skillPostings),
    skillLevel: f64(s.skillPostings),
    goalKey: i32(s.m),
    interestKey: i32(s.m),
    /** Mentors flagged 1 are left out of `result[0]`. */
    skip: [Uint8Array, s.m] as const,
    // Cells: their department, zone and experience (fixed); per row, the terms of each and the sum.
    cellDepartment: i32(s.cells),
    cellZone: i32(s.cells),
    cellYears: i32(s.cells),
    departmentTerm: f64(s.departments),
    zoneTerm: f64(s.zones),
    yearsTerm: f64(s.years),
    cellTerm: f64(s.cells),
    // Profiles: their three groups (fixed); per row, each group's value and each profile's term.
    profileDiversity: i32(s.profiles),
    profileAvailability: i32(s.profiles),
    profileLanguage: i32(s.profiles),
    diversityValue: f64(s.diversityGroups),
    availabilityValue: f64(s.availabilityGroups),
    languageValue: f64(s.languageGroups),
    profileTerm: f64(s.profiles),
    // Goals and interests: each mentor's own token count, its common tokens as bits, and the
    // postings (fixed); per row, the row's other tokens as ranges of postings, and the term tables.
    goalOwn: i32(s.m),
    goalMask: i32(s.m),
    goalColumn: i32(s.goalPostings),
    goalTerm: f64(s.goalTerms),
    interestOwn: i32(s.m),
    interestMask: i32(s.m),
    interestColumn: i32(s.interestPostings),
    interestTerm: f64(s.interestTerms),
    tokenRanges: i32(2 * s.tokens),
    /** `result[0]`: the highest sum `scanRow` passed over, skipped mentors aside (read and raised). */
    result: f64(1),
    // `scanRow`'s record of the mentors that reached the bar of their time, and its heap of the
    // best sums (it keeps at most the candidates and the reserve, each at most m).
    passed: i32(s.m),
    passedSum: f64(s.m),
    heapSum: f64(2 * s.m + 2),
    heapColumn: i32(2 * s.m + 2),
  };
}

type KernelArrays = ReturnType<typeof place<ReturnType<typeof planFor>>>['views'];

export class ScanKernel {
  readonly arrays: KernelArrays;
  /**
   * One pass over every mentor from the bar `bar`: records in `passed` and `passedSum` each mentor
   * whose sum of terms (the skills term less the price), plus `epsilon`, reaches the bar of its time (skipped mentors and
   * sums of -Infinity aside) and keeps the `kept` best of their sums in `heapSum` and `heapColumn`,
   * in the order and by the rules of `TopK`; once it holds `kept`, the bar is their floor less
   * `uncertain`. Raises `result[0]` to the sums passed over; returns how many were recorded (the
   * heap holds the first min(that, kept)).
   */
  readonly scanRow: (bar: number, uncertain: number, kept: number) => number;
  /** `cellTerm` from the department, zone and experience terms. */
  readonly sumCells: () => void;
  /** `profileTerm`: the diversity value weighted, plus the availability and language values weighted. */
  readonly sumProfiles: (diversityWeight: number, practicalWeight: number) => void;
  /**
   * `goalKey` or `interestKey` for a row holding the common tokens `rowMask` and other tokens whose
   * postings are the `count` ranges in `tokenRanges`.
   */
  readonly countGoals: (rowMask: number, count: number, stride: number) => void;
  readonly countInterests: (rowMask: number, count: number, stride: number) => void;
  /**
   * Adds one wanted skill's weighted coverage (`quarter` times twice the lift, clamped) to
   * `skillTerm` for the skill postings [first, end).
   */
  readonly addSkill: (first: number, end: number, current: number, perLevel: number, quarter: number) => void;

  constructor(sizes: ScanKernelSizes, epsilon: number) {
    const { memory, views: a } = place(planFor(sizes));
    this.arrays = a;
    const { exports } = new wasm.Instance(kernelModule(), { env: { memory } });
    const call = (name: string) => exports[name] as (...args: number[]) => number;
    const at = (array: { byteOffset: number }) => array.byteOffset;
    call('layout')(
      sizes.m,
      epsilon,
      at(a.cellOf),
      at(a.profileOf),
      at(a.goalKey),
      at(a.interestKey),
      at(a.skillTerm),
      at(a.skip),
      at(a.cellTerm),
      at(a.profileTerm),
      at(a.goalTerm),
      at(a.interestTerm),
      at(a.result),
      at(a.passed),
      at(a.passedSum),
      at(a.heapSum),
      at(a.heapColumn),
    );
    this.scanRow = call('scanRow');
    const sumOfThree = call('sumOfThree');
    this.sumCells = () =>
      sumOfThree(
        at(a.cellTerm),
        sizes.cells,
        at(a.departmentTerm),
        at(a.cellDepartment),
        at(a.zoneTerm),
        at(a.cellZone),
        at(a.yearsTerm),
        at(a.cellYears),
      );
    const weightedSumOfThree = call('weightedSumOfThree');
    this.sumProfiles = (diversityWeight, practicalWeight) =>
      weightedSumOfThree(
        at(a.profileTerm),
        sizes.profiles,
        diversityWeight,
        practicalWeight,
        at(a.diversityValue),
        at(a.profileDiversity),
        at(a.availabilityValue),
        at(a.profileAvailability),
        at(a.languageValue),
        at(a.profileLanguage),
      );
    const addSkill = call('addSkill');
    this.addSkill = (first, end, current, perLevel, quarter) =>
      addSkill(at(a.skillTerm), at(a.skillColumn), at(a.skillLevel), first, end, current, perLevel, quarter);
    const countShared = call('countShared');
    const counter =
      (key: Int32Array, own: Int32Array, mask: Int32Array, column: Int32Array) =>
      (rowMask: number, count: number, stride: number) =>
        countShared(
          at(key),
          at(own),
          at(mask),
          rowMask,
          sizes.m,
          at(column),
          at(a.tokenRanges),
          count,
          stride,
        );
    this.countGoals = counter(a.goalKey, a.goalOwn, a.goalMask, a.goalColumn);
    this.countInterests = counter(a.interestKey, a.interestOwn, a.interestMask, a.interestColumn);
  }
}
