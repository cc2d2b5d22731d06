// The floor of the added-latency measurement: what any Node.js process between client and
// subgraph costs on this machine, with no GraphQL work at all. node:http in, one keep-alive
// undici pool out; the request and the answer are parsed and written again as JSON, as the
// least a GraphQL-aware hop must do.
// Usage: node --import tsx bench/gateways/bareProxy.ts SUBGRAPH_URL PORT
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [subgraphUrl, port] = process.argv.slice(2);
if (subgraphUrl === undefined || port === undefined) throw new Error('usage: bareProxy.ts SUBGRAPH_URL PORT');

const target = new URL(subgraphUrl);
const pool = new Pool(target.origin, { connections: 64, pipelining: 1 });
const server = createServer(async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    const response = await pool.request({
      method: 'POST',
      path: target.pathname,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
    });
    const answer = JSON.parse(await response.body.text()) as unknown;
    res.writeHead(response.statusCode, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  } catch (error) {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
  }
});
server.listen(Number(port), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.close().then(() => process.exit(0))));
