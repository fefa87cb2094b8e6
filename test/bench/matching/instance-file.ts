/**
 * Binary instance file shared by all implementations: int32 n, int32 m, int32 u[m], int32 v[m],
 * float64 q[m] (little-endian; q are the integer quantised weights).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Instance } from './instances.ts';

export function writeInstance(path: string, inst: Instance): void {
  const m = inst.u.length;
  const buf = Buffer.alloc(8 + 16 * m);
  buf.writeInt32LE(inst.n, 0);
  buf.writeInt32LE(m, 4);
  Buffer.from(inst.u.buffer, inst.u.byteOffset, 4 * m).copy(buf, 8);
  Buffer.from(inst.v.buffer, inst.v.byteOffset, 4 * m).copy(buf, 8 + 4 * m);
  Buffer.from(inst.q.buffer, inst.q.byteOffset, 8 * m).copy(buf, 8 + 8 * m);
  writeFileSync(path, buf);
}

export function readInstance(path: string): { n: number; u: Int32Array; v: Int32Array; q: Float64Array } {
  const file = readFileSync(path);
  // A large file is read into a buffer of its own; a small one may sit in Node's shared pool at an
  // offset that is no multiple of 8, and only then is it copied (a copy doubles the peak memory).
  const bytes = file.byteOffset % 8 === 0 ? file : Uint8Array.from(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const n = view.getInt32(0, true);
  const m = view.getInt32(4, true);
  return {
    n,
    u: new Int32Array(bytes.buffer, bytes.byteOffset + 8, m),
    v: new Int32Array(bytes.buffer, bytes.byteOffset + 8 + 4 * m, m),
    q: new Float64Array(bytes.buffer, bytes.byteOffset + 8 + 8 * m, m),
  };
}
