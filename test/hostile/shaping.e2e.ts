import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectStillServing, postRaw } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// Compiled shaping (step 34) against a real gateway process: a program per combination of the
// @skip/@include variables' values, kept with the plan up to a bound. A client sending many
// combinations, on fields under aliases named like Object.prototype members, gets for each the
// answer the same operation with the values written in gives (another document, so another plan
// and program), the process stays up, and other clients are served.

const aliases = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'a', 'b', 'c', 'd', 'e'] as const;
const fieldOf = (index: number) => (index % 2 === 0 ? 'upc' : 'name');
const directiveOf = (index: number, value: string) => (index % 3 === 0 ? `@skip(if: ${value})` : `@include(if: ${value})`);

function withVariables(): string {
  const variables = aliases.map((_, index) => `$v${index}: Boolean!`).join(', ');
  const fields = aliases.map((alias, index) => `${alias}: ${fieldOf(index)} ${directiveOf(index, `$v${index}`)}`).join(' ');
  return `query (${variables}) { topProducts(first: 3) { ${fields} __typename } }`;
}

function withLiterals(values: readonly boolean[]): string {
  const fields = aliases.map((alias, index) => `${alias}: ${fieldOf(index)} ${directiveOf(index, String(values[index]))}`).join(' ');
  return `{ topProducts(first: 3) { ${fields} __typename } }`;
}

describe('shaping under many variable combinations', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget({ mode: 'production', config: { rateLimit: { default: { windowSeconds: 60, limit: 100_000 } } } });
    await vi.waitFor(async () => expect((await postRaw(target, { query: '{ topProducts(first: 1) { upc } }' })).status).toBe(200), {
      timeout: 30_000,
      interval: 500,
    });
  }, 120_000);
  afterAll(() => target?.close());

  it('answers each combination as the operation with the values written in, past the bound on programs', async () => {
    const query = withVariables();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: aliases.length, maxLength: aliases.length }), async (values) => {
        const variables = Object.fromEntries(values.map((value, index) => [`v${index}`, value]));
        const [compiled, literal] = await Promise.all([postRaw(target, { query, variables }), postRaw(target, { query: withLiterals(values) })]);
        expect(compiled.status, JSON.stringify(compiled.body)).toBe(200);
        expect(JSON.stringify(compiled.body)).toBe(JSON.stringify(literal.body));
        // The fields each combination includes, in the operation's order, as own fields.
        const first = (compiled.body?.data as { topProducts: Record<string, unknown>[] }).topProducts[0]!;
        const included = aliases.filter((_, index) => (index % 3 === 0 ? !values[index] : values[index]));
        expect(Object.keys(first)).toEqual([...included, '__typename']);
      }),
      { numRuns: 60 },
    );
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
  }, 120_000);
});
