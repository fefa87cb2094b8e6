import { describe, expect, test } from 'vitest';
import { schedule, twoPairs } from '../participants/workspace.ts';
import { call, testApp } from '../support/app.ts';

const app = testApp();

/** A minimal RFC 4180 reader, enough to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field, 'the last record ends with CRLF').toBe('');
  return rows;
}

describe('program exports', () => {
  test('meetings as CSV: formulas defused, quoting per RFC 4180, private notes never', async () => {
    const { key, programId, ada, ben, ours, theirs } = await twoPairs(app);
    const meeting = await schedule(app, ada.token, ours, { location: '=HYPERLINK("http://evil.example")' });
    const logged = await call(app, 'POST', `/v1/relationships/${ours}/meetings/${meeting.id}/log`, {
      key: ada.token,
      body: {
        outcome: 'held',
        attendance: [
          { personId: ada.personId, attended: true },
          { personId: ben.personId, attended: true },
        ],
        topics: ['-roadmap', 'hiring, "the plan"'],
        sharedNotes: 'Line one\nline two',
      },
    });
    expect(logged.status, logged.text).toBe(200);
    const note = await call(app, 'PUT', `/v1/relationships/${ours}/meetings/${meeting.id}/private-note`, {
      key: ada.token,
      body: { text: 'PRIVATE-ONLY-ADA' },
    });
    expect(note.status, note.text).toBeLessThan(300);
    await schedule(app, ada.token, ours);

    const res = await call(app, 'GET', `/v1/programs/${programId}/exports/meetings`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.text).not.toContain('PRIVATE-ONLY-ADA');
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([
      'id',
      'relationshipId',
      'status',
      'startsAt',
      'timeZone',
      'durationMinutes',
      'location',
      'attended',
      'absent',
      'topics',
      'sharedNotes',
      'loggedAt',
    ]);
    expect(rows).toHaveLength(2);
    const held = rows.find((r) => r[0] === meeting.id)!;
    expect(held.slice(1, 3)).toEqual([ours, 'held']);
    expect(held[6]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(held[7]!.split(' ').sort()).toEqual([ada.personId, ben.personId].sort());
    expect(held[9]).toBe(`'-roadmap; hiring, "the plan"`);
    expect(held[10]).toBe('Line one\nline two');

    const relationships = await call(app, 'GET', `/v1/programs/${programId}/exports/relationships`, { key });
    const [columns, ...pairs] = parseCsv(relationships.text);
    expect(columns!.slice(0, 4)).toEqual(['id', 'status', 'source', 'memberIds']);
    expect(pairs.map((r) => r[0]).sort()).toEqual([ours, theirs].sort());
  });

  test("another tenant's program is 404 before any CSV is sent", async () => {
    const { programId } = await twoPairs(app);
    const other = await twoPairs(app);
    const res = await call(app, 'GET', `/v1/programs/${programId}/exports/relationships`, { key: other.key });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
