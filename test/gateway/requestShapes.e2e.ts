import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import type { FinishedRequest } from '../../gateway/pipeline/Feature.js';
import { httpLayerOptions } from './fixtures/httpLayerOptions.js';

// What the HTTP layer makes for every request (the context Apollo Server runs it with, the
// record the `finish` hooks get) has one hidden class, whatever the request: an object that got
// a hidden class of its own (a prototype made per request, a getter in an object literal, fields
// present or not, on Node 20 a spread followed by fields) is kept alive by V8's young-generation
// collector with all it reaches, so that every request's objects were promoted to the old
// generation (docs/performance.md, step 37).
setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const contexts: GatewayContext[] = [];
const finished: FinishedRequest[] = [];
const capture: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    contexts.push(contextValue);
  },
};
const options = httpLayerOptions(
  { apollo: new ApolloServer<GatewayContext>({ typeDefs: 'type Query { a: Int }', plugins: [capture] }) as never },
  { finish: (request) => void finished.push(request) },
);
const server = http.createServer(createRequestHandler(options));
let url: string;

beforeAll(async () => {
  await options.apollo.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await options.apollo.stop();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((response) => response.text());

describe('the shapes of what each request makes', () => {
  it('gives every request context, answered as JSON or as multipart, one hidden class', async () => {
    contexts.length = 0;
    await post(JSON.stringify({ query: '{ a }' }));
    await post(JSON.stringify({ query: '{ a }' }), { accept: 'multipart/mixed;deferSpec=20220824,application/json' });
    await post(JSON.stringify({ query: '{ a }' }));
    expect(contexts).toHaveLength(3);
    expect(haveSameMap(contexts[0]!, contexts[1]!)).toBe(true);
    expect(haveSameMap(contexts[0]!, contexts[2]!)).toBe(true);
  });

  it('gives every finished request one hidden class, answered, refused with errors, or refused before Apollo Server ran', async () => {
    finished.length = 0;
    await post(JSON.stringify({ query: '{ a }' }));
    await post(JSON.stringify({ query: '{ nope }' }), { accept: 'application/graphql-response+json' });
    await post('{"query":');
    await post(JSON.stringify({ query: '{ a }' }));
    expect(finished.map((request) => request.status)).toEqual([200, 400, 400, 200]);
    for (const request of finished.slice(1)) expect(haveSameMap(finished[0]!, request)).toBe(true);
  });
});
