import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { JsonText } from '../../../common/http/JsonText.js';
import { createFormatError } from '../../../gateway/errors/createFormatError.js';
import { formatStreamItem, type FormatError } from '../../../gateway/streaming/formatStreamItem.js';
import type { DeferredPart, ResultStream, SubscriptionEvent } from '../../../gateway/streaming/ResultStream.js';
import { serializeStreamItem } from '../../../gateway/streaming/serializeStreamItem.js';
import { nextMessage } from '../../../gateway/websocket/nextMessage.js';

const subscription: ResultStream = { kind: 'subscription', events: (async function* () {})() };
const deferred: ResultStream = { kind: 'deferred', parts: (async function* () {})() };

// Client-chosen ids, hostile ones included: each must come out JSON-encoded, never raw.
const ids = ['1', 'sub-42', '"},"type":"complete', '__proto__', 'line\u2028sep\u2029', 'é😀\\', '', '\u0000\u001f</script>'];

// The events a client can get: plain, with an error production masks, with a coded error it keeps,
// as the authorization patch leaves them (a field nulled, FORBIDDEN at its path), with extensions, the too-slow end.
const events: Record<string, () => SubscriptionEvent> = {
  plain: () => ({ data: { reviewAdded: { id: '1', body: 'Good "table"\n', author: { name: 'Ada' }, product: { name: 'Table', inStock: true } } } }),
  'uncoded subgraph error': () => ({
    data: { reviewAdded: { id: '2', body: 'x', author: null, product: { name: 'Chair', inStock: false } } },
    errors: [
      new GraphQLError('accounts exploded at 10.0.0.7', {
        path: ['reviewAdded', 'author'],
        extensions: { serviceName: 'accounts', stacktrace: ['at secret.js:1'], response: { status: 500 } },
      }),
    ],
  }),
  'authorization patch': () => ({
    data: { reviewAdded: { id: '3', body: 'y', author: { name: 'Bob' }, product: null } },
    errors: [new GraphQLError('Not authorized to see Product.inStock', { path: ['reviewAdded', 'product', 'inStock'], extensions: { code: 'FORBIDDEN' } })],
    extensions: { portico: { patched: true } },
  }),
  'too slow end': () => ({
    errors: [
      new GraphQLError('The subscription ended: the client did not read its events fast enough', { extensions: { code: 'SUBSCRIPTION_CLIENT_TOO_SLOW' } }),
    ],
  }),
  'null data': () => ({ data: null, errors: [new GraphQLError('boom')] }),
};

const modes = { production: createFormatError({ mode: 'production' }), development: createFormatError({ mode: 'development' }) };

describe('serializeStreamItem and nextMessage', () => {
  for (const [mode, formatError] of Object.entries(modes)) {
    for (const [name, make] of Object.entries(events)) {
      it(`give byte for byte the message each client got before (${name}, ${mode})`, () => {
        const event = make();
        for (const id of ids) {
          const before = JSON.stringify({ id, type: 'next', payload: formatStreamItem(subscription, make(), formatError) });
          expect(nextMessage(id, serializeStreamItem(subscription, event, formatError))).toBe(before);
          expect(JSON.parse(nextMessage(id, serializeStreamItem(subscription, event, formatError)))).toMatchObject({ id, type: 'next' });
        }
        // SSE and multipart frame the shared text as they framed the formatted object.
        const shared = new JsonText(serializeStreamItem(subscription, event, formatError));
        const formatted = formatStreamItem(subscription, make(), formatError);
        expect(`event: next\ndata: ${JsonText.of(shared)}\n\n`).toBe(`event: next\ndata: ${JSON.stringify(formatted)}\n\n`);
        expect(`{"payload":${JsonText.of(shared)}}`).toBe(JSON.stringify({ payload: formatted }));
      });
    }
  }

  it('formats and serialises a shared event once for all its clients, per formatError', () => {
    const production = vi.fn(modes.production);
    const development = vi.fn(modes.development);
    const event = events['uncoded subgraph error']();
    const texts = new Set<string>();
    for (let client = 0; client < 1000; client++) texts.add(serializeStreamItem(subscription, event, production));
    for (let client = 0; client < 1000; client++) serializeStreamItem(subscription, event, development);
    expect(production).toHaveBeenCalledTimes(1);
    expect(development).toHaveBeenCalledTimes(1);
    expect(texts.size).toBe(1);
    expect(serializeStreamItem(subscription, event, production)).not.toBe(serializeStreamItem(subscription, event, development));
    // Another event (even an equal one) is its own.
    serializeStreamItem(subscription, events['uncoded subgraph error'](), production);
    expect(production).toHaveBeenCalledTimes(2);
  });

  it('serialises each deferred part anew (a part is one client’s)', () => {
    const formatError = vi.fn<FormatError>((error) => error);
    const part: DeferredPart = { hasNext: false, incremental: [{ data: null, path: ['a'], errors: [new GraphQLError('x')] }] };
    expect(serializeStreamItem(deferred, part, formatError)).toBe(JSON.stringify(formatStreamItem(deferred, part, formatError)));
    serializeStreamItem(deferred, part, formatError);
    expect(formatError).toHaveBeenCalledTimes(3);
  });

  it('throws what JSON.stringify throws and keeps nothing', () => {
    const event: SubscriptionEvent = { data: { big: 1n as unknown as number } };
    expect(() => serializeStreamItem(subscription, event, modes.production)).toThrow(TypeError);
    expect(() => serializeStreamItem(subscription, event, modes.production)).toThrow(TypeError);
  });
});
