import * as z from 'zod';
import { type IdKind, idPrefixes } from './ids.ts';

const ULID_BODY = '[0-9a-hjkmnp-tv-z]{26}';

/** An id of one kind: its prefix and a lower-case ULID. */
export function idSchema(kind: IdKind) {
  const prefix = idPrefixes[kind];
  return z
    .string()
    .regex(new RegExp(`^${prefix}_${ULID_BODY}$`), `must be a ${kind} id (${prefix}_…)`)
    .meta({ example: `${prefix}_01jd5x3n7a8q9w0e1r2t3y4z5v`, maxLength: prefix.length + 27 });
}
