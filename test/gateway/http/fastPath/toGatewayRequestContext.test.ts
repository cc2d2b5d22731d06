import { HeaderMap } from '@apollo/server';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../../../gateway/GatewayContext.js';
import type { ApolloView } from '../../../../gateway/http/fastPath/readApolloInternals.js';
import { toGatewayRequestContext } from '../../../../gateway/http/fastPath/toGatewayRequestContext.js';

const apollo = { logger: console, cache: {}, internals: { includeStacktraceInErrorResponses: false } } as unknown as ApolloView;

function requestContext() {
  const document = parse('{ a }');
  return {
    request: { query: '{ a }', http: { method: 'POST', search: '', headers: new HeaderMap([['x-a', '1']]), body: {} } },
    response: { http: { status: undefined as number | undefined, headers: new HeaderMap() } },
    contextValue: {} as GatewayContext,
    schema: undefined,
    document,
    operation: document.definitions[0],
    metrics: {},
  } as unknown as Parameters<typeof toGatewayRequestContext>[0];
}

describe('toGatewayRequestContext', () => {
  it("reads and writes the response's status and headers through to Apollo Server's", () => {
    const apolloSide = requestContext();
    const gatewaySide = toGatewayRequestContext(apolloSide, apollo);
    gatewaySide.response.http.status = 503;
    gatewaySide.response.http.headers.set('x-b', '2');
    expect(apolloSide.response.http.status).toBe(503);
    expect(apolloSide.response.http.headers.get('x-b')).toBe('2');
    apolloSide.response.http.status = 200;
    expect(gatewaySide.response.http.status).toBe(200);
    expect(gatewaySide.request.http?.headers.get('x-a')).toBe('1');
  });

  it('makes no accessor of its own per request: every response head has the same prototype and own data fields only', () => {
    const first = toGatewayRequestContext(requestContext(), apollo).response.http;
    const second = toGatewayRequestContext(requestContext(), apollo).response.http;
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
    for (const head of [first, second]) {
      for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(head))) expect(descriptor.get ?? descriptor.set).toBeUndefined();
    }
  });
});
