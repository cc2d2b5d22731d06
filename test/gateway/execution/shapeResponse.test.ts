import { buildSchema, Kind, parse, type GraphQLObjectType, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { shapeResponse } from '../../../gateway/execution/shapeResponse.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';

const schema = buildSchema(`
  type Query { shelf: Shelf items: [Item!] item: Item! count: Int }
  type Shelf { name: String! books: [Book] }
  interface Item { id: ID! }
  type Book implements Item { id: ID! title: String! }
  type Lamp implements Item { id: ID! watts: Int }
`);

function shape(query: string, input: Record<string, unknown>, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = fragmentsOf(document);
  const result = shapeResponse(input, {
    schema,
    selections: operation.selectionSet.selections,
    rootType: schema.getQueryType() as GraphQLObjectType,
    typeNames: new Map(),
    fragments,
    variables: new Map(Object.entries(variables)),
    introspect: () => 'introspected',
  });
  return { data: JSON.parse(JSON.stringify(result.data)) as unknown, errors: result.errors.map((error) => ({ message: error.message, path: error.path })) };
}

describe('shapeResponse', () => {
  it('keeps only what was asked, in the order asked, with aliases and __typename', () => {
    const input = { shelf: { __typename: 'Shelf', books: [{ __typename: 'Book', id: '1', title: 'Dune', extra: 1 }], name: 'Sci-fi', key: 'x' } };
    const result = shape('{ shelf { name first: books { title id __typename } } root: __typename }', { shelf: { ...input.shelf, first: input.shelf.books } });
    expect(JSON.stringify(result.data)).toBe('{"shelf":{"name":"Sci-fi","first":[{"title":"Dune","id":"1","__typename":"Book"}]},"root":"Query"}');
    expect(result.errors).toEqual([]);
  });

  it('moves a null up to the nearest nullable field, with one error at the null', () => {
    const result = shape('{ shelf { name books { title } } count }', { shelf: { books: [{ title: 'Dune' }] }, count: 3 });
    expect(result.data).toEqual({ shelf: null, count: 3 });
    expect(result.errors).toEqual([{ message: 'Cannot return null for non-nullable field Shelf.name.', path: ['shelf', 'name'] }]);
  });

  it('nulls a list of non-null items when one item is null, and the whole response for a non-null root field', () => {
    const list = shape('{ items { id } count }', { items: [{ __typename: 'Book', id: '1' }, null], count: 1 });
    expect(list.data).toEqual({ items: null, count: 1 });
    expect(list.errors).toEqual([{ message: 'Cannot return null for non-nullable array element of type Item at index 1.', path: ['items', 1] }]);
    const root = shape('{ item { id } count }', { count: 1 });
    expect(root.data).toBeNull();
    expect(root.errors).toEqual([{ message: 'Cannot return null for non-nullable field Query.item.', path: ['item'] }]);
  });

  it('applies fragments by the runtime type, and skip/include by the variables', () => {
    const query = `query ($lamps: Boolean!) { items { id ...B ... on Lamp @include(if: $lamps) { watts } } } fragment B on Book { title }`;
    const input = {
      items: [
        { __typename: 'Book', id: '1', title: 'Dune' },
        { __typename: 'Lamp', id: '2', watts: 40 },
      ],
    };
    expect(shape(query, input, { lamps: true }).data).toEqual({
      items: [
        { id: '1', title: 'Dune' },
        { id: '2', watts: 40 },
      ],
    });
    expect(shape(query, input, { lamps: false }).data).toEqual({ items: [{ id: '1', title: 'Dune' }, { id: '2' }] });
  });

  it('refuses values that do not fit their type, without naming a type the schema does not show', () => {
    const leaf = shape('{ count }', { count: 'many' });
    expect(leaf).toEqual({ data: { count: null }, errors: [{ message: 'Invalid value found for field Query.count.', path: ['count'] }] });
    // An Int is a number that prints as an integer: 1e21 prints as "1e+21".
    for (const count of [7, -3, 2 ** 53 + 2]) expect(shape('{ count }', { count })).toEqual({ data: { count }, errors: [] });
    for (const count of [1.5, 1e21]) expect(shape('{ count }', { count }).data).toEqual({ count: null });
    const hidden = shape('{ items { id } }', { items: [{ __typename: 'Secret', id: '1' }] });
    expect(hidden.data).toEqual({ items: null });
    expect(hidden.errors).toEqual([{ message: 'Invalid __typename found for object at array element of type Item at index 0.', path: ['items', 0] }]);
  });

  it('keeps aliases named like Object.prototype members as plain fields', () => {
    const input = { shelf: { __typename: 'Shelf', toString: 'a', constructor: 'b', ['__proto__']: 'c', hasOwnProperty: 'd' } };
    const result = shapeResponse(input, {
      schema,
      selections: (parse('{ shelf { toString: name constructor: name __proto__: name hasOwnProperty: name } }').definitions[0] as OperationDefinitionNode)
        .selectionSet.selections,
      typeNames: new Map(),
      rootType: schema.getQueryType() as GraphQLObjectType,
      fragments: new Map(),
      variables: new Map(),
      introspect: () => null,
    });
    expect(JSON.stringify(result.data)).toBe('{"shelf":{"toString":"a","constructor":"b","__proto__":"c","hasOwnProperty":"d"}}');
    expect(Object.getPrototypeOf(result.data!.shelf)).toBe(Object.prototype);
    expect(result.errors).toEqual([]);
  });

  it('answers __schema and __type through the introspection callback', () => {
    expect(shape('{ __schema { queryType { name } } count }', { count: 1 }).data).toEqual({ __schema: 'introspected', count: 1 });
  });
});
