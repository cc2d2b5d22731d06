import type { FetchNode } from '@apollo/query-planner';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mergeEntityFetches } from '../../../gateway/execution/mergeEntityFetches.js';

const entityFetch = (operation: string, variableUsages: string[] = []): FetchNode => ({
  kind: 'Fetch',
  serviceName: 'products',
  requires: [],
  operation,
  operationName: parse(operation).definitions.find((definition) => definition.kind === 'OperationDefinition')?.name?.value,
  operationKind: 'query' as FetchNode['operationKind'],
  variableUsages,
});

describe('mergeEntityFetches', () => {
  it("gives each fetch's _entities its own alias and representations variable, and shares the client's variables", () => {
    const merged = mergeEntityFetches([
      entityFetch(
        'query Q__products__1($representations: [_Any!]!, $currency: String) { _entities(representations: $representations) { ... on Product { price(currency: $currency) } } }',
        ['currency'],
      ),
      entityFetch('query Q__products__2($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name } } }'),
    ]);
    expect(merged?.parts).toEqual([
      { alias: '_0', variable: 'representations_0' },
      { alias: '_1', variable: 'representations_1' },
    ]);
    expect(merged?.operationName).toBe('Q__products__1');
    expect(merged?.query).toBe(
      print(
        parse(`query Q__products__1($representations_0: [_Any!]!, $currency: String, $representations_1: [_Any!]!) {
          _0: _entities(representations: $representations_0) { ... on Product { price(currency: $currency) } }
          _1: _entities(representations: $representations_1) { ... on Product { name } }
        }`),
      ),
    );
  });

  it('keeps one copy of a fragment the fetches share and renames one that differs under the same name', () => {
    const merged = mergeEntityFetches([
      entityFetch('query A($representations: [_Any!]!) { _entities(representations: $representations) { ...P } } fragment P on Product { name }'),
      entityFetch('query B($representations: [_Any!]!) { _entities(representations: $representations) { ...P } } fragment P on Product { name }'),
      entityFetch(
        'query C($representations: [_Any!]!) { _entities(representations: $representations) { ...P ...Q } } fragment P on Product { price } fragment Q on Product { upc }',
      ),
    ]);
    const document = parse(merged!.query);
    const fragments = document.definitions.flatMap((definition) => (definition.kind === 'FragmentDefinition' ? [print(definition)] : []));
    expect(fragments).toEqual(['fragment P on Product {\n  name\n}', 'fragment P_2 on Product {\n  price\n}', 'fragment Q_2 on Product {\n  upc\n}']);
    expect(merged!.query).toContain('_2: _entities(representations: $representations_2) {\n    ...P_2\n    ...Q_2\n  }');
  });

  it('refuses to merge when a client variable has the name a representations variable needs', () => {
    const fetches = [
      entityFetch('query A($representations: [_Any!]!, $representations_1: Int) { _entities(representations: $representations) { ... on Product { name } } }', [
        'representations_1',
      ]),
      entityFetch('query B($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name } } }'),
    ];
    expect(mergeEntityFetches(fetches)).toBeNull();
  });
});
