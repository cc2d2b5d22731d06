import type { Server } from 'node:http';
import type * as grpc from '@grpc/grpc-js';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { bindGrpc, shutdownGrpc } from '../../../backends/entry/bindGrpc.js';
import { closeHttp, listenHttp } from '../../../common/process/listenHttp.js';

/** Listens on a free port of 127.0.0.1; `close` must be called by the test. */
export async function startHttp(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const port = await listenHttp(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => closeHttp(server) };
}

/** Binds a free port of 127.0.0.1; `close` must be called by the test. */
export async function startGrpc(server: grpc.Server): Promise<{ address: string; close(): Promise<void> }> {
  const port = await bindGrpc(server, 0, '127.0.0.1');
  return { address: `127.0.0.1:${port}`, close: () => shutdownGrpc(server) };
}

/** A debug-level JSON logger whose lines the test can read back. */
export function captureLogger(): { logger: Logger; lines(): Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: pino({ level: 'debug' }, sink),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
