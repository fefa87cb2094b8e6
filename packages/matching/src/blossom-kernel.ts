/**
 * The blossom solver's core (`maxWeightMatching` in `blossom.ts`), compiled to WebAssembly from
 * `assembly/blossom-kernel.ts` (AssemblyScript; see there for why). One instance serves the
 * process; it holds one solver at a time, whose arrays the host reads and writes through typed
 * views of the instance's memory.
 */
import { blossomKernelBase64 } from './blossom-kernel-bytes.ts';

/** The members of Node's WebAssembly API used here (TypeScript declares them only for browsers). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** The kernel's exports (`assembly/blossom-kernel.ts`); `*At` return byte offsets into `memory`. */
export interface BlossomKernel {
  readonly memory: { readonly buffer: ArrayBuffer };
  input(m: number): void;
  inputUAt(): number;
  inputVAt(): number;
  inputWAt(): number;
  warmInput(n: number): void;
  warmPartnerAt(): number;
  warmDualAt(): number;
  prepare(n: number, scale: number, warm: number): number;
  failureAt(): number;
  keptEdges(): number;
  endpointAt(): number;
  quantisedAt(): number;
  startRun(): void;
  slice(workLimit: number): number;
  finish(): void;
  partnerAt(): number;
  total(): number;
  totalQuantised(): number;
  cardinality(): number;
  dualAt(): number;
  vertexBlossomAt(): number;
  blossomCount(): number;
  blossomParentAt(): number;
  blossomDualAt(): number;
  blossomSizeAt(): number;
  end(): void;
  __collect(): void;
}

/** The most memory an instance keeps between solves (see `releaseBlossomKernel`). */
const KEPT_MEMORY = 64 * 2 ** 20;

const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
let compiled: object | undefined;
let current: BlossomKernel | undefined;

/** The process's kernel instance, made on first use. */
export function blossomKernel(): BlossomKernel {
  if (current !== undefined) return current;
  compiled ??= new wasm.Module(Buffer.from(blossomKernelBase64, 'base64'));
  let memory: { buffer: ArrayBuffer } | undefined;
  const instance = new wasm.Instance(compiled, {
    env: {
      // AssemblyScript's `throw` (an internal error of the solver): its message is a UTF-16 string
      // whose byte length precedes it.
      abort(message: number) {
        // An instance left mid-call by an exception is not reused.
        current = undefined;
        throw new Error(readString(memory!.buffer, message));
      },
    },
  });
  const kernel = instance.exports as unknown as BlossomKernel;
  memory = kernel.memory;
  current = kernel;
  return kernel;
}

function readString(buffer: ArrayBuffer, at: number): string {
  if (at === 0) return 'blossom kernel aborted';
  const bytes = new Uint32Array(buffer, at - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(buffer, at, bytes >> 1));
}

/**
 * Drops the solver's arrays once its result is copied out (the kernel's runtime collects only when
 * asked); an instance that an internal error left mid-call is not touched again.
 */
export function releaseBlossomKernel(kernel: BlossomKernel): void {
  if (kernel !== current) return;
  // A WebAssembly memory never shrinks: after a large solve the instance goes with its memory, and
  // the next solve makes a new one (from the same compiled module, optimised code included).
  if (kernel.memory.buffer.byteLength > KEPT_MEMORY) {
    current = undefined;
    return;
  }
  kernel.end();
  kernel.__collect();
}
