import type { PlanNode } from '@apollo/query-planner';
import { buildASTSchema, Kind, parse, type GraphQLObjectType, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { deferredBlocksOf } from '../../../gateway/execution/deferredBlocksOf.js';
import { deferredShaping } from '../../../gateway/execution/deferredShaping.js';
import { executeDeferred, executeMerged } from '../../../gateway/execution/executeDeferred.js';
import type { PlanRun } from '../../../gateway/execution/executePlan.js';
import { preparePlan } from '../../../gateway/execution/preparePlan.js';
import { schedulePlan } from '../../../gateway/execution/schedulePlan.js';
import { shapeResponse } from '../../../gateway/execution/shapeResponse.js';
import { fragmentsOf } from '../../../gateway/operation/fragmentsOf.js';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import type { DeferredPart } from '../../../gateway/streaming/ResultStream.js';
import type { SubgraphClient, SubgraphRequest, SubgraphResponse } from '../../../gateway/subgraphRequests/createSubgraphClient.js';
import { withDeferDirective } from '../../../gateway/supergraph/withDeferDirective.js';
import { planFor, shopSubgraphs } from './planFor.js';
import type { CancelSignal } from '../../../gateway/resilience/Cancellation.js';

type Representation = { __typename: string; upc?: string; id?: string };
type Answer = (request: SubgraphRequest) => SubgraphResponse | Promise<SubgraphResponse>;

/** Answers every aliased `_entities` of the request with `resolve` applied to its representations. */
function entities(request: SubgraphRequest, resolve: (representation: Representation) => Record<string, unknown>): SubgraphResponse {
  const operation = parse(request.query).definitions[0] as OperationDefinitionNode;
  const data: Record<string, unknown> = {};
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const variable = selection.arguments?.[0]?.value;
    const representations = (variable?.kind === Kind.VARIABLE ? request.variables[variable.name.value] : []) as Representation[];
    data[selection.alias?.value ?? selection.name.value] = representations.map(resolve);
  }
  return { data };
}

const products = [
  { __typename: 'Product', upc: 'p1', name: 'Table' },
  { __typename: 'Product', upc: 'p2', name: 'Couch' },
];

/** The shop's four subgraphs as stand-ins that record what they were asked, in order. */
function shop(overrides: Partial<Record<string, Answer>> = {}) {
  const log: string[] = [];
  const answers: Record<string, Answer> = {
    products: (request) =>
      request.query.includes('topProducts')
        ? { data: { topProducts: structuredClone(products) } }
        : entities(request, (r) => ({ __typename: 'Product', name: `Name ${r.upc}` })),
    inventory: (request) => entities(request, (r) => ({ __typename: 'Product', inStock: r.upc === 'p1' })),
    reviews: (request) =>
      entities(request, (r) => ({ __typename: 'Product', reviews: [{ body: `Review of ${r.upc}`, author: { __typename: 'User', id: 'u1' } }] })),
    accounts: (request) => entities(request, () => ({ __typename: 'User', name: 'Ada' })),
    ...overrides,
  };
  const clients = new Map<string, SubgraphClient>(
    Object.entries(answers).map(([name, answer]) => [
      name,
      {
        name,
        send: async (request: SubgraphRequest) => {
          log.push(name);
          return answer(request);
        },
        close: async () => {},
      },
    ]),
  );
  return { log, clientOf: (name: string) => clients.get(name) };
}

/** Plans `query` with @defer enabled and builds what running and shaping it needs. */
/**
 * The shop with a reviews subgraph that never answers: each request waits until its caller's
 * signal aborts, and the last signal it was given is kept for the test to look at.
 */
function withHangingReviews() {
  let seen: CancelSignal | undefined;
  const subgraphs = shop();
  const clientOf = (name: string): SubgraphClient | undefined =>
    name === 'reviews'
      ? {
          name,
          send: (_request, caller) =>
            new Promise<SubgraphResponse>((_, reject) => {
              seen = caller.context.signal;
              caller.context.signal.addEventListener('abort', () => reject(new Error('aborted')));
            }),
          close: async () => {},
        }
      : subgraphs.clientOf(name);
  return { subgraphs, clientOf, seenSignal: () => seen };
}

function setUp(query: string, clientOf: (name: string) => SubgraphClient | undefined, variables: Record<string, unknown> = {}) {
  const { plan, supergraph } = planFor(shopSubgraphs, query, { defer: true });
  const schema = withDeferDirective(supergraph.apiSchema().toGraphQLJSSchema());
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const prepared = preparePlan(plan, (type, condition) => type === condition);
  const controller = new AbortController();
  const context = { requestId: 'r', signal: controller.signal, deadlineAt: Date.now() + 10_000, clientAddress: '', viewer: null } as GatewayContext;
  const run: PlanRun = {
    plan: prepared,
    variables,
    conditionValues: new Map(Object.entries(variables)),
    caller: { context, clientHeaders: new Map() },
    clientOf,
    matches: (type, condition) => type === condition,
  };
  const shaping = {
    schema,
    selections: operation.selectionSet.selections,
    rootType: schema.getQueryType() as GraphQLObjectType,
    fragments: fragmentsOf(document),
    variables: new Map(Object.entries(variables)),
    introspect: () => null,
    typeNames: new Map<string, string>(),
  };
  return { plan, prepared, run, shaping, controller };
}

async function all(parts: AsyncIterableIterator<DeferredPart>): Promise<DeferredPart[]> {
  const seen: DeferredPart[] = [];
  for await (const part of parts) seen.push(part);
  return seen;
}

describe('Defer plans', () => {
  it('schedules only the primary part; the deferred parts are their own plans, nested ones inside their parent', () => {
    const { plan } = planFor(shopSubgraphs, '{ topProducts { name ... @defer { inStock ... @defer { reviews { body } } } } }', { defer: true });
    const node = plan.node as PlanNode;
    expect(node.kind).toBe('Defer');
    expect(schedulePlan(node, () => true).map((wave) => wave.map((fetch) => fetch.fetch.serviceName))).toEqual([['products']]);
    const [outer] = deferredBlocksOf(node, () => true);
    expect(outer!.queryPath).toEqual(['topProducts']);
    expect(outer!.node?.kind).toBe('Defer');
    expect(schedulePlan(outer!.node!, () => true).map((wave) => wave.map((fetch) => fetch.fetch.serviceName))).toEqual([['inventory']]);
    expect(deferredBlocksOf(outer!.node, () => true).map((block) => block.subselection)).toEqual(['{ reviews { body } }']);
  });

  it('follows @defer(if: $v): the deferred plan when true, the plain one when false', () => {
    const { plan } = planFor(shopSubgraphs, 'query($v: Boolean!) { topProducts { name ... @defer(if: $v) { inStock } } }', { defer: true });
    expect(deferredBlocksOf(plan.node as PlanNode, () => true)).toHaveLength(1);
    expect(deferredBlocksOf(plan.node as PlanNode, () => false)).toHaveLength(0);
  });

  it('answers the first payload without the deferred fields, then each part at its place, the last with hasNext: false', async () => {
    const query = '{ topProducts { name ... @defer(label: "more") { inStock reviews { body author { name } } } } }';
    const subgraphs = shop();
    const { run, shaping } = setUp(query, subgraphs.clientOf);
    const execution = executeDeferred(run, deferredShaping(shaping));
    const initial = await execution.initial;
    expect(initial).toEqual({ data: { topProducts: [{ name: 'Table' }, { name: 'Couch' }] }, errors: [], valueCompletion: [] });
    const parts = await all(execution.parts);
    expect(parts).toEqual([
      {
        hasNext: false,
        incremental: [
          { data: { inStock: true, reviews: [{ body: 'Review of p1', author: { name: 'Ada' } }] }, path: ['topProducts', 0], label: 'more' },
          { data: { inStock: false, reviews: [{ body: 'Review of p2', author: { name: 'Ada' } }] }, path: ['topProducts', 1], label: 'more' },
        ],
      },
    ]);
  });

  it('starts a deferred part once the fetch it depends on is done, not after the whole primary part', async () => {
    // The primary part waits on inventory; the deferred reviews depend only on the products fetch.
    let releaseInventory!: () => void;
    const inventoryHeld = new Promise<void>((resolve) => (releaseInventory = resolve));
    const subgraphs = shop({
      inventory: async (request) => {
        await inventoryHeld;
        return entities(request, () => ({ __typename: 'Product', inStock: true }));
      },
      reviews: (request) => {
        releaseInventory();
        return entities(request, () => ({ __typename: 'Product', reviews: [] }));
      },
    });
    const { run, shaping } = setUp('{ topProducts { name inStock ... @defer { reviews { body } } } }', subgraphs.clientOf);
    const execution = executeDeferred(run, deferredShaping(shaping));
    // Without the early start the inventory fetch would never be released.
    expect((await execution.initial).data).toEqual({
      topProducts: [
        { name: 'Table', inStock: true },
        { name: 'Couch', inStock: true },
      ],
    });
    expect(await all(execution.parts)).toHaveLength(1);
  });

  it('gives a part whose fetch fails its errors at its own path; the first payload has none', async () => {
    const subgraphs = shop({ reviews: () => ({ data: { _entities: null }, errors: [{ message: 'reviews are down', path: ['_entities'] }] }) });
    const { run, shaping } = setUp('{ topProducts { name ... @defer { reviews { body } } } }', subgraphs.clientOf);
    const execution = executeDeferred(run, deferredShaping(shaping));
    expect((await execution.initial).errors).toEqual([]);
    const [part] = await all(execution.parts);
    const items = part!.incremental!;
    expect(items.map((item) => [item.path, item.data])).toEqual([
      [['topProducts', 0], { reviews: null }],
      [['topProducts', 1], { reviews: null }],
    ]);
    // As Apollo Gateway words them: the subgraph's error at the fetch's path, and the missing list.
    expect(items[0]!.errors!.map((error) => error.message)).toEqual(['reviews are down', 'Expected "data._entities" in response to be an array']);
    expect(items[0]!.errors![0]!.path).toEqual(['topProducts', '@', '_entities']);
    expect(items[1]!.errors).toBeUndefined();
  });

  it('stops at return(): no part runs after it, and what was in flight is aborted', async () => {
    const { subgraphs, clientOf, seenSignal } = withHangingReviews();
    const { run, shaping } = setUp('{ topProducts { name ... @defer { reviews { body author { name } } } } }', clientOf);
    const execution = executeDeferred(run, deferredShaping(shaping));
    await execution.initial;
    await vi_waitFor(() => seenSignal() !== undefined);
    await execution.parts.return?.();
    expect(seenSignal()!.aborted).toBe(true);
    expect((await execution.parts.next()).done).toBe(true);
    // The accounts fetch after the reviews one never started.
    expect(subgraphs.log).not.toContain('accounts');
  });

  it("aborts a deferred part's fetches, with the request's reason, when the client's request is aborted", async () => {
    const { clientOf, seenSignal } = withHangingReviews();
    const { run, shaping, controller } = setUp('{ topProducts { name ... @defer { reviews { body author { name } } } } }', clientOf);
    const execution = executeDeferred(run, deferredShaping(shaping));
    await execution.initial;
    await vi_waitFor(() => seenSignal() !== undefined);
    expect(seenSignal()!.aborted).toBe(false);
    const gone = new Error('the client went away');
    controller.abort(gone);
    expect(seenSignal()!.aborted).toBe(true);
    expect(seenSignal()!.reason).toBe(gone);
  });

  it('merged for a client that takes one answer: the same data as the plan without @defer', async () => {
    const query = '{ topProducts { name ... @defer { inStock ... @defer { reviews { body author { name } } } } } }';
    const { run, shaping } = setUp(query, shop().clientOf);
    const merged = await executeMerged(run);
    const plain = setUp(query.replace(/@defer/g, ''), shop().clientOf);
    const { executePlan } = await import('../../../gateway/execution/executePlan.js');
    const unDeferred = await executePlan(plain.run);
    expect(JSON.stringify(shapeResponse(merged.data, shaping).data)).toBe(JSON.stringify(shapeResponse(unDeferred.data, plain.shaping).data));
  });
});

async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 5));
}

// The schema helper must stay usable on its own: it is what Apollo Server validates @defer against.
describe('withDeferDirective', () => {
  it('adds @defer once per schema object, and leaves a schema that has it alone', () => {
    const schema = buildASTSchema(parse('type Query { a: Int }'));
    const withDefer = withDeferDirective(schema);
    expect(withDefer.getDirective('defer')?.args.map((arg) => arg.name)).toEqual(['if', 'label']);
    expect(withDeferDirective(schema)).toBe(withDefer);
    expect(withDeferDirective(withDefer)).toBe(withDefer);
  });
});
