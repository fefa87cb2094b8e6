import { describe, expect, test } from 'vitest';
import { csvLine } from '../src/index.ts';

/** One cell, as csvLine writes it. */
const csvField = (value: Parameters<typeof csvLine>[0][number]) => csvLine([value]).slice(0, -2);

describe('CSV', () => {
  test('quotes as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvLine(['a', 1, true, null])).toBe('a,1,true,\r\n');
  });

  test('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    // Numbers are data, not text a user typed: a negative score stays a number.
    expect(csvField(-0.5)).toBe('-0.5');
  });
});
