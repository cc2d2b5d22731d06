import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameAnswer } from './support/expectSameAnswer.js';

// The comparison itself, against two stand-in gateways that answer canned JSON text: the safety
// net is only as good as the differences it notices.

interface Canned {
  status: number;
  text: string;
}

let answers: { apollo: Canned; portico: Canned };
const servers: http.Server[] = [];
const origins = { apollo: '', portico: '' };

async function startCanned(pick: () => Canned): Promise<string> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status, text } = pick();
      response.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  origins.apollo = await startCanned(() => answers.apollo);
  origins.portico = await startCanned(() => answers.portico);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const operation = { query: '{ a b }' };
const ok = (text: string): Canned => ({ status: 200, text });
const error = (fields: Record<string, unknown>) => ({ message: 'boom', path: ['a'], extensions: { code: 'X', serviceName: 's' }, ...fields });
const withErrors = (...errors: unknown[]) => ok(JSON.stringify({ errors, data: { a: null, b: 1 } }));

describe('expectSameAnswer', () => {
  it('passes identical answers, and errors that differ only in order or in other extensions', async () => {
    answers = { apollo: ok('{"data":{"a":1,"b":2}}'), portico: ok('{"data":{"a":1,"b":2}}') };
    await expectSameAnswer(origins, operation);
    const first = error({});
    const second = error({ message: 'bang', path: ['b'] });
    answers = { apollo: withErrors(first, second), portico: withErrors({ ...second, extensions: { ...second.extensions, stacktrace: ['at x'] } }, first) };
    await expectSameAnswer(origins, operation, { failures: true });
  });

  it('fails on a different value, field order, status or top-level key', async () => {
    const apollo = ok('{"data":{"a":1,"b":2}}');
    for (const portico of [
      ok('{"data":{"a":1,"b":3}}'),
      ok('{"data":{"b":2,"a":1}}'),
      { status: 500, text: apollo.text },
      ok('{"data":{"a":1,"b":2},"extensions":{"x":1}}'),
    ]) {
      answers = { apollo, portico };
      await expect(expectSameAnswer(origins, operation)).rejects.toThrow();
    }
  });

  it('fails on an error with another message, path, location, code or serviceName, or a missing one', async () => {
    const apollo = withErrors(error({}));
    for (const changed of [
      { message: 'other' },
      { path: ['b'] },
      { locations: [{ line: 1, column: 3 }] },
      { extensions: { code: 'Y', serviceName: 's' } },
      { extensions: { code: 'X' } },
    ]) {
      answers = { apollo, portico: withErrors(error(changed)) };
      await expect(expectSameAnswer(origins, operation, { failures: true })).rejects.toThrow(/errors/);
    }
    answers = { apollo, portico: withErrors() };
    await expect(expectSameAnswer(origins, operation, { failures: true })).rejects.toThrow(/errors/);
  });

  it('fails on a different extensions.valueCompletion', async () => {
    const completion = (path: unknown[]) => ok(JSON.stringify({ data: { a: null }, extensions: { valueCompletion: [{ message: 'null', path }] } }));
    answers = { apollo: completion(['a', 0]), portico: completion(['a', 1]) };
    await expect(expectSameAnswer(origins, operation, { failures: true })).rejects.toThrow(/valueCompletion/);
  });

  it('refuses agreement on an answer that reports what the scenario says should not fail, and the reverse', async () => {
    answers = { apollo: withErrors(error({})), portico: withErrors(error({})) };
    await expect(expectSameAnswer(origins, operation)).rejects.toThrow(/reported failures/);
    answers = { apollo: ok('{"data":{"a":1}}'), portico: ok('{"data":{"a":1}}') };
    await expect(expectSameAnswer(origins, operation, { failures: true })).rejects.toThrow(/reported no failure/);
  });
});
