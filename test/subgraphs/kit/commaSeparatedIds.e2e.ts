import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../backends/data/generateDemoData.js';
import { createUsersServer } from '../../../backends/users/server.js';
import { createBatchLoader } from '../../../subgraphs/kit/loaders/createBatchLoader.js';
import { commaSeparatedIds } from '../../../subgraphs/kit/rest/commaSeparatedIds.js';
import { createRestClient, type RestClient } from '../../../subgraphs/kit/rest/createRestClient.js';
import { startHttp } from '../../backends/helpers/startServers.js';

// The demo users service, real, behind the kit's REST client: what it reads of each id list is
// what any service that splits `?ids=` on commas reads.
const { users } = generateDemoData();
const server = createUsersServer({ users });
const targets: string[] = [];
let base: string;
let close: () => Promise<void>;
let client: RestClient;

beforeAll(async () => {
  server.prependListener('request', (req: IncomingMessage) => targets.push(req.url ?? ''));
  ({ url: base, close } = await startHttp(server));
  client = createRestClient({ backend: 'users', baseUrl: base });
});
afterAll(async () => {
  await client.close();
  await close();
});
beforeEach(() => {
  targets.length = 0;
  attempts = 0;
});

interface User {
  id: string;
  name: string;
}

// Calls the loader asked the client for, sent or refused.
let attempts = 0;

function usersLoader(restClient: RestClient) {
  const idList = commaSeparatedIds(restClient, { path: '/users', param: 'ids', maxIds: 100 });
  return createBatchLoader({
    ...idList.limits,
    fetch: async (ids: readonly string[]) => {
      attempts += 1;
      return (await restClient.get<{ users: User[] }>(idList.pathFor(ids))).users;
    },
    keyOf: (user: User) => user.id,
  });
}

describe('commaSeparatedIds', () => {
  it('never sends an id the list cannot carry (a comma, surrounding whitespace, empty): it is null, and its neighbours are answered', async () => {
    const unsendable = [Array(32).fill('1').join(','), '2,', ' 3', '4 ', '\u00a05', '', ' ', ','];
    const known = Array.from({ length: 90 }, (_, index) => String(index + 1));
    const results = await usersLoader(client).loadMany([...unsendable, ...known]);
    expect(results.slice(0, unsendable.length)).toEqual(unsendable.map(() => null));
    expect(results.slice(unsendable.length).map((user) => (user as User).id)).toEqual(known);
    expect(targets).toEqual([`/users?ids=${known.join(',')}`]);
  });

  it('splits a batch so that every URL fits the client, planned before any is refused, and answers every id', async () => {
    // 15 ids of 64 CJK characters are 576 bytes each once encoded: together past 8 KiB.
    const long = Array.from({ length: 15 }, (_, index) => String.fromCodePoint(0x4e01 + index).repeat(64));
    const results = await usersLoader(client).loadMany([...long, '7', '8']);
    expect(results).toEqual([...long.map(() => null), expect.objectContaining({ id: '7' }), expect.objectContaining({ id: '8' })]);
    expect(targets.length).toBeGreaterThan(1);
    expect(attempts).toBe(targets.length);
    for (const target of targets) expect(Buffer.byteLength(target)).toBeLessThanOrEqual(8192);
    expect(targets.join(',')).toContain(',7,8');
  });

  it('refuses, alone, an id whose URL would not fit on its own, and still answers the others', async () => {
    const small = createRestClient({ backend: 'users', baseUrl: base, maxUrlBytes: 40 });
    try {
      const results = await usersLoader(small).loadMany(['1', 'x'.repeat(40), '2']);
      expect(results[0]).toMatchObject({ id: '1' });
      expect(results[2]).toMatchObject({ id: '2' });
      expect(results[1]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(targets).toEqual(['/users?ids=1,2']);
    } finally {
      await small.close();
    }
  });
});
