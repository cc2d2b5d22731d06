import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../gateway/execution/executePlan.js';
import { preparePlan } from '../../../gateway/execution/preparePlan.js';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import type { SubgraphClient, SubgraphRequest, SubgraphResponse } from '../../../gateway/subgraphRequests/createSubgraphClient.js';
import { planFor, shopSubgraphs } from './planFor.js';

type Representation = { __typename: string; id?: string; upc?: string };

/** A stand-in subgraph that answers root fields and `_entities` from fixed data, and records what it was sent. */
function recordingSubgraph(name: string, answer: (request: SubgraphRequest) => SubgraphResponse) {
  const sent: SubgraphRequest[] = [];
  const client: SubgraphClient = {
    name,
    send: async (request) => {
      sent.push(request);
      return answer(request);
    },
    close: async () => {},
  };
  return { client, sent };
}

/** Answers every aliased `_entities` of the request with `resolve` applied to its representations. */
function entities(request: SubgraphRequest, resolve: (representation: Representation) => Record<string, unknown>): SubgraphResponse {
  const operation = parse(request.query).definitions[0]!;
  if (operation.kind !== 'OperationDefinition') throw new Error('no operation');
  const data: Record<string, unknown> = {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== 'Field') continue;
    const variable = selection.arguments?.[0]?.value;
    const representations = (variable?.kind === 'Variable' ? request.variables[variable.name.value] : []) as Representation[];
    data[selection.alias?.value ?? selection.name.value] = representations.map(resolve);
  }
  return { data };
}

describe('executePlan', () => {
  it('sends fetches of one wave that ask the same at different paths as one _entities call, each entity once', async () => {
    const query = '{ users { reviews { product { name } } } topProducts { reviews { product { name } } } }';
    const { plan } = planFor(shopSubgraphs, query);
    const accounts = recordingSubgraph('accounts', () => ({
      data: {
        users: [
          { __typename: 'User', id: 'u1' },
          { __typename: 'User', id: 'u2' },
        ],
      },
    }));
    const products = recordingSubgraph('products', (request) =>
      request.query.includes('topProducts')
        ? { data: { topProducts: [{ __typename: 'Product', upc: 'p1' }] } }
        : entities(request, (representation) => ({ __typename: 'Product', name: `Name of ${representation.upc}` })),
    );
    // Every user and product has reviews of the same two products.
    const reviews = recordingSubgraph('reviews', (request) =>
      entities(request, (representation) => ({
        __typename: representation.__typename,
        reviews: [{ product: { __typename: 'Product', upc: 'p1' } }, { product: { __typename: 'Product', upc: 'p2' } }],
      })),
    );
    const clients = new Map([accounts, products, reviews].map(({ client }) => [client.name, client]));
    const context = {
      requestId: 'r1',
      signal: new AbortController().signal,
      deadlineAt: Date.now() + 5000,
      clientAddress: '127.0.0.1',
      viewer: null,
    } satisfies GatewayContext;
    // The shop has no interfaces or unions: a type condition matches its own type only.
    const matches = (condition: string, typename: unknown) => condition === typename;
    const { data, errors } = await executePlan({
      plan: preparePlan(plan, matches),
      variables: {},
      conditionValues: new Map(),
      caller: { context, clientHeaders: new Map() },
      clientOf: (name) => clients.get(name),
      matches,
    });

    expect(errors).toEqual([]);
    const names = {
      reviews: [{ product: { __typename: 'Product', upc: 'p1', name: 'Name of p1' } }, { product: { __typename: 'Product', upc: 'p2', name: 'Name of p2' } }],
    };
    expect(data).toMatchObject({ users: [names, names], topProducts: [names] });
    // One request for the product names of both paths: one _entities, with p1 and p2 once each.
    const nameRequests = products.sent.filter((request) => !request.query.includes('topProducts'));
    expect(nameRequests).toHaveLength(1);
    expect(parse(nameRequests[0]!.query).definitions[0]).toMatchObject({ selectionSet: { selections: [{ alias: { value: '_0' } }] } });
    expect(nameRequests[0]!.variables).toEqual({
      representations_0: [
        { __typename: 'Product', upc: 'p1' },
        { __typename: 'Product', upc: 'p2' },
      ],
    });
    // The two reviews fetches (users and topProducts) went out together too.
    expect(reviews.sent).toHaveLength(1);
  });

  it('sends a client variable named __proto__ on to the subgraph as an own key', async () => {
    const query =
      'query ($__proto__: Int, $constructor: Int) { topProducts(first: $__proto__) { reviews { product { name } } } users { reviews { product { name } } } t2: topProducts(first: $constructor) { upc } }';
    const { plan } = planFor(shopSubgraphs, query);
    const accounts = recordingSubgraph('accounts', () => ({ data: { users: [{ __typename: 'User', id: 'u1' }] } }));
    const products = recordingSubgraph('products', (request) =>
      request.query.includes('topProducts')
        ? { data: { topProducts: [{ __typename: 'Product', upc: 'p1' }], t2: [{ upc: 'p1' }] } }
        : entities(request, (representation) => ({ __typename: 'Product', name: `Name of ${representation.upc}` })),
    );
    const reviews = recordingSubgraph('reviews', (request) =>
      entities(request, (representation) => ({ __typename: representation.__typename, reviews: [{ product: { __typename: 'Product', upc: 'p2' } }] })),
    );
    const clients = new Map([accounts, products, reviews].map(({ client }) => [client.name, client]));
    const context = {
      requestId: 'r2',
      signal: new AbortController().signal,
      deadlineAt: Date.now() + 5000,
      clientAddress: '127.0.0.1',
      viewer: null,
    } satisfies GatewayContext;
    const matches = (condition: string, typename: unknown) => condition === typename;
    const variables = JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, unknown>;
    const { errors } = await executePlan({
      plan: preparePlan(plan, matches),
      variables,
      conditionValues: new Map(),
      caller: { context, clientHeaders: new Map() },
      clientOf: (name) => clients.get(name),
      matches,
    });
    expect(errors).toEqual([]);
    const root = products.sent.find((request) => request.query.includes('topProducts'))!;
    expect(JSON.stringify(root.variables)).toBe('{"__proto__":1,"constructor":2}');
    expect(Object.getPrototypeOf(root.variables)).toBe(Object.prototype);
  });
});
