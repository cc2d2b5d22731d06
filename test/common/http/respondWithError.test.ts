import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../common/errorCodes.js';
import { HttpError } from '../../../common/http/HttpError.js';
import { respondWithError, type ErrorWriter } from '../../../common/http/respondWithError.js';

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Serves one handler that throws, its error going through respondWithError; returns what a client gets and what was logged. */
async function throwing(handler: (res: http.ServerResponse) => Promise<void>, write?: ErrorWriter) {
  const logged: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logged.push((JSON.parse(line) as { msg: string }).msg) });
  let told: HttpError | undefined;
  server = http.createServer((_req, res) => {
    handler(res).catch((error: unknown) => (told = respondWithError(res, error, { logger, ...(write ? { write } : {}) })));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const reply = await (async () => {
    const response = await fetch(url);
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  })().catch((error: unknown) => error as Error);
  return { reply, logged, told: () => told };
}

describe('respondWithError', () => {
  it('writes a refusal as it is, with its headers, and logs nothing', async () => {
    const { reply, logged, told } = await throwing(async () => {
      throw new HttpError(ErrorCode.METHOD_NOT_ALLOWED, 'GET only', { allow: 'GET' });
    });
    expect(reply).toMatchObject({ status: 405, body: { errors: [{ message: 'GET only', extensions: { code: 'METHOD_NOT_ALLOWED' } }] } });
    expect((reply as { headers: Headers }).headers.get('allow')).toBe('GET');
    expect(logged).toEqual([]);
    expect(told()?.code).toBe(ErrorCode.METHOD_NOT_ALLOWED);
  });

  it('answers anything else with a bare 500, the details kept for the log', async () => {
    const { reply, logged } = await throwing(async () => {
      throw new Error('connection string postgres://admin:secret@db');
    });
    expect(reply).toMatchObject({ status: 500, body: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } });
    expect(JSON.stringify((reply as { body: unknown }).body)).not.toContain('secret');
    expect(logged).toEqual(['unexpected error while handling a request']);
  });

  it("writes through the server's own writer (the REST backends' shape)", async () => {
    const write: ErrorWriter = (res, refusal) =>
      res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: refusal.code } }));
    const { reply } = await throwing(async () => {
      throw new HttpError(ErrorCode.NOT_FOUND, 'no route');
    }, write);
    expect(reply).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  it('closes the connection when the response has already started', async () => {
    const { reply } = await throwing(async (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
      throw new Error('failed mid-response');
    });
    expect(reply).toBeInstanceOf(Error);
  });

  it('never throws, even when the writer does: it logs and closes the connection', async () => {
    const { reply, logged, told } = await throwing(
      async () => {
        throw new HttpError(ErrorCode.BAD_REQUEST, 'bad');
      },
      () => {
        throw new Error('the writer broke');
      },
    );
    expect(reply).toBeInstanceOf(Error);
    expect(logged).toEqual(['could not write an error response; closing the connection']);
    expect(told()?.code).toBe(ErrorCode.BAD_REQUEST);
  });
});
