import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allowedTransitions,
  assertTransition,
  ConflictError,
  type ProgramStatus,
  programStatuses,
} from '../src/index.ts';

/**
 * The documented lifecycle, written out here rather than read from the code: draft → enrolling →
 * matching → active → completed, matching may reopen enrolling, and anything but archived can be archived.
 */
const documented: Record<ProgramStatus, ProgramStatus[]> = {
  draft: ['enrolling', 'archived'],
  enrolling: ['matching', 'archived'],
  matching: ['enrolling', 'active', 'archived'],
  active: ['completed', 'archived'],
  completed: ['archived'],
  archived: [],
};

describe('program lifecycle', () => {
  test('every move the documented table allows succeeds, and every other move is a conflict', () => {
    for (const from of programStatuses) {
      expect([...allowedTransitions(from)].sort(), from).toEqual([...documented[from]].sort());
      for (const to of programStatuses) {
        const move = () => assertTransition({ status: from, activeEnrollments: 5, format: 'peer_pairs' }, to);
        if (documented[from].includes(to)) expect(move, `${from} → ${to}`).not.toThrow();
        else expect(move, `${from} → ${to}`).toThrow(ConflictError);
      }
    }
  });

  test('any sequence of requested moves only ever follows the documented graph', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...programStatuses), { maxLength: 20 }),
        fc.nat(10),
        (moves, enrolled) => {
          let status: ProgramStatus = 'draft';
          const visited: ProgramStatus[] = [status];
          for (const to of moves) {
            try {
              assertTransition({ status, activeEnrollments: enrolled, format: 'peer_pairs' }, to);
              expect(documented[status]).toContain(to);
              status = to;
              visited.push(status);
            } catch (error) {
              expect(error).toBeInstanceOf(ConflictError);
            }
          }
          // Archived is terminal, and matching never starts with fewer than two participants.
          const archivedAt = visited.indexOf('archived');
          if (archivedAt >= 0) expect(visited.slice(archivedAt).every((s) => s === 'archived')).toBe(true);
          if (enrolled < 2) expect(visited).not.toContain('matching');
        },
      ),
    );
  });

  test('a completed program is only archived', () => {
    expect(allowedTransitions('completed')).toEqual(['archived']);
    expect(() =>
      assertTransition({ status: 'completed', activeEnrollments: 5, format: 'circles' }, 'active'),
    ).toThrow(/cannot move to active; allowed: archived/);
  });
});
