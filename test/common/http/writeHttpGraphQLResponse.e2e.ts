import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { request } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { writeHttpGraphQLResponse } from '../../../common/http/writeHttpGraphQLResponse.js';

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** What a client receives when a Node server writes `response`. */
async function receive(response: HTTPGraphQLResponse) {
  server = http.createServer((_req, res) => void writeHttpGraphQLResponse(res, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const answer = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return { status: answer.statusCode, headers: answer.headers, bytes: Buffer.from(await answer.body.arrayBuffer()) };
}

it('sends a complete body as its UTF-8 bytes, with their length, the status and the headers', async () => {
  const text = `${JSON.stringify({ data: { name: 'Crème brûlée — 🍮', list: ['x'.repeat(70_000)] } })}\n`;
  const headers = new HeaderMap([['content-type', 'application/graphql-response+json; charset=utf-8']]);
  const { status, headers: received, bytes } = await receive({ status: 201, headers, body: { kind: 'complete', string: text } });
  expect(status).toBe(201);
  expect(received['content-type']).toBe('application/graphql-response+json; charset=utf-8');
  expect(received['content-length']).toBe(String(Buffer.byteLength(text)));
  expect(bytes.toString('utf8')).toBe(text);
});

it('streams a chunked body chunk by chunk', async () => {
  async function* chunks() {
    yield '--graphql\r\n';
    yield 'ünïcode\r\n';
  }
  const { status, headers, bytes } = await receive({ status: 200, headers: new HeaderMap(), body: { kind: 'chunked', asyncIterator: chunks() } });
  expect(status).toBe(200);
  expect(headers['transfer-encoding']).toBe('chunked');
  expect(bytes.toString('utf8')).toBe('--graphql\r\nünïcode\r\n');
});
