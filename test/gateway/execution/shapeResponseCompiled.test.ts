import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import type { ResultObject } from '../../../gateway/execution/collectEntities.js';
import { createShapingPrograms, type ShapingPrograms } from '../../../gateway/execution/createShapingPrograms.js';
import { shapeResponse, type ShapeOptions, type Shaped } from '../../../gateway/execution/shapeResponse.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';
import { referenceShapeResponse } from './support/referenceShapeResponse.js';

// The compiled shaper (step 34) against the walker it replaced, on generated answers: the same
// JSON text, the same errors (message, path, code), for every operation below, with the
// programs compiled once and reused across answers and variable values, and compiled afresh.

const schema = buildSchema(`
  type Query {
    shelf: Shelf items: [Item!] item: Item! count: Int things: [[Thing!]!] search: [SearchResult]
    node: Node me: Person! color: Color json: JSON
  }
  scalar JSON
  enum Color { RED GREEN }
  interface Node { id: ID! }
  interface Item implements Node { id: ID! name: String }
  type Shelf implements Node { id: ID! name: String! books: [Book] items: [Item!]! matrix: [[Int!]]! flag: Boolean ratio: Float }
  type Book implements Item & Node { id: ID! name: String title: String! author: Person related: [Item] }
  type Lamp implements Item & Node { id: ID! name: String watts: Float! color: Color }
  type Person { name: String! friends: [Person!] }
  union Thing = Book | Lamp | Person
  union SearchResult = Book | Shelf
`);

// Interned as the gateway interns them: equal strings, other objects.
const typeNames = new Map(Object.keys(schema.getTypeMap()).map((name) => [name, ` ${name}`.slice(1)]));

const operations: Record<string, string> = {
  fragments: `query Q($a: Boolean!, $b: Boolean) {
    __typename
    shelf { id name ...ShelfBits books @include(if: $a) { title ...ItemBits } matrix flag ratio }
    items { ...ItemBits ... on Book { title author { name } } ... on Lamp @skip(if: $b) { watts color } }
    item { id ... on Node { ... on Book { title } } ... on Item { name } }
    things { __typename ... on Person { name friends { name } } ... on Item { id name } }
    search { ... on Book { t: title } ... on Shelf { n: name } __typename }
    node { id ... on Shelf { items { id } } ... on Item { ... on Lamp { watts } } }
    count @skip(if: true)
    color json
    me { name friends { name friends { name } } }
  }
  fragment ShelfBits on Shelf { id items { __typename id } }
  fragment ItemBits on Item { id name kind: __typename }`,
  hostileAliases: `{
    shelf { __proto__: name constructor: id toString: name valueOf: flag hasOwnProperty: name isPrototypeOf: __typename }
    __proto__: count constructor: color toString: me { valueOf: name } __typename: __typename
  }`,
  introspection: `{ __schema { queryType { name } } count __type(name: "Book") { name } shelf { name } again: __schema { types { name } } }`,
  merged: `query ($a: Boolean = true) {
    shelf { books { title } ... on Shelf { books { id author { name } } } books @include(if: $a) { author { friends { name } } } name }
    shelf { name id books { related { id ... on Book { title } } } }
    items { id } items { name ... on Lamp { watts } }
    me { name } me { friends { name } }
  }`,
  deferred: `query ($d: Boolean, $e: Boolean!) {
    shelf { name ... @defer(if: $d) { books { title } } ... on Shelf @defer { id } ...Later @defer(if: $e) }
    items { id ... on Book @defer { title } }
  }
  fragment Later on Shelf { items { name } matrix }`,
  lists: `{ things { ... on Book { id related { id name } } ... on Person { friends { friends { name } } } } shelf { matrix items { id } } }`,
};

const names = [
  'shelf',
  'items',
  'item',
  'count',
  'things',
  'search',
  'node',
  'color',
  'json',
  'me',
  'id',
  'name',
  'books',
  'matrix',
  'flag',
  'ratio',
  'title',
  'author',
  'related',
  'watts',
  'friends',
  'kind',
  't',
  'n',
  'again',
  '__schema',
  '__type',
  '__typename',
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
];
const typenames = ['Book', 'Lamp', 'Shelf', 'Person', 'Query', 'Item', 'Node', 'Thing', 'Color', 'Secret', '', 'constructor', '__proto__'];
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e21, 2 ** 53 + 2, 1.5, -0, 'RED', 'GREEN', 'BLUE', '7', 'x'),
  fc.string({ maxLength: 3 }),
);
const { value: answerValue, object: answerObject } = fc.letrec<{ value: unknown; list: unknown[]; object: ResultObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('list')),
  list: fc.array(tie('value'), { maxLength: 3 }),
  object: fc
    .tuple(
      fc.option(fc.constantFrom(...typenames), { freq: 3 }),
      fc.uniqueArray(fc.tuple(fc.constantFrom(...names), tie('value')), { maxLength: 8, selector: ([name]) => name }),
    )
    .map(([typename, entries]) => {
      // Own fields, `__proto__` included, as JSON.parse makes them.
      const object: ResultObject = Object.fromEntries(entries);
      if (typename !== null) Object.defineProperty(object, '__typename', { value: typename, enumerable: true, writable: true, configurable: true });
      return object;
    }),
}));
void answerValue;

// Answers that mostly fit the operation (the fields it selects under their response names, runtime
// types from the possible ones), with some nulls, missing fields, wrong values and bad __typenames.
function fittingAnswer(query: string, seed: number): ResultObject {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const document = parse(query);
  const fragments = fragmentsOf(document);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const oddities = [null, undefined, 'x', 7, 1.5, true, [], {}, 'RED'];
  const valueFor = (type: GraphQLOutputType, selections: readonly SelectionNode[] | undefined, depth: number): unknown => {
    const roll = random();
    if (roll < 0.04) return pick(oddities);
    if (isNonNullType(type)) return valueFor(type.ofType, selections, depth);
    if (roll < 0.1 || depth > 6) return null;
    if (isListType(type)) return Array.from({ length: Math.floor(random() * 4) }, () => valueFor(type.ofType, selections, depth + 1));
    if (isCompositeType(type)) return objectFor(selections ?? [], type, depth + 1);
    if (isEnumType(type)) return pick(type.getValues()).name;
    switch (type.name) {
      case 'Int':
        return Math.floor(random() * 100);
      case 'Float':
        return random();
      case 'Boolean':
        return random() < 0.5;
      default:
        return `s${Math.floor(random() * 9)}`;
    }
  };
  const objectFor = (selections: readonly SelectionNode[], type: GraphQLCompositeType, depth: number): ResultObject => {
    const object: ResultObject = {};
    const runtime = pick(isAbstractType(type) ? schema.getPossibleTypes(type) : [type as GraphQLObjectType]);
    const roll = random();
    const typename = roll < 0.75 ? runtime.name : roll < 0.82 ? pick(['Secret', 'Item', 'Node', '', 'Color', 'constructor']) : undefined;
    if (typename !== undefined) object.__typename = typename;
    const fill = (list: readonly SelectionNode[], parent: GraphQLCompositeType) => {
      for (const selection of list) {
        if (selection.kind !== Kind.FIELD) {
          const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : (fragments.get(selection.name.value) as FragmentDefinitionNode);
          const condition = fragment.typeCondition ? (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) : parent;
          fill(fragment.selectionSet.selections, condition);
          continue;
        }
        const name = selection.name.value;
        const responseName = selection.alias?.value ?? name;
        if (name === '__schema' || name === '__type' || random() < 0.05) continue;
        if (name === '__typename') {
          if (random() < 0.5)
            Object.defineProperty(object, responseName, { value: typename ?? runtime.name, enumerable: true, writable: true, configurable: true });
          continue;
        }
        const owner = isObjectType(runtime) && runtime.getFields()[name] ? runtime : parent;
        const field = 'getFields' in owner ? owner.getFields()[name] : undefined;
        if (!field) continue;
        const value = valueFor(field.type, selection.selectionSet?.selections, depth);
        if (value !== undefined) Object.defineProperty(object, responseName, { value, enumerable: true, writable: true, configurable: true });
      }
    };
    fill(selections, type);
    return object;
  };
  return objectFor(operation.selectionSet.selections, schema.getQueryType()!, 0);
}
const conditionValue = fc.constantFrom(true, false, null, undefined);

function optionsOf(query: string, variables: Record<string, unknown>, extra: Partial<ShapeOptions> = {}): ShapeOptions {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return {
    schema,
    selections: operation.selectionSet.selections,
    rootType: schema.getQueryType()!,
    fragments: fragmentsOf(document),
    variables: new Map(Object.entries(variables).filter(([, value]) => value !== undefined)),
    introspect: (field) => ({ introspected: field.alias?.value ?? field.name.value }),
    typeNames,
    ...extra,
  };
}

const comparable = (shaped: Shaped) => ({
  text: JSON.stringify(shaped.data),
  errors: shaped.errors.map((error: GraphQLError) => ({ message: error.message, path: error.path, extensions: error.extensions })),
});

function expectSame(input: ResultObject, options: ShapeOptions, programs: ShapingPrograms): void {
  const expected = comparable(referenceShapeResponse(input, options));
  expect(comparable(shapeResponse(input, options))).toEqual(expected);
  expect(comparable(shapeResponse(input, { ...options, programs }))).toEqual(expected);
}

describe('compiled shaping', () => {
  for (const [name, query] of Object.entries(operations)) {
    it(`answers as the uncompiled walker did: ${name}`, () => {
      // One plan's programs for every answer: compiled for the first, reused (and grown) after.
      const programs = createShapingPrograms();
      fc.assert(
        fc.property(
          fc.oneof(
            fc.integer().map((seed) => fittingAnswer(query, seed)),
            answerObject,
          ),
          conditionValue,
          conditionValue,
          conditionValue,
          fc.boolean(),
          (input, a, b, d, withoutDeferred) => {
            expectSame(input, optionsOf(query, { a, b, d, e: a }, { withoutDeferred }), programs);
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it('shapes a deferred part by its own selections and root type, reusing its programs', () => {
    const programs = createShapingPrograms();
    const selections = (parse('{ id ... on Book { title author { name } } ... on Item { name } __typename }').definitions[0] as OperationDefinitionNode)
      .selectionSet.selections as readonly SelectionNode[];
    fc.assert(
      fc.property(answerObject, fc.constantFrom('Book', 'Lamp', 'Shelf', 'Item'), (input, root) => {
        const options = optionsOf('{ count }', {}, { selections, rootType: schema.getType(root) as GraphQLCompositeType });
        expectSame(input, options, programs.forPart(selections));
      }),
      { numRuns: 200 },
    );
  });

  it('answers valid data in full, nulls bubbling at every level of nested lists with one error each', () => {
    const programs = createShapingPrograms();
    const query = '{ shelf { id name matrix items { id name ... on Lamp { watts } } } things { ... on Person { name } ... on Book { id } } }';
    const valid = {
      shelf: { __typename: 'Shelf', id: 's', name: 'n', matrix: [[1, 2], [3]], items: [{ __typename: 'Lamp', id: 'l', name: null, watts: 4.5 }] },
      things: [[{ __typename: 'Person', name: 'p' }], [{ __typename: 'Book', id: 'b' }]],
    };
    const options = optionsOf(query, {});
    expect(JSON.stringify(shapeResponse(valid, { ...options, programs }).data)).toBe(
      '{"shelf":{"id":"s","name":"n","matrix":[[1,2],[3]],"items":[{"id":"l","name":null,"watts":4.5}]},"things":[[{"name":"p"}],[{"id":"b"}]]}',
    );
    const broken = [
      { ...valid, shelf: { ...valid.shelf, matrix: [[1, null]] } },
      { ...valid, shelf: { ...valid.shelf, matrix: null } },
      { ...valid, shelf: { ...valid.shelf, items: [{ __typename: 'Lamp', id: 'l', watts: null }] } },
      { ...valid, things: [[{ __typename: 'Person' }]] },
      { ...valid, things: [[{ __typename: 'Secret', name: 'p' }]] },
      { ...valid, things: [null] },
      { ...valid, shelf: { ...valid.shelf, items: [{ __typename: 'Color', id: 'l' }] } },
    ];
    for (const input of broken) {
      expectSame(input, options, programs);
      const shaped = shapeResponse(input, { ...options, programs });
      expect(shaped.errors.length, JSON.stringify(input)).toBe(1);
    }
  });

  it('keeps at most a bounded number of programs however many variable combinations a client sends', () => {
    const programs = createShapingPrograms();
    const query = `query (${'abcdefgh'
      .split('')
      .map((v) => `$${v}: Boolean`)
      .join(', ')}) { shelf { ${'abcdefgh'
      .split('')
      .map((v) => `${v}: name @include(if: $${v})`)
      .join(' ')} } }`;
    const input = { shelf: Object.fromEntries('abcdefgh'.split('').map((v) => [v, v])) };
    const seen = new Set<unknown>();
    for (let bits = 0; bits < 256; bits += 1) {
      const variables = Object.fromEntries('abcdefgh'.split('').map((v, index) => [v, ((bits >> index) & 1) === 1]));
      const options = optionsOf(query, variables);
      expectSame(input, options, programs);
      seen.add(programs.programFor(options));
    }
    // 16 kept, each of the others compiled for its request alone.
    expect(seen.size).toBe(256);
    const kept = optionsOf(query, Object.fromEntries('abcdefgh'.split('').map((v) => [v, false])));
    expect(programs.programFor(kept)).toBe(programs.programFor(kept));
    const dropped = optionsOf(query, Object.fromEntries('abcdefgh'.split('').map((v) => [v, true])));
    expect(programs.programFor(dropped)).not.toBe(programs.programFor(dropped));
  });
});
