import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { deprecatedFieldsOf } from '../../gateway/metrics/deprecatedFieldsOf.js';

const schema = buildSchema(`
  type Query { product: Product item: Item search: [Result] old: Int @deprecated(reason: "gone") }
  type Product implements Item { id: ID! name: String oldName: String @deprecated(reason: "use name") price: Int @deprecated }
  interface Item { id: ID! legacy: String @deprecated(reason: "no") }
  type Lamp implements Item { id: ID! legacy: String @deprecated(reason: "no") watts: Int @deprecated(reason: "W") }
  union Result = Product | Lamp
`);

let keys = 0;
function deprecated(query: string, operationName?: string): readonly string[] {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition' && (operationName === undefined || definition.name?.value === operationName),
  )!;
  keys += 1;
  return deprecatedFieldsOf(schema, document, operation, `test-${keys}`);
}

describe('deprecatedFieldsOf', () => {
  it('lists the deprecated fields an operation selects, each once, sorted', () => {
    expect(deprecated('{ old product { name oldName price oldName } }')).toEqual(['Product.oldName', 'Product.price', 'Query.old']);
  });

  it('reads fields through fragments and type conditions, on interfaces and unions', () => {
    const query = `{ item { legacy ...L } search { ... on Product { ...P } ... on Item { legacy } } }
      fragment L on Lamp { watts } fragment P on Product { oldName }`;
    expect(deprecated(query)).toEqual(['Item.legacy', 'Lamp.watts', 'Product.oldName']);
  });

  it('counts a field @skip or @include leaves out: the client still depends on it', () => {
    expect(deprecated('query ($v: Boolean = true) { old @skip(if: $v) product @include(if: false) { price } }')).toEqual(['Product.price', 'Query.old']);
  });

  it("lists the resolved operation's fields only, not those of the document's other operations", () => {
    const query = 'query A { old } query B { product { price } }';
    expect(deprecated(query, 'A')).toEqual(['Query.old']);
    expect(deprecated(query, 'B')).toEqual(['Product.price']);
  });

  it('survives hostile names, fragment cycles and unknown fragments', () => {
    const query = `{ __proto__: old product { constructor: oldName ...__proto__ ...Missing } }
      fragment __proto__ on Product { price ...constructor } fragment constructor on Product { ...__proto__ name }`;
    expect(deprecated(query)).toEqual(['Product.oldName', 'Product.price', 'Query.old']);
  });

  it('answers a known key from its cache', () => {
    const document = parse('{ old }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const first = deprecatedFieldsOf(schema, document, operation, 'same');
    expect(deprecatedFieldsOf(schema, parse('{ product { price } }'), operation, 'same')).toBe(first);
  });
});
