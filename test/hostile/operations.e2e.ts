import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintToken } from '../../cli/token/mintToken.js';
import { expectRefused, expectStillServing, postRaw, send, type Reply } from './support/expectRefused.js';
import { startTarget, targetJwtSecret, type Target } from './support/startTarget.js';

// The operation layer against real gateway processes: aliases, operation, variable and fragment
// names a client chooses (`__proto__`, `constructor`, …) on fields that need authorization, with
// @skip/@include driven by variables with and without defaults. Each answer is the one GraphQL
// prescribes (200 with the expected data and errors, or a 4xx with a code), never a 500; the
// process stays up; and nothing leaks into other requests: a reference query and its cost
// estimate are the same at the end, and /metrics still answers.

const prototypeNames = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

// A reference whose cost depends on list sizes (100 × (1 + 10 × (1 + 1)) = 2,100): a polluted
// prototype once changed such estimates for everyone.
const reference = {
  query: 'query Reference($n: Int = 100) { topProducts(first: $n) { upc reviews { author { name } } } }',
};

type Caller = { name: 'anonymous' } | { name: 'signed'; subject: string; scopes: string[] };
const callers: Caller[] = [{ name: 'anonymous' }, { name: 'signed', subject: '2', scopes: [] }, { name: 'signed', subject: '3', scopes: ['users:read-pii'] }];

function headersOf(caller: Caller): Record<string, string> {
  if (caller.name === 'anonymous') return {};
  const token = mintToken({ subject: caller.subject, scopes: caller.scopes, claims: {}, secret: targetJwtSecret, expiresInSeconds: 300 });
  return { authorization: `Bearer ${token}` };
}

async function referenceAnswer(target: Target): Promise<Reply> {
  const reply = await postRaw(target, reference, { 'x-portico-cost': 'true' });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply;
}

describe.each(['development', 'production'] as const)('operations against a %s gateway', (mode) => {
  let target: Target;
  let before: Reply;

  beforeAll(async () => {
    // Generous rate limits: this file sends a few hundred requests from one address.
    target = await startTarget({
      mode,
      config: { rateLimit: { default: { windowSeconds: 60, limit: 100_000 }, cost: { windowSeconds: 60, budget: 10_000_000 } } },
    });
    // The baseline every later answer is held to must be a whole one: on a busy machine the
    // first answers after start can still time out on a subgraph.
    before = await vi.waitFor(
      async () => {
        const reply = await referenceAnswer(target);
        expect(reply.body?.errors, JSON.stringify(reply.body?.errors)).toBeUndefined();
        return reply;
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(before.body).toMatchObject({ extensions: { cost: { estimated: 2100 } } });
  }, 120_000);
  afterAll(() => target?.close());

  async function expectNothingLeaked(): Promise<void> {
    expect(target.alive(), target.output()).toBe(true);
    await expectStillServing(target);
    const after = await referenceAnswer(target);
    expect(after.body).toEqual(before.body);
    // Nothing inherited by every object: the first sign of a polluted Object.prototype.
    const plain: Record<string, unknown> = {};
    for (const name of ['n', 'email', 'user']) expect(plain[name]).toBeUndefined();
    if (mode === 'development') {
      const metrics = await send(`${target.origin}/metrics`);
      expect(metrics.status).toBe(200);
    }
  }

  it("the issue's reproduction: a defaulted @skip under a __proto__ alias is skipped, for everyone alike", async () => {
    const query = 'query P($s: Boolean = true) { __proto__: user(id: "1") @skip(if: $s) { n: email } }';
    for (const caller of callers) {
      const reply = await postRaw(target, { query }, headersOf(caller));
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toEqual({ data: {} });
    }
    // Included, it is judged: refused for the anonymous caller, at the alias, as an own key.
    const included = await postRaw(target, { query, variables: { s: false } });
    expect(included.status).toBe(200);
    expect(included.body?.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(included.body?.data)).toBe('{"__proto__":{"n":null}}');
    await expectNothingLeaked();
  });

  it('refuses an operationName that names no operation with 400 OPERATION_RESOLUTION_FAILURE', async () => {
    for (const [body, message] of [
      [{ query: 'query A { __typename }', operationName: 'B' }, 'Unknown operation named "B".'],
      [{ query: '{ __typename }', operationName: '__proto__' }, 'Unknown operation named "__proto__".'],
      [{ query: 'query A { __typename } query B { __typename }' }, 'Must provide operation name if query contains multiple operations.'],
    ] as const) {
      const reply = await postRaw(target, body, { accept: 'application/graphql-response+json' });
      expectRefused(reply, ['OPERATION_RESOLUTION_FAILURE']);
      expect(reply.status).toBe(400);
      expect(reply.body?.errors?.[0]?.message).toBe(message);
    }
    await expectNothingLeaked();
  });

  it('refuses a variable sent as null where the operation needs a value, with 400 BAD_USER_INPUT, whatever the place', async () => {
    for (const [query, place] of [
      // A plan condition (inventory would not be asked), a condition sent on to the subgraph, a field argument sent on to it.
      ['query ($x: Boolean = true) { topProducts(first: 1) { upc inStock @include(if: $x) } }', '"Boolean!"'],
      ['query ($x: Boolean = true) { topProducts(first: 1) { upc name @skip(if: $x) } }', '"Boolean!"'],
      ['query ($n: Int = 3) { topProducts(first: $n) { upc } }', '"Int!"'],
      ['query ($n: Int = 3) { ...Top } fragment Top on Query { topProducts(first: $n) { upc } }', '"Int!"'],
    ] as const) {
      const reply = await postRaw(target, { query, variables: { x: null, n: null } }, { accept: 'application/graphql-response+json' });
      expectRefused(reply, ['BAD_USER_INPUT']);
      expect(reply.status).toBe(400);
      expect(reply.body?.errors?.[0]?.message).toContain(`is null, but the operation uses it where a value of type ${place} is required`);
      expect(reply.body?.errors?.[0]?.extensions).not.toHaveProperty('serviceName');
    }
    // Left out, the default applies; sent, the value does.
    const defaulted = await postRaw(target, { query: 'query ($n: Int = 1) { topProducts(first: $n) { upc } }' });
    expect(defaulted.body?.data).toEqual({ topProducts: [{ upc: expect.any(String) }] });
    await expectNothingLeaked();
  });

  it("codes the client's mistakes that Apollo Server or the planner refuses as the client's, never INTERNAL_SERVER_ERROR", async () => {
    const cases = [
      // Apollo Server's persisted-query refusals, which carry a status and no code of their own.
      [{ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, 'BAD_REQUEST', 'provided sha does not match query'],
      [{ extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } }, 'BAD_REQUEST', 'Unsupported persisted query version'],
      // The planner's: federation refuses @defer on a mutation's root fields, which GraphQL validation lets through.
      [
        { query: 'mutation { ... @defer { createReview(input: { productUpc: "1", body: "b", rating: 5 }) { id } } }' },
        'GRAPHQL_VALIDATION_FAILED',
        'The @defer and @stream directives cannot be used on mutation root type "Mutation"',
      ],
    ] as const;
    const signed = headersOf({ name: 'signed', subject: '2', scopes: [] });
    for (const [body, code, message] of cases) {
      const reply = await postRaw(target, body, { ...signed, accept: 'application/graphql-response+json' });
      expectRefused(reply, [code]);
      expect(reply.status).toBe(400);
      expect(reply.body?.errors?.[0]?.message).toBe(message);
    }
    await expectNothingLeaked();
  });

  it('refuses a mutation without its scope saying the caller may not use it', async () => {
    const reply = await postRaw(target, { query: 'mutation { updateProductPrice(upc: "p1", price: 1) { price } }' }, headersOf(callers[1]!));
    expect(reply.status).toBe(200);
    expect(reply.body?.errors?.[0]).toMatchObject({
      message: 'Forbidden: the caller may not use Mutation.updateProductPrice.',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('answers generated operations with hostile names as GraphQL prescribes, and leaks nothing', async () => {
    const users = target.backends.data.users;
    const product = target.backends.data.products[0]!;
    await fc.assert(
      fc.asyncProperty(operationArbitrary, fc.constantFrom(...callers), async (generated, caller) => {
        const { body, expected } = render(generated, caller, { users, product });
        const reply = await postRaw(target, body, { ...headersOf(caller), accept: 'application/graphql-response+json' });
        const context = `${JSON.stringify(body)}\n→ ${reply.status} ${JSON.stringify(reply.body)}`;
        expect(reply.status, context).not.toBeGreaterThanOrEqual(500);
        expect(target.alive(), target.output()).toBe(true);
        if ('refused' in expected) {
          expectRefused(reply, [expected.refused]);
          return;
        }
        expect(reply.status, context).toBe(200);
        // Apollo's query planner nulls a conditionally included field whose every subfield is
        // excluded (vanilla Apollo Gateway answers the same); both answers are taken for those.
        for (const key of expected.emptyKeys) if (ownValue(reply.body?.data, key) === null) setOwn(expected.data, key, null);
        expect(reply.body?.data, context).toEqual(expected.data);
        expect(errorsOf(reply), context).toEqual(expected.errors.map(({ path, code }) => `${JSON.stringify(path)} ${code}`).sort());
      }),
      { numRuns: 60 },
    );
    await expectNothingLeaked();
  }, 120_000);
});

function errorsOf(reply: Reply): string[] {
  return (reply.body?.errors ?? []).map((error) => `${JSON.stringify((error as { path?: unknown }).path)} ${String(error.extensions?.code)}`).sort();
}

// ---- The generated operations and what GraphQL says they answer ----

const nameArbitrary = fc.oneof(
  fc.constantFrom(...prototypeNames),
  // `on` cannot name a fragment; everything else of this shape is a name.
  fc.stringMatching(/^[a-z][A-Za-z0-9]{0,6}$/).filter((name) => name !== 'on'),
);

interface Condition {
  directive: 'skip' | 'include';
  /** A literal, or the index of a variable (modulo the number of variables). */
  argument: { literal: boolean } | { variable: number };
}
interface Variable {
  name: string;
  nonNull: boolean;
  defaultValue: boolean | null;
  /** What is sent: null sends nothing, unless `sendNull`, which sends an explicit null. */
  value: boolean | null;
  sendNull: boolean;
}
interface Child {
  key: string;
  field: string;
  condition: Condition | null;
  inFragment: boolean;
}
interface Root {
  key: string;
  kind: 'user' | 'me' | 'topProducts';
  condition: Condition | null;
  children: Child[];
  spreadCondition: Condition | null;
}
interface Generated {
  operationNames: string[];
  requested: { kind: 'none' } | { kind: 'own'; index: number } | { kind: 'other'; name: string };
  variables: Variable[];
  fragmentNames: string[];
  roots: Root[];
}

const conditionArbitrary: fc.Arbitrary<Condition | null> = fc.option(
  fc.record({
    directive: fc.constantFrom('skip' as const, 'include' as const),
    argument: fc.oneof(fc.record({ literal: fc.boolean() }), fc.record({ variable: fc.nat(5) })),
  }),
  { freq: 3 },
);

const fieldsOf = { user: ['id', 'name', 'email'], me: ['id', 'name', 'email'], topProducts: ['upc', 'name', 'quantity'] } as const;

const rootArbitrary: fc.Arbitrary<Root> = fc.constantFrom('user' as const, 'me' as const, 'topProducts' as const).chain((kind) =>
  fc.record({
    key: fc.oneof(nameArbitrary, fc.constant(kind)),
    kind: fc.constant(kind),
    condition: conditionArbitrary,
    children: fc.uniqueArray(
      fc
        .record({
          field: fc.constantFrom(...fieldsOf[kind]),
          key: fc.option(nameArbitrary, { freq: 2 }),
          condition: conditionArbitrary,
          inFragment: fc.boolean(),
        })
        .map(({ field, key, ...rest }) => ({ field, key: key ?? field, ...rest })),
      { minLength: 1, maxLength: 3, selector: (child) => child.key },
    ),
    spreadCondition: conditionArbitrary,
  }),
);

// A Boolean variable is non-null, or nullable with a default (only those fit `if: Boolean!`).
const variableArbitrary: fc.Arbitrary<Variable> = fc
  .record({ name: nameArbitrary, nonNull: fc.boolean(), defaultValue: fc.option(fc.boolean()), value: fc.option(fc.boolean()), sendNull: fc.boolean() })
  .map((variable) => (!variable.nonNull && variable.defaultValue === null ? { ...variable, defaultValue: true } : variable));

const operationArbitrary: fc.Arbitrary<Generated> = fc.record({
  operationNames: fc.uniqueArray(nameArbitrary, { maxLength: 2 }),
  requested: fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.nat(1).map((index) => ({ kind: 'own' as const, index })) },
    { weight: 1, arbitrary: nameArbitrary.map((name) => ({ kind: 'other' as const, name })) },
  ),
  variables: fc.uniqueArray(variableArbitrary, { minLength: 1, maxLength: 3, selector: (variable) => variable.name }),
  fragmentNames: fc.uniqueArray(nameArbitrary, { minLength: 4, maxLength: 4 }),
  roots: fc.uniqueArray(rootArbitrary, { minLength: 1, maxLength: 4, selector: (root) => root.key }),
});

type Expected =
  | { refused: string }
  | {
      data: Record<string, unknown>;
      errors: { path: (string | number)[]; code: string }[];
      /** Response keys of fields included with none of their subfields. */
      emptyKeys: string[];
    };

interface Fixtures {
  users: readonly { id: string; name: string; email: string }[];
  product: { upc: string; name: string };
}

/** The request for a generated operation, and what a correct gateway answers this caller. */
function render(generated: Generated, caller: Caller, fixtures: Fixtures): { body: Record<string, unknown>; expected: Expected } {
  const { variables, roots } = generated;
  const used = new Map<string, Variable>();
  const printCondition = (condition: Condition | null): string => {
    if (!condition) return '';
    if ('literal' in condition.argument) return ` @${condition.directive}(if: ${condition.argument.literal})`;
    const variable = variables[condition.argument.variable % variables.length]!;
    used.set(variable.name, variable);
    return ` @${condition.directive}(if: $${variable.name})`;
  };
  const fragments: string[] = [];
  const selections = roots.map((root, index) => {
    const typeName = root.kind === 'topProducts' ? 'Product' : 'User';
    const field = root.kind === 'user' ? 'user(id: "1")' : root.kind === 'me' ? 'me' : 'topProducts(first: 1)';
    const child = (c: Child) => `${c.key === c.field ? '' : `${c.key}: `}${c.field}${printCondition(c.condition)}`;
    const direct = root.children.filter((c) => !c.inFragment).map(child);
    const spread = root.children.filter((c) => c.inFragment);
    if (spread.length > 0) {
      const name = generated.fragmentNames[index]!;
      fragments.push(`fragment ${name} on ${typeName} { ${spread.map(child).join(' ')} }`);
      direct.push(`...${name}${printCondition(root.spreadCondition)}`);
    }
    return `${root.key === root.kind ? '' : `${root.key}: `}${field}${printCondition(root.condition)} { ${direct.join(' ')} }`;
  });
  const definitions = [...used.values()].map((v) => `$${v.name}: Boolean${v.nonNull ? '!' : ''}${v.defaultValue === null ? '' : ` = ${v.defaultValue}`}`);
  const [firstName, secondName] = generated.operationNames;
  const header = firstName === undefined ? 'query' : `query ${firstName}`;
  const first = `${header}${definitions.length > 0 ? `(${definitions.join(', ')})` : ''} { ${selections.join(' ')} }`;
  const second = secondName === undefined ? '' : ` query ${secondName} { __typename }`;
  const query = `${first}${second} ${fragments.join(' ')}`;

  const operationName =
    generated.requested.kind === 'none'
      ? undefined
      : generated.requested.kind === 'other'
        ? generated.requested.name
        : generated.operationNames[generated.requested.index % Math.max(1, generated.operationNames.length)];
  // Values for every generated variable, used or not: hostile keys in `variables` too.
  const sent = Object.fromEntries(variables.filter((v) => v.value !== null || v.sendNull).map((v) => [v.name, v.value]));
  const body = { query, ...(operationName === undefined ? {} : { operationName }), variables: sent };

  // Which operation runs.
  const names = generated.operationNames;
  const picked = operationName === undefined ? (names.length > 1 ? -1 : 0) : names.indexOf(operationName);
  if (picked === -1) return { body, expected: { refused: 'OPERATION_RESOLUTION_FAILURE' } };
  if (picked === 1) return { body, expected: { data: { __typename: 'Query' }, errors: [], emptyKeys: [] } };

  const valueOf = new Map<string, boolean | null>();
  for (const variable of used.values()) {
    const value = variable.value ?? (variable.sendNull ? null : variable.defaultValue);
    // A Boolean! variable not sent at all does not coerce.
    if (value === null && variable.nonNull) return { body, expected: { refused: 'BAD_USER_INPUT' } };
    valueOf.set(variable.name, value);
  }
  // Every variable here stands in an `if: Boolean!`: a null read there (by a condition execution
  // reaches) is refused, as graphql-js refuses it; one never read is nothing.
  const nullRead = new Error('a null read in an `if`');
  const included = (condition: Condition | null): boolean => {
    if (!condition) return true;
    const value = 'literal' in condition.argument ? condition.argument.literal : valueOf.get(variables[condition.argument.variable % variables.length]!.name)!;
    if (value === null) throw nullRead;
    return condition.directive === 'skip' ? !value : value;
  };
  try {
    return { body, expected: expectedFor(roots, caller, fixtures, included) };
  } catch (error) {
    if (error === nullRead) return { body, expected: { refused: 'BAD_USER_INPUT' } };
    throw error;
  }
}

/** What a correct gateway answers this caller, with `included` judging each condition in the order execution reads them. */
function expectedFor(roots: readonly Root[], caller: Caller, fixtures: Fixtures, included: (condition: Condition | null) => boolean): Expected {
  const refusal = caller.name === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  const readsPii = caller.name === 'signed' && caller.scopes.includes('users:read-pii');
  const errors: { path: (string | number)[]; code: string }[] = [];
  const data: Record<string, unknown> = {};
  const emptyKeys: string[] = [];
  for (const root of roots) {
    if (!included(root.condition)) continue;
    // The conditions below an included root are read from the document and the variables, before
    // anything runs, so also under a root that then answers null (`me` for an anonymous caller).
    const fragmentIncluded = root.children.some((child) => child.inFragment) && included(root.spreadCondition);
    const childIncluded = root.children.map((child) => (!child.inFragment || fragmentIncluded) && included(child.condition));
    if (root.kind === 'me' && caller.name === 'anonymous') {
      setOwn(data, root.key, null);
      errors.push({ path: [root.key], code: 'UNAUTHENTICATED' });
      continue;
    }
    const user = root.kind === 'user' ? fixtures.users[0]! : caller.name === 'signed' ? fixtures.users[Number(caller.subject) - 1]! : undefined;
    const object: Record<string, unknown> = {};
    for (const [index, child] of root.children.entries()) {
      if (!childIncluded[index]) continue;
      if (root.kind === 'topProducts') {
        if (child.field === 'quantity') {
          // @policy, and this target has no policy module: no caller holds it.
          setOwn(object, child.key, null);
          errors.push({ path: [root.key, '@', child.key], code: refusal });
        } else setOwn(object, child.key, fixtures.product[child.field as 'upc' | 'name']);
        continue;
      }
      if (child.field === 'email' && !readsPii) {
        setOwn(object, child.key, null);
        errors.push({ path: [root.key, child.key], code: refusal });
      } else setOwn(object, child.key, user![child.field as 'id' | 'name' | 'email']);
    }
    setOwn(data, root.key, root.kind === 'topProducts' ? [object] : object);
    if (Object.keys(object).length === 0) emptyKeys.push(root.key);
  }
  return { data, errors, emptyKeys };
}

function ownValue(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null && Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

// As JSON.parse makes them: `__proto__` as an own key, never the prototype.
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
