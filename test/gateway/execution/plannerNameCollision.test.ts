import { readFileSync } from 'node:fs';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { type QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { plannerNameCollision } from '../../../gateway/execution/plannerNameCollision.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';

// Apollo's planner over the demo supergraph, as the gateway plans.
const supergraph = Supergraph.build(readFileSync('schema/supergraph.graphql', 'utf8'), { supportedFeatures: null });
const planner = new QueryPlanner(supergraph);

/** The refusal's message, and how often the walk looked up a fragment (its work, counted without a clock). */
function collisionOf(query: string): string | undefined {
  return checked(query).message;
}

function checked(query: string): { message: string | undefined; lookups: number } {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const plan = planner.buildQueryPlan(operationFromDocument(supergraph.apiSchema(), document, {}));
  const fragments = fragmentsOf(document);
  let lookups = 0;
  const counted = {
    get(name: string) {
      lookups += 1;
      return fragments.get(name);
    },
  } as ReadonlyMap<string, FragmentDefinitionNode>;
  // The demo supergraph has no abstract types: a type condition matches its own type only.
  return { message: plannerNameCollision(plan, operation, counted, (condition, typename) => condition === typename)?.message, lookups };
}

describe('plannerNameCollision', () => {
  it('finds an alias that is a field a later fetch reads, there only', () => {
    expect(collisionOf('{ topProducts { shippingEstimate price: weight } }')).toContain('The alias "price" on field "weight"');
    expect(collisionOf('{ topProducts { inStock upc: name } }')).toContain('The alias "upc" on field "name"');
    // No later fetch reads a review's id or body here; nor a product's price without shippingEstimate.
    expect(collisionOf('{ topProducts { reviews { id: body body: id } } }')).toBeUndefined();
    expect(collisionOf('{ topProducts { price: weight weight: price } }')).toBeUndefined();
  });

  it('finds the variable $representations in an entity fetch, not in a root fetch', () => {
    expect(collisionOf('query ($representations: Boolean!) { topProducts { inStock warehouse @include(if: $representations) } }')).toContain(
      '"$representations"',
    );
    expect(collisionOf('query ($representations: Int) { topProducts(first: $representations) { upc } }')).toBeUndefined();
  });

  it('walks each field and fragment once per place, however often they are repeated along a path', () => {
    // Written out, 20 × 6⁴ = 25,920 places, and 6 more spreads at each: a walk that followed
    // every repeat would look fragments up hundreds of thousands of times (at 22 repeats a
    // level, seconds of CPU for a document within every limit, costing 0 with first: 0).
    const repeat = (selection: string) => Array(6).fill(selection).join(' ');
    const fragments = (leaf: string) => `
      fragment P on Product { ${repeat('reviews { ...R1 }')} }
      fragment R1 on Review { ${repeat('product { ...P2 }')} }
      fragment P2 on Product { ${repeat('reviews { ...R2 }')} ${leaf} }
      fragment R2 on Review { ${repeat('author { ...U }')} }
      fragment U on User { username }`;
    const query = `{ ${Array(20).fill('topProducts(first: 0) { ...P }').join(' ')} }`;
    const clean = checked(query + fragments(''));
    expect(clean.message).toBeUndefined();
    expect(clean.lookups).toBeLessThan(500);
    const colliding = checked(query + fragments('shippingEstimate weight: price'));
    expect(colliding.message).toContain('The alias "weight" on field "price"');
    expect(colliding.lookups).toBeLessThan(500);
  });

  it('reads type conditions: an alias under another type than the one a fetch reads collides with nothing', () => {
    // A plan by hand, as Apollo's planner writes one over a union: the search subgraph answers,
    // then people's fields are fetched for the Person results, reading their __typename and id.
    const plan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [
          { kind: 'Fetch', serviceName: 'search', operation: '{}', operationKind: 'query' },
          {
            kind: 'Flatten',
            path: ['search', '@'],
            node: {
              kind: 'Fetch',
              serviceName: 'people',
              operation: '{}',
              operationKind: 'query',
              requires: [
                {
                  kind: 'InlineFragment',
                  typeCondition: 'Person',
                  selections: [
                    { kind: 'Field', name: '__typename' },
                    { kind: 'Field', name: 'id' },
                  ],
                },
              ],
            },
          },
        ],
      },
    } as unknown as QueryPlan;
    // Person, and the interface Node it implements; Movie is neither.
    const matches = (condition: string, typename: unknown) => condition === typename || (condition === 'Node' && typename === 'Person');
    const collision = (query: string) => {
      const document = parse(query);
      return plannerNameCollision(plan, document.definitions[0] as OperationDefinitionNode, fragmentsOf(document), matches)?.message;
    };
    expect(collision('{ search { ... on Movie { id: title } ... on Person { name } } }')).toBeUndefined();
    expect(collision('{ search { ...M ... on Person { name } } } fragment M on Movie { id: title }')).toBeUndefined();
    expect(collision('{ search { ... on Person { id: name } } }')).toContain('The alias "id" on field "name"');
    expect(collision('{ search { ... on Node { id: title } ... on Person { name } } }')).toContain('The alias "id" on field "title"');
    expect(collision('{ search { id: title } }')).toContain('The alias "id" on field "title"');
  });
});
