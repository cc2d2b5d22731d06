import { buildSchema, Kind, parse, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { denial } from '../../../gateway/authorization/AuthorizationRules.js';
import { filterOperation, type FilteredOperation } from '../../../gateway/authorization/filterOperation.js';
import { patchDeferredParts } from '../../../gateway/authorization/patchDeferredParts.js';
import { readAuthorizationRules } from '../../../gateway/authorization/readAuthorizationRules.js';
import { coercedVariablesOf } from '../../../gateway/execution/coercedVariablesOf.js';
import type { DeferredPart } from '../../../gateway/streaming/ResultStream.js';

const sdl = `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
{ query: Query }
directive @link(url: String, as: String, for: String) repeatable on SCHEMA
directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE
directive @defer(label: String, if: Boolean! = true) on FRAGMENT_SPREAD | INLINE_FRAGMENT

type User { id: ID! name: String email: String @requiresScopes(scopes: [["pii"]]) reviews: [Review!] }
type Review { id: ID! author: User }
type Query { user: User users: [User!] }
`;
const schema = buildSchema(sdl);
const rules = readAuthorizationRules(parse(sdl));

// As the gateway filters it for an anonymous caller.
function filter(query: string, variables: Record<string, unknown> = {}): FilteredOperation {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const coerced = coercedVariablesOf({ context: {}, schema, document, operation, variables });
  if (coerced.errors) throw coerced.errors[0];
  return filterOperation(schema, rules, document, operation, coerced.values, (requirement) => denial(requirement, null, new Set()))!;
}

// The labels of the filtered document's `@defer`s, in document order: those the planner's parts carry.
function labelsIn(document: DocumentNode): string[] {
  const labels: string[] = [];
  visit(document, {
    Directive(node) {
      const label = node.arguments?.find((argument) => argument.name.value === 'label')?.value;
      if (node.name.value === 'defer' && label?.kind === Kind.STRING) labels.push(label.value);
    },
  });
  return labels;
}

// The parts as the client gets them, from the parts as the executor made them.
async function patched(filtered: FilteredOperation, parts: DeferredPart[]): Promise<DeferredPart[]> {
  const out: DeferredPart[] = [];
  for await (const part of patchDeferredParts(
    (async function* () {
      yield* parts;
    })(),
    filtered,
  ))
    out.push(part);
  return out;
}

type Item = NonNullable<DeferredPart['incremental']>[number];
const itemsOf = (parts: DeferredPart[]): Item[] => parts.flatMap((part) => part.incremental ?? []);
const errorsOf = (parts: DeferredPart[]) => itemsOf(parts).flatMap((item) => (item.errors ?? []).map((error) => [error.path, error.extensions.code]));

describe('patchDeferredParts', () => {
  it('gives each unlabeled @defer at one path its own label, and a removal only its own part', async () => {
    const filtered = filter('{ user { name ... @defer { email } ... @defer { reviews { id } } } }');
    const [emailLabel, reviewsLabel] = labelsIn(filtered.document);
    expect(emailLabel).not.toBe(reviewsLabel);
    const parts = await patched(filtered, [
      { incremental: [{ data: { reviews: [{ id: 'r1' }] }, path: ['user'], label: reviewsLabel }], hasNext: true },
      { incremental: [{ data: { [filtered.placeholderKey]: 'User' }, path: ['user'], label: emailLabel }], hasNext: false },
    ]);
    expect(parts).toEqual([
      { incremental: [{ data: { reviews: [{ id: 'r1' }] }, path: ['user'] }], hasNext: true },
      { incremental: [{ data: { email: null }, path: ['user'], errors: [expect.objectContaining({ path: ['user', 'email'] })] }], hasNext: false },
    ]);
  });

  it('gives @defers that share a client label one label (one part, as the planner makes it), and the removal its error once', async () => {
    const filtered = filter('{ user { ... @defer(label: "x") { email } ... @defer(label: "x") { reviews { id } } ... @defer(label: "y") { name } } }');
    const [first, second, other] = labelsIn(filtered.document);
    expect(first).toBe(second);
    expect(other).not.toBe(first);
    const parts = await patched(filtered, [
      { incremental: [{ data: { reviews: [], [filtered.placeholderKey]: 'User' }, path: ['user'], label: first }], hasNext: true },
      { incremental: [{ data: { name: 'Ada' }, path: ['user'], label: other }], hasNext: false },
    ]);
    expect(itemsOf(parts)).toEqual([
      { data: { reviews: [], email: null }, path: ['user'], label: 'x', errors: [expect.objectContaining({ path: ['user', 'email'] })] },
      { data: { name: 'Ada' }, path: ['user'], label: 'y' },
    ]);
  });

  it('keeps apart the fragments of a client label written at two paths: each place gets only its own removals', async () => {
    const filtered = filter('{ a: user { ...F } b: user { ...F } } fragment F on User { id ... @defer(label: "x") { email } }');
    const [atA, atB] = labelsIn(filtered.document);
    expect(atA).toBe(atB);
    const hidden = { [filtered.placeholderKey]: 'User' };
    const parts = await patched(filtered, [
      {
        incremental: [
          { data: hidden, path: ['a'], label: atA },
          { data: { ...hidden }, path: ['b'], label: atB },
        ],
        hasNext: false,
      },
    ]);
    expect(itemsOf(parts).map((item) => [item.path, item.data, item.errors?.map((error) => error.path)])).toEqual([
      [['a'], { email: null }, [['a', 'email']]],
      [['b'], { email: null }, [['b', 'email']]],
    ]);
  });

  it('tells a nested @defer from the one it is in, at the same path and deeper', async () => {
    const filtered = filter('{ user { ... @defer { name ... @defer { email } reviews { id ... @defer { author { email } } } } } }');
    const [outer, inner, deeper] = labelsIn(filtered.document);
    expect(new Set([outer, inner, deeper]).size).toBe(3);
    const parts = await patched(filtered, [
      { incremental: [{ data: { name: 'Ada', reviews: [{ id: 'r1' }, { id: 'r2' }] }, path: ['user'], label: outer }], hasNext: true },
      { incremental: [{ data: { [filtered.placeholderKey]: 'User' }, path: ['user'], label: inner }], hasNext: true },
      {
        incremental: [
          { data: { author: { [filtered.placeholderKey]: 'User' } }, path: ['user', 'reviews', 0], label: deeper },
          { data: { author: null }, path: ['user', 'reviews', 1], label: deeper },
        ],
        hasNext: false,
      },
    ]);
    expect(itemsOf(parts).map(({ data, path }) => ({ data, path }))).toEqual([
      { data: { name: 'Ada', reviews: [{ id: 'r1' }, { id: 'r2' }] }, path: ['user'] },
      { data: { email: null }, path: ['user'] },
      { data: { author: { email: null } }, path: ['user', 'reviews', 0] },
      { data: { author: null }, path: ['user', 'reviews', 1] },
    ]);
    expect(errorsOf(parts)).toEqual([
      [['user', 'email'], 'UNAUTHENTICATED'],
      [['user', 'reviews', '@', 'author', 'email'], 'UNAUTHENTICATED'],
    ]);
  });

  it('nulls a removal at every place of a @defer in a list, and reports it once in the whole stream', async () => {
    const filtered = filter('{ users { id ... @defer { email } ... @defer { name } } }');
    const [emailLabel, nameLabel] = labelsIn(filtered.document);
    const hidden = { [filtered.placeholderKey]: 'User' };
    const parts = await patched(filtered, [
      { incremental: [{ data: { name: 'Ada' }, path: ['users', 0], label: nameLabel }], hasNext: true },
      { incremental: [{ data: hidden, path: ['users', 0], label: emailLabel }], hasNext: true },
      // The same fragment's other places in a later part: still no second error.
      { incremental: [{ data: { ...hidden }, path: ['users', 1], label: emailLabel }], hasNext: false },
    ]);
    expect(itemsOf(parts).map(({ data, path, label }) => ({ data, path, label }))).toEqual([
      { data: { name: 'Ada' }, path: ['users', 0], label: undefined },
      { data: { email: null }, path: ['users', 0], label: undefined },
      { data: { email: null }, path: ['users', 1], label: undefined },
    ]);
    expect(errorsOf(parts)).toEqual([[['users', '@', 'email'], 'UNAUTHENTICATED']]);
    expect(parts[1]!.incremental![0]!.errors).toHaveLength(1);
  });

  it('echoes the labels the client wrote, whatever they are, and none where it wrote none', async () => {
    const filtered = filter(
      'query($l: String) { user { ... @defer(label: "portico__defer_1") { email } ... @defer(label: "__proto__") { name } ... @defer(label: $l) { id } ... @defer(label: "") { reviews { id } } } }',
      { l: 'mine' },
    );
    const labels = labelsIn(filtered.document);
    expect(new Set(labels).size).toBe(4);
    const parts = await patched(filtered, [
      {
        incremental: labels.map((label, index) => ({ data: index === 0 ? { [filtered.placeholderKey]: 'User' } : {}, path: ['user'], label })),
        hasNext: false,
      },
    ]);
    const items = itemsOf(parts);
    expect(items.map((item) => item.label)).toEqual(['portico__defer_1', '__proto__', undefined, undefined]);
    expect(items.map((item) => Object.hasOwn(item, 'label'))).toEqual([true, true, false, false]);
    expect(errorsOf(parts)).toEqual([[['user', 'email'], 'UNAUTHENTICATED']]);
  });
});
