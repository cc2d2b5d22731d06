import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { whenClientGone } from '../../../common/http/whenClientGone.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function serve(handler: Handler): Promise<number> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return (server.address() as AddressInfo).port;
}

const request = (path: string) => `GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`;

describe('whenClientGone', () => {
  it('tells every response pipelined on a connection when it drops, those still waiting for the socket too', async () => {
    const gone: string[] = [];
    const port = await serve((req, res) => {
      whenClientGone(res, () => gone.push(req.url ?? ''));
      res.write('open');
    });
    const socket = connect(port, '127.0.0.1', () => socket.write(['/a', '/b', '/c'].map(request).join('')));
    socket.on('error', () => {});
    await vi.waitFor(() => expect(socket.bytesRead).toBeGreaterThan(0));
    socket.destroy();
    await vi.waitFor(() => expect(gone.sort()).toEqual(['/a', '/b', '/c']));
  });

  it('says nothing for a response that finished, and leaves one listener on a keep-alive connection however many requests it carries', async () => {
    const gone = vi.fn();
    const listeners: number[] = [];
    const peers = new Set<number | undefined>();
    const port = await serve((req, res) => {
      whenClientGone(res, gone);
      listeners.push(req.socket.listenerCount('close'));
      peers.add(req.socket.remotePort);
      res.end('done');
    });
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
    try {
      for (let i = 0; i < 30; i += 1) await (await pool.request({ method: 'GET', path: '/' })).body.text();
    } finally {
      await pool.close();
    }
    expect(gone).not.toHaveBeenCalled();
    // One connection carried them all, and its listeners did not grow with them.
    expect(peers.size).toBe(1);
    expect(new Set(listeners.slice(1)).size).toBe(1);
  });

  it('calls at once when the client had gone before it was asked, and not after it is stopped', async () => {
    let stopped: (() => void) | undefined;
    const calls: string[] = [];
    const port = await serve((req, res) => {
      req.socket.destroy();
      setImmediate(() => whenClientGone(res, () => calls.push('late')));
    });
    const socket = connect(port, '127.0.0.1', () => socket.write(request('/')));
    socket.on('error', () => {});
    await vi.waitFor(() => expect(calls).toEqual(['late']));
    await close?.();
    const port2 = await serve((_req, res) => {
      stopped = whenClientGone(res, () => calls.push('stopped'));
      stopped();
    });
    const second = connect(port2, '127.0.0.1', () => second.write(request('/')));
    second.on('error', () => {});
    await vi.waitFor(() => expect(stopped).toBeDefined());
    second.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toEqual(['late']);
  });
});
