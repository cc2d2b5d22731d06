import { checkAnswer, type AnswerVerdict } from './checkAnswer.js';

/** Classifies one HTTP answer of a load run. */
export type AnswerChecker = (status: number, body: Buffer) => AnswerOutcome;

export type AnswerOutcome = 'ok' | 'http-error' | 'graphql-errors' | 'wrong';

/** Byte-for-byte variants of a right answer remembered, so most answers are checked by memcmp. */
const maxKnownRight = 4;

/**
 * Checks every answer of a load run against the reference without parsing each one: an answer
 * byte-identical to one already found right is right; any other is parsed and compared in full.
 */
export function createAnswerChecker(reference: unknown): AnswerChecker {
  const knownRight: Buffer[] = [];
  return (status, body) => {
    if (status !== 200) return 'http-error';
    if (knownRight.some((right) => right.equals(body))) return 'ok';
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return 'wrong';
    }
    const verdict: AnswerVerdict = checkAnswer(reference, parsed);
    if (verdict.ok) {
      if (knownRight.length < maxKnownRight) knownRight.push(Buffer.from(body));
      return 'ok';
    }
    return hasErrors(parsed) ? 'graphql-errors' : 'wrong';
  };
}

function hasErrors(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0;
}
