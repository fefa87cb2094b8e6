/**
 * The arrays `MentorBounds.scan` sums over, in WebAssembly memory, and its hot loop compiled from
 * `scan-kernel.wat` (see there for why). `MentorBounds` fills the arrays through the typed views
 * here; `next` reads them in place.
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
  cells: number;
  profiles: number;
  /** Entries of the goal and interest term tables (`TokenOverlap`). */
  goalTerms: number;
  interestTerms: number;
}

const PAGE = 65_536;

export class ScanKernel {
  readonly cellOf: Int32Array;
  readonly profileOf: Int32Array;
  readonly goalKey: Int32Array;
  readonly interestKey: Int32Array;
  readonly skillTerm: Float64Array;
  readonly price: Float64Array;
  /** Mentors flagged 1 are left out of `result[0]`. */
  readonly skip: Uint8Array;
  readonly cellTerm: Float64Array;
  readonly profileTerm: Float64Array;
  readonly goalTerm: Float64Array;
  readonly interestTerm: Float64Array;
  /**
   * `result[0]`: the highest sum `next` passed over, skipped mentors aside (read and raised);
   * `result[1]`: the sum of the mentor it returned.
   */
  readonly result: Float64Array;
  /**
   * The first mentor c ≥ from whose sum of terms less price, plus `epsilon`, reaches `bar` (m when
   * none does), its sum in `result[1]`; raises `result[0]` to the sums passed over.
   */
  readonly next: (from: number, bar: number) => number;

  constructor(sizes: ScanKernelSizes, epsilon: number) {
    const { m } = sizes;
    // Eight-byte arrays first, so that every array is aligned to its element size.
    const float64 = [m, m, sizes.cells, sizes.profiles, sizes.goalTerms, sizes.interestTerms, 2];
    const int32 = [m, m, m, m];
    const bytes = 8 * sum(float64) + 4 * sum(int32) + m;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    const memory = new wasm.Memory({ initial: pages, maximum: pages });
    let offset = 0;
    const view = <T>(
      make: new (buffer: ArrayBuffer, at: number, length: number) => T,
      width: number,
      n: number,
    ) => {
      const array = new make(memory.buffer, offset, n);
      offset += width * n;
      return array;
    };
    this.skillTerm = view(Float64Array, 8, m);
    this.price = view(Float64Array, 8, m);
    this.cellTerm = view(Float64Array, 8, sizes.cells);
    this.profileTerm = view(Float64Array, 8, sizes.profiles);
    this.goalTerm = view(Float64Array, 8, sizes.goalTerms);
    this.interestTerm = view(Float64Array, 8, sizes.interestTerms);
    this.result = view(Float64Array, 8, 2);
    this.cellOf = view(Int32Array, 4, m);
    this.profileOf = view(Int32Array, 4, m);
    this.goalKey = view(Int32Array, 4, m);
    this.interestKey = view(Int32Array, 4, m);
    this.skip = view(Uint8Array, 1, m);
    const { exports } = new wasm.Instance(kernelModule(), { env: { memory } });
    const layout = exports.layout as (...args: number[]) => void;
    layout(
      m,
      epsilon,
      this.cellOf.byteOffset,
      this.profileOf.byteOffset,
      this.goalKey.byteOffset,
      this.interestKey.byteOffset,
      this.skillTerm.byteOffset,
      this.price.byteOffset,
      this.skip.byteOffset,
      this.cellTerm.byteOffset,
      this.profileTerm.byteOffset,
      this.goalTerm.byteOffset,
      this.interestTerm.byteOffset,
      this.result.byteOffset,
    );
    this.next = exports.next as (from: number, bar: number) => number;
  }
}

function sum(counts: readonly number[]): number {
  return counts.reduce((total, count) => total + count, 0);
}
