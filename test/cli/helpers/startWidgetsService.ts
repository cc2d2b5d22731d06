import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const widgets: Record<string, { id: string; name: string }> = {
  '1': { id: '1', name: 'Sprocket' },
  '2': { id: '2', name: 'Flange' },
};

/** A real REST service answering `GET /widgets/{id}` (404 for unknown ids) on a free port, counting its calls. */
export async function startWidgetsService() {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    const match = /^\/widgets\/([^/?]+)$/.exec(req.url ?? '');
    const widget = match ? widgets[decodeURIComponent(match[1]!)] : undefined;
    res.writeHead(widget ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(widget ?? { error: { message: 'no such widget' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/widgets`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
