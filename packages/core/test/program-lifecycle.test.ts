import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allowedTransitions,
  assertTransition,
  ConflictError,
  type ProgramStatus,
  programStatuses,
} from '../src/index.ts';

describe('program lifecycle', () => {
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
              expect(allowedTransitions(status)).toContain(to);
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
