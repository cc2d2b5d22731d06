import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchSupergraph } from '../../../gateway/supergraph/fetchSupergraph.js';
import { MAX_SUPERGRAPH_BYTES } from '../../../gateway/supergraph/supergraphTooLarge.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function serve(answer: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/supergraph.graphql`;
}

describe('fetchSupergraph', () => {
  it('reads a supergraph answered with 200', async () => {
    const url = await serve((res) => res.writeHead(200).end('schema { query: Query }'));
    await expect(fetchSupergraph(url, 5000)).resolves.toBe('schema { query: Query }');
  });

  it('gives up on an answer that does not come within its time', async () => {
    const url = await serve((res) => {
      res.writeHead(200);
      res.write('schema');
    });
    await expect(fetchSupergraph(url, 200)).rejects.toThrow(`Cannot download the supergraph ${url}: no answer within 200 ms`);
  });

  it('refuses a body declared over its limit without reading it', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-length': String(MAX_SUPERGRAPH_BYTES + 1) });
      res.write('x');
    });
    await expect(fetchSupergraph(url, 5000)).rejects.toThrow(`Cannot download the supergraph ${url}: it is ${MAX_SUPERGRAPH_BYTES + 1} bytes, over the`);
  });

  it('stops reading an endless body at its limit, and stops its download', async () => {
    let written = 0;
    const url = await serve((res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      const more = () => {
        while (!res.destroyed && written < 8 * MAX_SUPERGRAPH_BYTES) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    await expect(fetchSupergraph(url, 20_000)).rejects.toThrow(`it is more than ${MAX_SUPERGRAPH_BYTES} bytes, over the`);
    // The server was cut off not far past the limit, not allowed to send its whole eight times over.
    expect(written).toBeLessThan(3 * MAX_SUPERGRAPH_BYTES);
  });
});
