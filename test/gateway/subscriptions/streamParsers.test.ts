import { describe, expect, it } from 'vitest';
import { createMultipartParser } from '../../../gateway/subscriptions/createMultipartParser.js';
import { createSseParser } from '../../../gateway/subscriptions/createSseParser.js';
import { streamingTransportOf } from '../../../gateway/http/streamingTransportOf.js';

describe('createSseParser', () => {
  it('reads events split anywhere across chunks, skipping comments', () => {
    const events: [string, string][] = [];
    const feed = createSseParser((event, data) => events.push([event, data]), 1000);
    const text = ':\n\nevent: next\ndata: {"data":1}\n\n:\n\nevent: next\r\ndata: {"data":\r\ndata: 2}\r\n\r\nevent: complete\n\n';
    for (const char of text) expect(feed(char)).toBe(true);
    expect(events).toEqual([
      ['next', '{"data":1}'],
      ['next', '{"data":\n2}'],
      ['complete', ''],
    ]);
  });

  it('says so once an unfinished event passes the limit', () => {
    const feed = createSseParser(() => {}, 10);
    expect(feed(`event: next\ndata: ${'x'.repeat(20)}`)).toBe(false);
  });
});

describe('createMultipartParser', () => {
  it('reads parts split anywhere across chunks, and the closing boundary', () => {
    const parts: string[] = [];
    let ended = false;
    const feed = createMultipartParser(
      'graphql',
      (part) => parts.push(part),
      () => (ended = true),
      1000,
    );
    const part = (json: string) => `\r\ncontent-type: application/json\r\n\r\n${json}\r\n--graphql`;
    const text = `\r\n--graphql${part('{}')}${part('{"payload":{"data":1}}')}--\r\n`;
    for (const char of text) feed(char);
    expect(parts).toEqual(['{}', '{"payload":{"data":1}}']);
    expect(ended).toBe(true);
  });
});

describe('streamingTransportOf', () => {
  it.each([
    ['text/event-stream', 'sse'],
    ['application/json, text/event-stream;q=0.9', 'sse'],
    ['multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json', 'multipart'],
    ['multipart/mixed; subscriptionSpec="1.0"', 'multipart'],
    ['multipart/mixed; deferSpec=20220824', null],
    ['text/event-stream;q=0, application/json', null],
    ['multipart/mixed;subscriptionSpec=1.0;q=0.0', null],
    ['text/event-stream;q=0.01', 'sse'],
    ['application/json', null],
    [undefined, null],
  ] as const)('%s → %s', (accept, transport) => {
    expect(streamingTransportOf(accept)).toBe(transport);
  });
});
