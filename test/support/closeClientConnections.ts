import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/**
 * Closes every connection the test's `fetch` holds and gives it a fresh pool. Call it before
 * stopping a gateway process at the end of a test: its drain (`common/http/createHttpDrain.ts`)
 * leaves idle keep-alive connections for the client to close, as it must in production, and
 * `fetch` closes them only past the keep-alive timeout the gateway announced, about 3 s of every
 * teardown otherwise. Not for tests of the drain itself.
 */
export async function closeClientConnections(): Promise<void> {
  const used = getGlobalDispatcher();
  setGlobalDispatcher(new Agent());
  // destroy, not close: a request a failed test left hanging must not hold the teardown too.
  await used.destroy();
}
