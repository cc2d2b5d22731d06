import { afterEach, describe, expect, it, vi } from 'vitest';
import { runLoad, type Load } from '../support/runLoad.js';
import { postGraphQL, startStack, type GraphQLReply, type Stack } from '../support/startStack.js';

let stack: Stack | undefined;
let load: Load<GraphQLReply | Error> | undefined;

afterEach(async () => {
  await load?.stop();
  load = undefined;
  await stack?.close();
  stack = undefined;
});

const query = '{ topProducts(first: 3) { name reviews { body author { name } } } }';
// Enough replies in a phase to have seen it, few enough to keep the test short.
const seen = 30;

describe('a backend killed under load', () => {
  it('never crashes: every reply is 200 with the product data, author fields fail with BACKEND_UNAVAILABLE while it is down, and all recover', async () => {
    stack = await startStack();
    const names = stack.backends.data.products.slice(0, 3).map((product) => product.name);
    let phase = 'healthy';
    const current = stack;
    const running = runLoad({ concurrency: 4, maxRequests: 3000, phase: () => phase, send: () => postGraphQL(current.url, query) });
    load = running;

    await vi.waitFor(() => expect(running.count('healthy')).toBeGreaterThanOrEqual(seen), { timeout: 20_000 });
    phase = 'stopping';
    await stack.backends.stop('users');
    phase = 'down';
    await vi.waitFor(() => expect(running.count('down')).toBeGreaterThanOrEqual(seen), { timeout: 20_000 });
    phase = 'restarting';
    await stack.backends.restart('users');
    phase = 'back';
    await vi.waitFor(() => expect(running.count('back')).toBeGreaterThanOrEqual(seen), { timeout: 20_000 });
    await running.stop();

    for (const { phase: sentIn, answeredIn, reply } of running.replies) {
      const settled = sentIn === answeredIn;
      expect(reply, `a request sent while ${sentIn} failed outright`).not.toBeInstanceOf(Error);
      const { status, data, errors } = reply as GraphQLReply;
      expect(status).toBe(200);
      const products = data!.topProducts as Array<{ name: string; reviews: Array<{ author: { name: string } | null }> }>;
      expect(products.map((product) => product.name)).toEqual(names);
      for (const error of errors ?? []) {
        expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', serviceName: 'accounts' });
        expect(error.path?.slice(0, 1)).toEqual(['topProducts']);
        expect(error.path?.at(-1)).toBe('author');
      }
      const authors = products.flatMap((product) => product.reviews.map((review) => review.author));
      if (settled && (sentIn === 'healthy' || sentIn === 'back')) expect(errors, `a request sent while ${sentIn}`).toBeUndefined();
      if (settled && sentIn === 'down') {
        expect(authors.every((author) => author === null)).toBe(true);
        expect(errors?.length).toBeGreaterThan(0);
      }
      if (!errors) expect(authors.every((author) => typeof author?.name === 'string')).toBe(true);
    }
  });
});
