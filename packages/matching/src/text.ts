/**
 * Light text normalization for goals and interests: lowercase words, stop words dropped, a
 * suffix-stripping stemmer so that "manager", "management" and "managing" meet. No models.
 */

const stopWords = new Set(
  `a about above after again all also am an and any are as at be become becoming been being better
  between both but by can could do does doing for from further get getting go going good have having
  how i in into is it its itself just like more most my myself new next of on once one only or other
  our out over own role roles same so some such than that the their them then there these they this
  those through to too under until up very want wants was we well were what when where which while who
  whom why will with would year years you your`.split(/\s+/),
);

const suffixes = [
  'ization',
  'ational',
  'ations',
  'ation',
  'ments',
  'ment',
  'ships',
  'ship',
  'ings',
  'ing',
  'ness',
  'ers',
  'er',
  'ies',
  'es',
  'ed',
  'ly',
  's',
  'e',
];

const MIN_STEM = 3;

export function stem(word: string): string {
  let current = word;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of suffixes) {
      if (current.length - suffix.length >= MIN_STEM && current.endsWith(suffix)) {
        current = current.slice(0, -suffix.length) + (suffix === 'ies' ? 'y' : '');
        changed = true;
        break;
      }
    }
  }
  return current;
}

/** Distinct stems of the meaningful words in the given phrases. */
export function tokenize(phrases: readonly string[] | undefined): string[] {
  if (!phrases) return [];
  const out = new Set<string>();
  for (const phrase of phrases) {
    for (const word of phrase.toLowerCase().split(/[^\p{L}\p{N}+#]+/u)) {
      if (word.length < 2 || stopWords.has(word)) continue;
      out.add(stem(word));
    }
  }
  return [...out];
}

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}
