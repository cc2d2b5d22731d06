import { describe, expect, it } from 'vitest';
import type { SubgraphClient } from '../../../gateway/subgraphRequests/createSubgraphClient.js';
import { createSubgraphClients } from '../../../gateway/subgraphRequests/createSubgraphClients.js';

/** Clients that record when they close; `close` settles when the test says so, as a pool with requests in flight does. */
function recordingClients() {
  const closed: string[] = [];
  const pending: (() => void)[] = [];
  const clients = createSubgraphClients(
    ({ name, url }) =>
      ({
        name,
        url,
        close: () =>
          new Promise<void>((resolve) => {
            pending.push(() => {
              closed.push(`${name} ${url}`);
              resolve();
            });
          }),
      }) as unknown as SubgraphClient,
  );
  const settle = () => {
    for (const done of pending.splice(0)) done();
  };
  return { clients, closed, settle };
}

describe('createSubgraphClients', () => {
  it('keeps a client while its URL stays, makes a new one when it moves, and closes the ones replaced or gone', async () => {
    const { clients, closed, settle } = recordingClients();
    clients.sync([
      { name: 'a', url: 'http://a/1' },
      { name: 'b', url: 'http://b/1' },
    ]);
    const a = clients.get('a');
    clients.sync([
      { name: 'a', url: 'http://a/1' },
      { name: 'c', url: 'http://c/1' },
    ]);
    expect(clients.get('a')).toBe(a);
    expect(clients.get('b')).toBeUndefined();
    clients.sync([
      { name: 'a', url: 'http://a/2' },
      { name: 'c', url: 'http://c/1' },
    ]);
    expect(clients.get('a')).not.toBe(a);
    settle();
    await Promise.resolve();
    expect(closed).toEqual(['b http://b/1', 'a http://a/1']);
  });

  it('closes every client at stop, and waits for the ones still closing', async () => {
    const { clients, closed, settle } = recordingClients();
    clients.sync([{ name: 'a', url: 'http://a/1' }]);
    clients.sync([{ name: 'a', url: 'http://a/2' }]);
    let stopped = false;
    const stopping = clients.close().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    settle();
    await stopping;
    expect(closed.sort()).toEqual(['a http://a/1', 'a http://a/2']);
  });
});
