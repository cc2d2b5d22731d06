import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPeerKey } from '../../gateway/traffic/createAddressResolver.js';
import { limitConnectionsPerAddress } from '../../gateway/traffic/limitConnectionsPerAddress.js';

const servers: ReturnType<typeof createServer>[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A TCP server that answers every connection it keeps with "hi", capped by `limitConnectionsPerAddress`. */
async function cappedServer(maxPerAddress: number, trustedProxies: string[] = []) {
  const server = createServer((socket) => socket.write('hi'));
  servers.push(server);
  const limit = limitConnectionsPerAddress(server, { maxPerAddress, keyOf: createPeerKey(trustedProxies) });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { limit, port: (server.address() as AddressInfo).port };
}

/** Connects from `localAddress`; resolves whether the server kept it (said "hi") or closed it. */
async function connect(port: number, localAddress: string): Promise<'kept' | 'closed'> {
  const socket = createConnection({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('data', () => resolve('kept'));
    socket.once('close', () => resolve('closed'));
    socket.once('error', () => resolve('closed'));
  });
}

describe('limitConnectionsPerAddress', () => {
  it('closes connections from one address past the cap as they are accepted, and counts them free again once closed', async () => {
    const { limit, port } = await cappedServer(3);
    const kept = await Promise.all(Array.from({ length: 3 }, () => connect(port, '127.0.0.2')));
    expect(kept).toEqual(['kept', 'kept', 'kept']);
    expect(await connect(port, '127.0.0.2')).toBe('closed');
    expect(limit.refused()).toBe(1);
    // Another address is not affected.
    expect(await connect(port, '127.0.0.3')).toBe('kept');
    // One of the three goes: its place is free again.
    sockets[0]!.destroy();
    await vi.waitFor(() => expect(limit.openFrom('127.0.0.2')).toBe(2));
    expect(await connect(port, '127.0.0.2')).toBe('kept');
  });

  it('does not count a trusted proxy, which speaks for many clients', async () => {
    const { limit, port } = await cappedServer(1, ['127.0.0.4']);
    expect(await Promise.all([connect(port, '127.0.0.4'), connect(port, '127.0.0.4'), connect(port, '127.0.0.4')])).toEqual(['kept', 'kept', 'kept']);
    expect(limit.refused()).toBe(0);
  });

  it('caps nothing at 0', async () => {
    const { limit, port } = await cappedServer(0);
    expect(await Promise.all([connect(port, '127.0.0.2'), connect(port, '127.0.0.2')])).toEqual(['kept', 'kept']);
    expect(limit.refused()).toBe(0);
  });
});
