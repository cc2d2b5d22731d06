/** What a gateway's answer is worth: right, or why not. */
export type AnswerVerdict = { ok: true } | { ok: false; problem: string };

/**
 * Compares a parsed GraphQL response body with the reference `data`: right means no `errors`
 * and `data` deep-equal to the reference (same keys, same values, same list order).
 */
export function checkAnswer(reference: unknown, body: unknown): AnswerVerdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: 'the body is not a JSON object' };
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as { message?: unknown };
    return { ok: false, problem: `${errors.length} GraphQL error(s), the first: ${String(first?.message)}` };
  }
  const difference = firstDifference(reference, data, 'data');
  return difference === null ? { ok: true } : { ok: false, problem: difference };
}

/** Where two JSON values first differ, as `path: expected X, got Y`; null when they are equal. */
export function firstDifference(expected: unknown, actual: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i += 1) {
      const difference = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (difference !== null) return difference;
    }
    return null;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${path}: expected an object, got ${describe(actual)}`;
    const expectedKeys = Object.keys(expected);
    const extra = Object.keys(actual).find((key) => !(key in expected));
    if (extra !== undefined) return `${path}.${extra}: not expected`;
    for (const key of expectedKeys) {
      if (!(key in actual)) return `${path}.${key}: missing`;
      const difference = firstDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (difference !== null) return difference;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
