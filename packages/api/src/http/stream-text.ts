import type { Context } from 'hono';
import { stream } from 'hono/streaming';

/** A few dozen kilobytes: one write per line (a row, an entry) costs more than the line. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams `lines` as the response body in chunks, for exports that may be larger than a
 * response should hold in memory. The caller sets the content type and disposition first.
 */
export function streamText(c: Context, lines: AsyncIterable<string> | Iterable<string>): Response {
  return stream(c, async (out) => {
    let chunk = '';
    for await (const line of lines) {
      chunk += line;
      if (chunk.length >= CHUNK_CHARS) {
        await out.write(chunk);
        chunk = '';
      }
    }
    await out.write(chunk);
  });
}
