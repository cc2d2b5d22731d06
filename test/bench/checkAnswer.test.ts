import { describe, expect, it } from 'vitest';
import { checkAnswer, firstDifference } from '../../bench/reference/checkAnswer.js';
import { createAnswerChecker } from '../../bench/reference/createAnswerChecker.js';

const reference = { users: [{ id: '1', reviews: [{ id: '1', product: { upc: '1', inStock: true } }] }] };
const copy = () => structuredClone(reference);

describe('checkAnswer', () => {
  it('accepts data deep-equal to the reference, whatever the key order', () => {
    expect(checkAnswer(reference, { data: copy() })).toEqual({ ok: true });
    expect(checkAnswer({ a: 1, b: 2 }, { data: { b: 2, a: 1 } })).toEqual({ ok: true });
  });

  it('names the first path where the data differs', () => {
    const wrong = copy();
    wrong.users[0]!.reviews[0]!.product.inStock = false;
    expect(checkAnswer(reference, { data: wrong })).toEqual({ ok: false, problem: 'data.users[0].reviews[0].product.inStock: expected true, got false' });
  });

  it('refuses missing, extra and null values, and lists of another length or order', () => {
    expect(firstDifference({ a: 1 }, {}, 'data')).toBe('data.a: missing');
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 }, 'data')).toBe('data.b: not expected');
    expect(firstDifference({ a: { b: 1 } }, { a: null }, 'data')).toBe('data.a: expected an object, got null');
    expect(firstDifference([1, 2], [1], 'data')).toBe('data: expected 2 items, got 1');
    expect(firstDifference([1, 2], [2, 1], 'data')).toBe('data[0]: expected 1, got 2');
    expect(firstDifference('1', 1, 'data.id')).toBe('data.id: expected "1", got 1');
  });

  it('refuses an answer with errors even when its data is right', () => {
    expect(checkAnswer(reference, { data: copy(), errors: [{ message: 'Subgraph down' }] })).toEqual({
      ok: false,
      problem: '1 GraphQL error(s), the first: Subgraph down',
    });
  });

  it('refuses a body that is not an object, or has no data', () => {
    expect(checkAnswer(reference, 'Bad Gateway')).toEqual({ ok: false, problem: 'the body is not a JSON object' });
    expect(checkAnswer(reference, {})).toEqual({ ok: false, problem: 'data: expected an object, got nothing' });
  });
});

describe('createAnswerChecker', () => {
  const check = createAnswerChecker(reference);
  const bytes = (body: unknown) => Buffer.from(JSON.stringify(body));

  it('classifies answers: right, HTTP error, GraphQL errors, wrong', () => {
    expect(check(200, bytes({ data: copy() }))).toBe('ok');
    expect(check(200, bytes({ data: copy() }))).toBe('ok');
    expect(check(503, bytes({ data: copy() }))).toBe('http-error');
    expect(check(200, bytes({ data: null, errors: [{ message: 'x' }] }))).toBe('graphql-errors');
    expect(check(200, bytes({ data: { users: [] } }))).toBe('wrong');
    expect(check(200, Buffer.from('{"data":'))).toBe('wrong');
  });
});
