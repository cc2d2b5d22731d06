import type { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createPipeline } from '../../../gateway/pipeline/createPipeline.js';
import { createPipelineGateway } from '../../../gateway/pipeline/createPipelineGateway.js';
import type { Feature, OperationExecutor } from '../../../gateway/pipeline/Feature.js';
import type { SupergraphSnapshot } from '../../../gateway/supergraph/SupergraphSnapshot.js';
import { withDeferDirective } from '../../../gateway/supergraph/withDeferDirective.js';
import { exchangeOf } from './fixtures/exchangeOf.js';

/** A feature with every hook, each writing `<name>.<hook>` to `trace` when it runs. */
function traced(name: string, trace: string[]): Feature {
  return {
    name,
    arrive: async () => void trace.push(`${name}.arrive`),
    async handle(_exchange, next) {
      trace.push(`${name}.handle`);
      try {
        return await next();
      } finally {
        trace.push(`${name}.done`);
      }
    },
    plugin: {
      async requestDidStart() {
        trace.push(`${name}.plugin`);
      },
    },
    execute:
      (next): OperationExecutor =>
      async (request, snapshot) => {
        trace.push(`${name}.execute`);
        return next(request, snapshot);
      },
    finish: () => void trace.push(`${name}.finish`),
    close: () => void trace.push(`${name}.close`),
  };
}

describe('createPipeline', () => {
  it("runs every layer of hooks in the features' order, each step holding what it holds until the answer", async () => {
    const trace: string[] = [];
    const pipeline = createPipeline([traced('a', trace), { name: 'off' }, traced('b', trace)]);
    await pipeline.arrive(exchangeOf().req, exchangeOf().res);
    const outcome = await pipeline.handle(exchangeOf(), async () => {
      trace.push('apollo');
      return { status: 200 };
    });
    expect(outcome).toEqual({ status: 200 });
    await pipeline.execute(async () => {
      trace.push('executor');
      return {};
    })({} as Parameters<OperationExecutor>[0], {} as SupergraphSnapshot);
    pipeline.finish({ status: 200, requestId: 'r', method: 'POST', path: '/graphql', durationMs: 1 });
    await pipeline.close();
    expect(trace).toEqual([
      'a.arrive',
      'b.arrive',
      'a.handle',
      'b.handle',
      'apollo',
      'b.done',
      'a.done',
      'a.execute',
      'b.execute',
      'executor',
      'a.finish',
      'b.finish',
      'a.close',
      'b.close',
    ]);
  });

  it('lists the plugins in order, after the one that records errors', async () => {
    const trace: string[] = [];
    const { plugins } = createPipeline([traced('a', trace), traced('b', trace)]);
    expect(plugins).toHaveLength(3);
    for (const plugin of plugins.slice(1)) await plugin.requestDidStart?.({} as never);
    expect(trace).toEqual(['a.plugin', 'b.plugin']);
  });

  it('lets a step answer the request itself: later steps and Apollo Server do not run', async () => {
    const trace: string[] = [];
    const takeover: Feature = { name: 'takeover', handle: async () => ({ status: 101 }) };
    const pipeline = createPipeline([takeover, traced('later', trace)]);
    expect(await pipeline.handle(exchangeOf(), async () => ({ status: 200 }))).toEqual({ status: 101 });
    expect(trace).toEqual([]);
  });

  it('stops at a refusal: later steps do not run, earlier ones let go', async () => {
    const trace: string[] = [];
    const refusing: Feature = {
      name: 'refusing',
      handle: async () => {
        throw new Error('refused');
      },
    };
    const pipeline = createPipeline([traced('a', trace), refusing, traced('b', trace)]);
    await expect(pipeline.handle(exchangeOf(), async () => ({ status: 200 }))).rejects.toThrow('refused');
    expect(trace).toEqual(['a.handle', 'a.done']);
  });

  it("records the errors Apollo Server reports for a request, a batch's operations' too, and only that request's", async () => {
    const pipeline = createPipeline([]);
    const apollo = new ApolloServer({
      typeDefs: 'type Query { a: Int, b: Int }',
      resolvers: {
        Query: {
          a: () => 1,
          b: () => {
            throw new Error('b broke');
          },
        },
      },
      plugins: pipeline.plugins,
      allowBatchedHttpRequests: true,
    });
    await apollo.start();
    const run = async (body: unknown) => {
      let errors: readonly unknown[] = [];
      await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body },
        context: async () => {
          const context = { requestId: 'r', signal: new AbortController().signal } as never;
          errors = pipeline.recordErrors(context);
          return context;
        },
      });
      return errors.map((error) => (error as Error).message);
    };
    try {
      expect(await run({ query: '{ a b }' })).toEqual(['b broke']);
      expect((await run([{ query: '{ a }' }, { query: '{ nope }' }, { query: '{ b }' }])).sort()).toEqual([
        'Cannot query field "nope" on type "Query".',
        'b broke',
      ]);
      expect(await run({ query: '{ a }' })).toEqual([]);
    } finally {
      await apollo.stop();
    }
  });
});

describe('createPipelineGateway', () => {
  it("hands Apollo Server the pipeline's executor in place of Apollo Gateway's, and passes the rest through", async () => {
    const listeners: unknown[] = [];
    let stopped = false;
    const apiSchema = buildSchema('type Query { a: Int }');
    const inner = {
      load: async () => ({ schema: apiSchema, executor: async () => ({ data: { from: 'apollo gateway' } }) }),
      onSchemaLoadOrUpdate(listener: unknown) {
        listeners.push(listener);
        return () => undefined;
      },
      stop: async () => {
        stopped = true;
      },
    } as unknown as ApolloGateway;
    const served = { apiSchema: 'the snapshot' } as unknown as SupergraphSnapshot;
    const seen: SupergraphSnapshot[] = [];
    const ours: OperationExecutor = async (_request, snapshot) => {
      seen.push(snapshot);
      return { data: { from: 'the pipeline' } };
    };
    const validatedAgainst = { name: 'the schema the request was validated against' };
    const gateway = createPipelineGateway(inner, ours, (schema) => (schema === (validatedAgainst as unknown) ? served : ({} as SupergraphSnapshot)));
    const loaded = await gateway.load({} as Parameters<ApolloGateway['load']>[0]);
    // Apollo Gateway's API schema, with @defer (the same copy however often it is asked for).
    expect(loaded.schema).toBe(withDeferDirective(apiSchema));
    expect(loaded.schema.getDirective('defer')).toBeDefined();
    // Apollo Server's executor is the pipeline's, given the snapshot of the schema the request was validated against.
    expect(await loaded.executor({ schema: validatedAgainst } as unknown as Parameters<OperationExecutor>[0])).toEqual({ data: { from: 'the pipeline' } });
    expect(seen).toEqual([served]);
    const updates: unknown[] = [];
    gateway.onSchemaLoadOrUpdate((update) => updates.push(update.apiSchema));
    expect(listeners).toHaveLength(1);
    (listeners[0] as (update: { apiSchema: unknown; coreSupergraphSdl: string }) => void)({ apiSchema, coreSupergraphSdl: '' });
    expect(updates).toEqual([withDeferDirective(apiSchema)]);
    await gateway.stop();
    expect(stopped).toBe(true);
  });
});
