import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { gradeQuiz, InvalidInputError, type Quiz, quiz } from '../src/index.ts';

const threeQuestions = (passMark: number): Quiz => ({
  passMark,
  questions: [
    { prompt: 'a', options: ['x', 'y'], correct: [1] },
    { prompt: 'b', options: ['x', 'y', 'z'], correct: [0, 2] },
    { prompt: 'c', options: ['x', 'y'], correct: [0] },
  ],
});

describe('quiz grading', () => {
  test('a question counts only when exactly its correct options are chosen, in any order', () => {
    const q = threeQuestions(100);
    expect(gradeQuiz(q, [[1], [2, 0], [0]])).toEqual({ correct: 3, scorePercent: 100, passed: true });
    expect(gradeQuiz(q, [[1], [0], [0]]).correct).toBe(2);
    expect(gradeQuiz(q, [[1], [0, 1, 2], [0]]).correct).toBe(2);
    expect(gradeQuiz(q, [[], [], []]).correct).toBe(0);
  });

  test('the pass mark is compared exactly: 2 of 3 passes 66 % and fails 67 %', () => {
    const answers = [[1], [0, 2], [1]];
    expect(gradeQuiz(threeQuestions(66), answers)).toEqual({ correct: 2, scorePercent: 66, passed: true });
    expect(gradeQuiz(threeQuestions(67), answers).passed).toBe(false);
  });

  test('passing is monotone in the number of correct answers, and matches the percentage', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(),
        (n, mark, k) => {
          const correct = k % (n + 1);
          const q: Quiz = quiz.parse({
            passMark: mark,
            questions: Array.from({ length: n }, () => ({ prompt: 'q', options: ['a', 'b'], correct: [0] })),
          });
          const grade = gradeQuiz(
            q,
            Array.from({ length: n }, (_, i) => (i < correct ? [0] : [1])),
          );
          expect(grade.correct).toBe(correct);
          expect(grade.passed).toBe(correct / n >= mark / 100 - 1e-12);
        },
      ),
    );
  });

  test('answers that do not fit the quiz are refused, naming the field', () => {
    const q = threeQuestions(50);
    const fieldsOf = (answers: number[][]) => {
      try {
        gradeQuiz(q, answers);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).errors.map((e) => e.field);
      }
    };
    expect(fieldsOf([[1], [0]])).toEqual(['/answers']);
    expect(fieldsOf([[1], [0, 3], [2]])).toEqual(['/answers/1/1', '/answers/2/0']);
    expect(fieldsOf([[1, 1], [0], [0]])).toEqual(['/answers/0']);
  });
});
