import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { buildSchema, printSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../../gateway/GatewayContext.js';
import { createFastPath } from '../../../gateway/http/fastPath/createFastPath.js';

// The shapes of plugin Apollo Server accepts must not make the fast path answer 500: Apollo
// Server's own usage-reporting plugin (installed by itself when APOLLO_KEY and APOLLO_GRAPH_REF
// are set) returns an execution listener with `willResolveField`, which Apollo Server never calls
// with a gateway executor; a plugin hook the fast path does not know turns it off at start.

const schema = buildSchema('type Query { a: Int }');

/** An Apollo Server in front of a gateway whose executor answers `{ a: 1 }`, as Portico's is wired. */
async function startApollo(plugins: ApolloServerPlugin<GatewayContext>[], logged: string[] = []): Promise<ApolloServer<GatewayContext>> {
  const server = new ApolloServer<GatewayContext>({
    gateway: {
      async load() {
        return { executor: async () => ({ data: { a: 1 } }) };
      },
      onSchemaLoadOrUpdate(callback) {
        callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
        return () => {};
      },
      async stop() {},
    },
    logger: {
      debug: () => {},
      info: () => {},
      warn: (message: unknown) => void logged.push(String(message)),
      error: (message: unknown) => void logged.push(String(message)),
    },
    plugins,
  });
  await server.start();
  started.push(server);
  return server;
}

const started: ApolloServer<GatewayContext>[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.stop();
});

function post(query: string): HTTPGraphQLRequest {
  return { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } };
}

const context = async () => ({}) as GatewayContext;

function bodyOf(response: HTTPGraphQLResponse): string {
  if (response.body.kind !== 'complete') throw new Error('expected a complete body');
  return response.body.string;
}

describe('the fast path meets plugins of every shape', () => {
  it("runs a request whose execution listener has willResolveField, answering as Apollo Server's path does", async () => {
    const calls: string[] = [];
    const apollo = await startApollo([
      {
        async requestDidStart() {
          return {
            async executionDidStart() {
              return {
                willResolveField() {
                  calls.push('willResolveField');
                },
                async executionDidEnd() {
                  calls.push('executionDidEnd');
                },
              };
            },
          };
        },
      },
    ]);
    const viaApollo = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: post('{ a }'), context });
    const taken: boolean[] = [];
    const fastPath = createFastPath(apollo, (took) => void taken.push(took));
    const viaFastPath = await fastPath(post('{ a }'), context, () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: post('{ a }'), context }));
    expect(taken).toEqual([true]);
    expect(viaFastPath.status ?? 200).toBe(200);
    expect(bodyOf(viaFastPath)).toBe(bodyOf(viaApollo));
    expect(bodyOf(viaFastPath)).toBe('{"data":{"a":1}}\n');
    // Neither path calls willResolveField with a gateway executor.
    expect(calls).toEqual(['executionDidEnd', 'executionDidEnd']);
  });

  it('ignores a request listener property that is no hook, as Apollo Server does', async () => {
    const apollo = await startApollo([{ requestDidStart: async () => ({ notAHook: 1 }) as never }]);
    await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: post('{ a }'), context });
    const fastPath = createFastPath(apollo);
    const answer = await fastPath(post('{ a }'), context, () => Promise.reject(new Error('declined')));
    expect(answer.status ?? 200).toBe(200);
    expect(bodyOf(answer)).toBe('{"data":{"a":1}}\n');
  });

  it('turns itself off at start, with one log line, for a plugin hook it does not know', async () => {
    const logged: string[] = [];
    const apollo = await startApollo([{ somethingNew: () => undefined } as ApolloServerPlugin<GatewayContext>], logged);
    await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: post('{ a }'), context });
    const taken: boolean[] = [];
    const fastPath = createFastPath(apollo, (took) => void taken.push(took));
    expect(logged.filter((line) => line.includes('fast path is off'))).toHaveLength(1);
    const answer = await fastPath(post('{ a }'), context, () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: post('{ a }'), context }));
    expect(taken).toEqual([false]);
    expect(bodyOf(answer)).toBe('{"data":{"a":1}}\n');
  });
});
