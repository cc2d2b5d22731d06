import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifySubgraphFailure,
  InvalidSubgraphAnswer,
  SubgraphAnswerTooLarge,
  SubgraphHttpError,
} from '../../../gateway/resilience/classifySubgraphFailure.js';

// Every error here is the real one undici (or Node) throws, caught from a real request.
let http: Server;
let raw: TcpServer;
let httpOrigin: string;
let rawOrigin: string;
let closedOrigin: string;
let rawMode: 'garbage' | 'reset' | 'silent' = 'garbage';

beforeAll(async () => {
  http = createServer((_req, res) => res.end('{}'));
  raw = createTcpServer((socket) => {
    socket.once('data', () => {
      if (rawMode === 'garbage') socket.end('NOT HTTP AT ALL\r\n\r\n');
      else if (rawMode === 'reset') socket.resetAndDestroy();
    });
    socket.on('error', () => {});
  });
  const closed = createTcpServer();
  await Promise.all([listen(http), listen(raw), listen(closed)]);
  httpOrigin = originOf(http);
  rawOrigin = originOf(raw);
  closedOrigin = originOf(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  http.closeAllConnections();
  await Promise.all([new Promise((resolve) => http.close(resolve)), new Promise((resolve) => raw.close(resolve))]);
});

/** The error one real request fails with. */
async function failureOf(origin: string, headers: Record<string, string> = {}, options: ConstructorParameters<typeof Pool>[1] = {}): Promise<unknown> {
  const pool = new Pool(origin, options);
  try {
    const response = await pool.request({ method: 'POST', path: '/graphql', headers, body: '{}' });
    await response.body.text();
  } catch (error) {
    return error;
  } finally {
    await pool.destroy();
  }
  throw new Error('the request succeeded');
}

const classify = (error: unknown) => classifySubgraphFailure(error, 'products', 1000);

describe('classifySubgraphFailure: what counts against a subgraph', () => {
  it("a header value undici refuses (non-Latin-1 or a newline) is the gateway's failure: it never touches the breaker", async () => {
    for (const value of ['Zoë 💥', 'a\nb', 'ü\r\nx-injected: 1']) {
      const error = await failureOf(httpOrigin, { 'x-portico-subject': value });
      expect((error as { code?: string }).code).toBe('UND_ERR_INVALID_ARG');
      const failure = classify(error);
      expect(failure.health).toBe('unknown');
      expect(failure.retryable).toBe(false);
      expect(failure.error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'products' });
    }
  });

  it('a pool the gateway closed (a supergraph reload) does not count either', async () => {
    const pool = new Pool(httpOrigin);
    await pool.close();
    const error = await pool.request({ method: 'GET', path: '/' }).catch((caught: unknown) => caught);
    expect(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']).toContain((error as { code?: string }).code);
    expect(classify(error).health).toBe('unknown');
  });

  it('nor a TypeError or anything else thrown before the request left', () => {
    expect(classify(new TypeError('Do not know how to serialize a BigInt')).health).toBe('unknown');
    expect(classify('a string').health).toBe('unknown');
    expect(classify(undefined).health).toBe('unknown');
  });

  it('a refused connection counts, and may be retried', async () => {
    const error = await failureOf(closedOrigin);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(classify(error)).toMatchObject({ health: 'unhealthy', retryable: true });
    expect(classify(error).error.extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
  });

  it('a connection the subgraph reset counts', async () => {
    rawMode = 'reset';
    const error = await failureOf(rawOrigin);
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain((error as { code?: string }).code);
    expect(classify(error).health).toBe('unhealthy');
  });

  it('an answer that is not HTTP counts', async () => {
    rawMode = 'garbage';
    const error = await failureOf(rawOrigin);
    expect((error as Error).name).toBe('HTTPParserError');
    expect(classify(error)).toMatchObject({ health: 'unhealthy', retryable: false });
  });

  it('a subgraph that sends no headers in time counts as timed out', async () => {
    rawMode = 'silent';
    const error = await failureOf(rawOrigin, {}, { headersTimeout: 50 });
    expect((error as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(classify(error).health).toBe('unhealthy');
    expect(classify(error).error.extensions.code).toBe('SUBGRAPH_TIMEOUT');
  });

  it("the attempt's own timeout counts; the client going away does not", () => {
    expect(classify(new DOMException('timed out', 'TimeoutError')).health).toBe('unhealthy');
    expect(classify(new DOMException('gone', 'AbortError')).health).toBe('unknown');
  });

  it("a timeout the request's own deadline cut short does not count: the subgraph did not have its whole time", () => {
    const timedOut = new DOMException('timed out', 'TimeoutError');
    expect(classifySubgraphFailure(timedOut, 'products', 5, 1000)).toMatchObject({ health: 'unknown', retryable: false });
    expect(classifySubgraphFailure(timedOut, 'products', 5, 1000).error.extensions.code).toBe('SUBGRAPH_TIMEOUT');
    expect(classifySubgraphFailure(timedOut, 'products', 1000, 1000).health).toBe('unhealthy');
  });

  it('5xx and invalid bodies count; 4xx answers are the subgraph alive and well', () => {
    expect(classify(new SubgraphHttpError(500)).health).toBe('unhealthy');
    expect(classify(new SubgraphHttpError(503)).health).toBe('unhealthy');
    expect(classify(new InvalidSubgraphAnswer('the body is not JSON')).health).toBe('unhealthy');
    expect(classify(new SubgraphHttpError(400)).health).toBe('healthy');
    expect(classify(new SubgraphHttpError(401)).health).toBe('healthy');
    expect(classify(new SubgraphHttpError(413)).health).toBe('healthy');
  });

  it('an answer over the size limit does not count (a caller decides its size), is not retried, and tells the client no more than that', () => {
    const failure = classify(new SubgraphAnswerTooLarge(1024));
    expect(failure).toMatchObject({ retryable: false, health: 'unknown' });
    expect(failure.error.extensions).toEqual({ code: 'SUBGRAPH_ERROR', serviceName: 'products' });
    expect(failure.error.message).toBe(`Subgraph "products" sent an answer over the gateway's size limit`);
  });
});

function listen(server: Server | TcpServer): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function originOf(server: Server | TcpServer): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
