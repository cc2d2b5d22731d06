import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drained } from '../../../common/http/drained.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('drained', () => {
  it('settles false at once when the connection of a pipelined response drops, not after its timeout', async () => {
    const outcomes: { taken: boolean; ms: number }[] = [];
    const server = createServer((req, res) => {
      // Neither answer ends: the second waits behind the first, with no socket, its writes buffered past the high-water mark.
      const full = !res.write('x'.repeat(64 * 1024));
      if (req.url !== '/second') return;
      expect(full).toBe(true);
      const started = performance.now();
      void drained(res, 30_000).then((taken) => outcomes.push({ taken, ms: performance.now() - started }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () =>
      socket.write('GET /first HTTP/1.1\r\nhost: x\r\n\r\nGET /second HTTP/1.1\r\nhost: x\r\n\r\n'),
    );
    socket.on('error', () => {});
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await vi.waitFor(() => expect(outcomes).toHaveLength(1));
    expect(outcomes[0]!.taken).toBe(false);
    expect(outcomes[0]!.ms).toBeLessThan(10_000);
  });
});
