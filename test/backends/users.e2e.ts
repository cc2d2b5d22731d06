import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../backends/data/generateDemoData.js';
import { createUsersServer } from '../../backends/users/server.js';
import { errorOf, request } from './helpers/http.js';
import { captureLogger, startHttp } from './helpers/startServers.js';

const { users } = generateDemoData();
const log = captureLogger();
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ url: base, close } = await startHttp(createUsersServer({ users, logger: log.logger })));
});
afterAll(() => close());
beforeEach(async () => {
  expect((await request(`${base}/_admin/counts`, { method: 'DELETE' })).status).toBe(204);
});

describe('GET /users/:id', () => {
  it('answers a known user', async () => {
    const reply = await request(`${base}/users/7`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual(users[6]);
  });

  it('answers 404 with a JSON error for an unknown id', async () => {
    const reply = await request(`${base}/users/9999`);
    expect(reply.status).toBe(404);
    expect(errorOf(reply)).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('9999') });
  });

  it('answers 400 for a malformed percent-encoding', async () => {
    const reply = await request(`${base}/users/%E0%A4%A`);
    expect(reply.status).toBe(400);
    expect(errorOf(reply).code).toBe('BAD_REQUEST');
  });
});

describe('GET /users?ids=', () => {
  it('answers in the order asked, unknown ids left out, duplicates once', async () => {
    const reply = await request(`${base}/users?ids=3,1,999,3,2`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ users: [users[2], users[0], users[1]] });
  });

  it('accepts repeated ids parameters', async () => {
    const reply = await request(`${base}/users?ids=5&ids=4`);
    expect(reply.body).toEqual({ users: [users[4], users[3]] });
  });

  it('accepts exactly 100 ids', async () => {
    const ids = users.slice(0, 100).map((user) => user.id);
    const reply = await request(`${base}/users?ids=${ids.join(',')}`);
    expect(reply.status).toBe(200);
    expect((reply.body as { users: unknown[] }).users).toHaveLength(100);
  });

  it('refuses more than 100 ids, saying the limit', async () => {
    const ids = users.slice(0, 101).map((user) => user.id);
    const reply = await request(`${base}/users?ids=${ids.join(',')}`);
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('100') });
  });

  it.each(['/users', '/users?ids=', '/users?ids=,,'])('refuses %s with 400', async (path) => {
    const reply = await request(`${base}${path}`);
    expect(reply.status).toBe(400);
    expect(errorOf(reply).message).toContain('ids');
  });
});

describe('GET /users?first=', () => {
  it('lists the first users by id', async () => {
    const reply = await request(`${base}/users?first=3`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ users: users.slice(0, 3) });
  });

  it.each(['0', '501', '2.5', 'ten'])('refuses first=%s with 400 saying the range', async (first) => {
    const reply = await request(`${base}/users?first=${first}`);
    expect(reply.status).toBe(400);
    expect(errorOf(reply).message).toBe(`query parameter 'first' must be an integer from 1 to 500, got '${first}'`);
  });

  it('takes another limit and more data (the bench lists 1,000 users)', async () => {
    const more = generateDemoData({ userCount: 1000 }).users;
    const server = await startHttp(createUsersServer({ users: more, maxListSize: 1000, logger: log.logger }));
    try {
      const all = await request(`${server.url}/users?first=1000`);
      expect(all.status).toBe(200);
      expect((all.body as { users: unknown[] }).users).toEqual(more);
      const over = await request(`${server.url}/users?first=1001`);
      expect(over.status).toBe(400);
      expect(errorOf(over).message).toBe("query parameter 'first' must be an integer from 1 to 1000, got '1001'");
    } finally {
      await server.close();
    }
  });
});

describe('routing', () => {
  it('answers /health', async () => {
    const reply = await request(`${base}/health`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'ok' });
  });

  it.each(['/nope', '/users/1/extra', '/users/'])('answers 404 for %s', async (path) => {
    const reply = await request(`${base}${path}`);
    expect(reply.status).toBe(404);
    expect(errorOf(reply).code).toBe('NOT_FOUND');
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const reply = await request(`${base}/users/1`, { method: 'DELETE' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET');
    expect(errorOf(reply).code).toBe('METHOD_NOT_ALLOWED');
    const post = await request(`${base}/users`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('call counts', () => {
  it('counts calls per route pattern and per concrete path, not health, admin or misses', async () => {
    await request(`${base}/users/1`);
    await request(`${base}/users/1`);
    await request(`${base}/users/404404`);
    await request(`${base}/users?ids=1,2`);
    await request(`${base}/health`);
    await request(`${base}/nope`);
    await request(`${base}/users/1`, { method: 'PUT' });
    await request(`${base}/_admin/counts`);
    const reply = await request(`${base}/_admin/counts`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      counts: { 'GET /users/:id': 3, 'GET /users': 1 },
      paths: { 'GET /users/1': 2, 'GET /users/404404': 1, 'GET /users?ids=1,2': 1 },
    });
  });

  it('counts at most 1000 distinct paths by name, and never one over 1024 characters: the rest count under (other)', async () => {
    const long = `/users?ids=${'7,'.repeat(600)}7`;
    await request(`${base}${long}`);
    for (let start = 0; start < 1100; start += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, index) => request(`${base}/users/${1_000_000 + start + index}`)));
    }
    await request(`${base}/users/1000000`);
    const { counts, paths } = (await request(`${base}/_admin/counts`)).body as { counts: Record<string, number>; paths: Record<string, number> };
    expect(counts).toEqual({ 'GET /users/:id': 1101, 'GET /users': 1 });
    expect(Object.keys(paths)).toHaveLength(1001);
    expect(paths['GET /users/1000000']).toBe(2);
    expect(paths[`GET ${long}`]).toBeUndefined();
    expect(Object.values(paths).reduce((sum, count) => sum + count, 0)).toBe(1102);
    // The long path, and the 100 ids past the first 1000.
    expect(paths['(other)']).toBe(1 + 100);
  });

  it('resets on DELETE /_admin/counts', async () => {
    await request(`${base}/users/1`);
    expect((await request(`${base}/_admin/counts`, { method: 'DELETE' })).status).toBe(204);
    expect((await request(`${base}/_admin/counts`)).body).toEqual({ counts: {}, paths: {} });
  });
});

it('logs the x-request-id header at debug level', async () => {
  await request(`${base}/users/2`, { headers: { 'x-request-id': 'req-users-42' } });
  expect(log.lines()).toContainEqual(expect.objectContaining({ level: 20, requestId: 'req-users-42', url: '/users/2' }));
});
