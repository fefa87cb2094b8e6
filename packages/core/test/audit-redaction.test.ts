import { describe, expect, test } from 'vitest';
import { auditIdBound, auditValue, newAuditEntryId, REDACTED } from '../src/audit-rules.ts';

describe('audit redaction rule', () => {
  test('keeps values that cannot be personal', () => {
    expect(auditValue('capacity', 3)).toBe(3);
    expect(auditValue('archived', false)).toBe(false);
    expect(auditValue('managerId', null)).toBeNull();
    expect(auditValue('managerId', 'per_01jd5x3n7a8q9w0e1r2t3y4z5v')).toBe('per_01jd5x3n7a8q9w0e1r2t3y4z5v');
    expect(auditValue('hireDate', '2020-02-03')).toBe('2020-02-03');
    expect(auditValue('updatedAt', '2026-12-02T09:00:00.000Z')).toBe('2026-12-02T09:00:00.000Z');
    expect(auditValue('status', 'inactive')).toBe('inactive');
    expect(auditValue('scopes', ['read', 'people:write'])).toEqual(['read', 'people:write']);
  });

  test('redacts names, emails, free text and enum-looking words outside enum fields', () => {
    for (const [field, value] of [
      ['name', 'Dana Okafor'],
      ['email', 'dana@example.com'],
      ['title', 'cfo'],
      ['department', 'finance'],
      ['url', 'https://hooks.example.com/x'],
      ['timezone', 'Europe/Berlin'],
      // An enum field holding text that is no token is free text after all.
      ['reason', 'moved to the Oslo office'],
    ])
      expect(auditValue(field!, value)).toBe(REDACTED);
    expect(auditValue('externalIds', { workday: 'E1234' })).toEqual({ workday: REDACTED });
    expect(auditValue('skillsOffered', [{ name: 'negotiation', level: 4 }])).toEqual([
      { name: REDACTED, level: 4 },
    ]);
  });

  test('never keeps a value of a field named like a secret, whatever its type', () => {
    for (const field of ['secret', '_secretHash', 'previousSecret', 'tokenHash', 'signature', 'apiKey'])
      for (const value of ['whsec_abc', 42, true, 'per_01jd5x3n7a8q9w0e1r2t3y4z5v'])
        expect(auditValue(field, value)).toBe(REDACTED);
  });

  test('entry ids order by instant and fall inside that instant’s bounds', () => {
    const at = new Date('2026-12-02T09:00:00.000Z');
    const ids = [newAuditEntryId(at), newAuditEntryId(at), newAuditEntryId(new Date(at.getTime() + 1))];
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]! >= auditIdBound(at, 'from') && ids[1]! <= auditIdBound(at, 'to')).toBe(true);
    expect(ids[2]! > auditIdBound(at, 'to')).toBe(true);
  });
});
