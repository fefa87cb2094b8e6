import * as z from 'zod';

/**
 * Characters no text field takes: NUL, the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make text display as something else than it is, and
 * unpaired surrogates, which are not Unicode text and which many JSON tools cannot read back.
 * Written without the `u` flag, so the OpenAPI `pattern` means the same to any ECMA-262 reader:
 * a surrogate is accepted only as half of a pair.
 */
export const plainTextPattern =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters refused
  /^(?:[^\u0000\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
export const plainTextMessage =
  'must not contain NUL, bidirectional control characters (U+202A–U+202E, U+2066–U+2069) or unpaired surrogates';

/**
 * Trimmed, non-empty, bounded text of plain characters: the shape of every free-text field. The
 * document's pattern says "not blank" (JSON Schema patterns are unanchored); the plain-text rule
 * is in the description, as one schema holds one pattern.
 */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(plainTextPattern, plainTextMessage)
    .meta({ pattern: '\\S', description: `Trimmed; must not be blank; ${plainTextMessage}` });

/** The http(s) URL rule as the document states it, for every URL field (webhook endpoints, library links). */
export const httpUrlPattern = String.raw`^https?://(?![^/?#]*[xX][nN]--)(?=[^/?#:]{1,253}(?:[:/?#]|$))(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z](?:[-0-9a-zA-Z]{0,61}[0-9a-zA-Z])?\.?(?::[0-9]{1,4})?(?:[/?#][!-~]*)?$`;

export const isoDate = z.iso.date().meta({ example: '2026-01-15', maxLength: 10 });
// Nanoseconds and an offset fit in 35 characters; the document bounds what a client needs to send.
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .meta({ example: '2026-01-15T09:30:00Z', maxLength: 35 });

let zoneList: string[] | undefined;

/**
 * Zone names found to exist. Building a formatter is the check, and it costs more than the rest of
 * parsing a stored meeting, which is parsed with its zone on every read. Bounded, since a client
 * can send endless names that exist (the check ignores case); past the bound a name is checked anew.
 */
const existingZones = new Set<string>();
const EXISTING_ZONES_KEPT = 2_000;

export const timeZone = z
  .string()
  .max(64)
  // What IANA names and UTC offsets are made of; the refinement below decides which exist.
  .regex(/^[A-Za-z0-9_+\-/:]+$/, 'must be an IANA time zone such as Europe/Berlin')
  .refine((value) => {
    if (existingZones.has(value)) return true;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      if (existingZones.size < EXISTING_ZONES_KEPT) existingZones.add(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin')
  .meta({
    id: 'TimeZone',
    description:
      'An IANA time zone name. Listed: the zones of the server’s time zone database and UTC; older aliases ' +
      '(US/Pacific) are accepted too.',
    example: 'Europe/Berlin',
    // Only the OpenAPI document reads the list: it is built when the document is, not at every
    // import of the core schemas (each cold start of a function that parses stored items).
    get enum() {
      zoneList ??= documentedTimeZones();
      return zoneList;
    },
  });

/**
 * Intl lists ICU's canonical zone names, some in their older spelling (Asia/Calcutta) and without
 * UTC; the rule also accepts the current IANA spellings, which clients send most.
 */
function documentedTimeZones(): string[] {
  const current = [
    'UTC',
    'Etc/UTC',
    'Africa/Asmara',
    'America/Argentina/Buenos_Aires',
    'America/Indiana/Indianapolis',
    'America/Kentucky/Louisville',
    'America/Nuuk',
    'Asia/Ho_Chi_Minh',
    'Asia/Kathmandu',
    'Asia/Kolkata',
    'Asia/Yangon',
    'Atlantic/Faroe',
    'Europe/Kyiv',
    'Pacific/Chuuk',
    'Pacific/Kanton',
    'Pacific/Pohnpei',
  ];
  return [...new Set([...Intl.supportedValuesOf('timeZone'), ...current])].sort();
}

export const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or pt-BR')
  .meta({ example: 'en', maxLength: 35 });

export const skillName = text(80).meta({ example: 'negotiation' });
export const skillLevel = z.int().min(1).max(5).meta({ description: '1 = beginner … 5 = expert' });

export const skillOffered = z
  .strictObject({ name: skillName, level: skillLevel })
  .meta({ id: 'SkillOffered' });
export const skillWanted = z
  .strictObject({
    name: skillName,
    targetLevel: skillLevel.optional().meta({ description: 'Level the person wants to reach' }),
  })
  .meta({ id: 'SkillWanted' });

/** Lists of named skills must not name a skill twice (case-insensitive). */
export function uniqueByName<T extends { name: string }>(schema: z.ZodType<T>, max: number) {
  return z
    .array(schema)
    .max(max)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const key = item.name.toLowerCase();
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate skill ${item.name}` });
        seen.add(key);
      });
    })
    .meta({ description: 'Each skill once: names are compared case-insensitively' });
}

/** Small string→string maps (external ids, self-described background). */
export const stringMap = (maxKeys: number, maxValue: number) =>
  z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'keys are 1–40 letters, digits, _ . -'),
      text(maxValue),
    )
    .refine((map) => Object.keys(map).length <= maxKeys, `at most ${maxKeys} entries`)
    .meta({ maxProperties: maxKeys, propertyNames: { pattern: '^[A-Za-z0-9_.-]{1,40}$' } });

/** Metadata every stored entity carries. `version` backs ETag / If-Match. */
export const entityMeta = {
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.int().min(1),
};

export interface EntityMeta {
  createdAt: string;
  updatedAt: string;
  version: number;
}

// A DNS name, an IPv4 address, or an IPv6 literal as WHATWG URL parsing leaves it (bracketed,
// lower-case hex); the SSRF guard decides which addresses are reachable.
const urlHost = new RegExp(`${z.regexes.hostname.source}|^\\[[0-9a-f:]+\\]$`);

/**
 * An http(s) URL that Tandem calls out to (webhook endpoints, identity providers' keys), stored
 * and echoed as sent. Whether it may be reached is the SSRF guard's decision, at registration
 * and before every request.
 */
export const httpUrl = (meta: { description: string; example: string }) =>
  z
    .url({ protocol: /^https?$/, hostname: urlHost })
    .max(2048)
    // URL parsing would encode these, but the URL is stored and echoed as sent.
    .regex(plainTextPattern, plainTextMessage)
    .meta({
      ...meta,
      // The plain-text check would otherwise drop the `uri` format z.url() states.
      format: 'uri',
      // What the URL rule accepts, stated for clients: http(s), a DNS name that WHATWG URL parsing keeps
      // (no IPv4-looking last label, no punycode), an optional port, printable ASCII after it.
      pattern: httpUrlPattern,
    });
