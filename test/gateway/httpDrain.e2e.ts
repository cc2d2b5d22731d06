import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Client } from 'undici';
import { createHttpDrain } from '../../gateway/health/createHttpDrain.js';

/** An HTTP server with the drain, whose `/hold` requests wait until `release()`; `drain()` runs what Apollo Server's stop would. */
async function serverWithDrain(gracePeriodMs: number) {
  const httpServer = http.createServer();
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(String((JSON.parse(line) as { msg: unknown }).msg)) });
  let draining = false;
  const { plugin } = createHttpDrain({ httpServer, delayMs: 0, gracePeriodMs, onDrainStart: () => (draining = true), logger });
  const held: http.ServerResponse[] = [];
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === '/hold') held.push(res);
    else res.end('ok');
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const listener = await plugin.serverWillStart?.({} as never);
  return {
    origin: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    warnings,
    isDraining: () => draining,
    held,
    drain: () => listener!.drainServer!(),
    release: () => held.splice(0).forEach((res) => res.end('released')),
  };
}

describe('createHttpDrain', () => {
  it('answers a request accepted before the drain, with connection: close, and closes once no connection is left', async () => {
    const server = await serverWithDrain(10_000);
    const client = new Client(server.origin);
    const held = client.request({ path: '/hold', method: 'GET' });
    await expect.poll(() => server.held.length).toBe(1);

    const drained = server.drain();
    expect(server.isDraining()).toBe(true);
    server.release();
    const response = await held;
    expect(response.statusCode).toBe(200);
    expect(response.headers.connection).toBe('close');
    expect(await response.body.text()).toBe('released');
    await drained;
    expect(server.warnings).toEqual([]);
    await client.close();
  });

  it('destroys what is still open after the grace period, and says so', async () => {
    const server = await serverWithDrain(200);
    const client = new Client(server.origin);
    const held = client.request({ path: '/hold', method: 'GET' }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    await expect.poll(() => server.held.length).toBe(1);
    await server.drain();
    expect(await held).not.toBe('answered');
    expect(server.warnings).toEqual(['1 connection still open 200 ms into the stop (server.shutdownGracePeriodMs): closing them']);
    await client.destroy();
  });
});
