import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, readMultipartParts } from '../../../gateway/explorer/client/readMultipartParts.js';

// The explorer's reader of multipart answers (@defer's incremental delivery as the gateway writes
// it), fed the way a network feeds it: in chunks cut anywhere, a multi-byte character included.
const DEFER =
  '\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"data":{"a":"é"},"hasNext":true}\r\n---\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"hasNext":false,"incremental":[{"data":{"b":1},"path":[]}]}\r\n-----\r\n';

function streamOf(bytes: Uint8Array, cuts: readonly number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.slice(from, point));
    from = Math.max(from, point);
  }
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function partsOf(text: string, boundary: string, cuts: readonly number[] = []) {
  const parts: Record<string, unknown>[] = [];
  for await (const part of readMultipartParts(streamOf(new TextEncoder().encode(text), cuts), boundary)) parts.push(part);
  return parts;
}

describe('readMultipartParts', () => {
  it('reads each part of a deferred answer, whichever way its bytes are cut', async () => {
    const expected = [
      { data: { a: 'é' }, hasNext: true },
      { hasNext: false, incremental: [{ data: { b: 1 }, path: [] }] },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (cuts) => {
        expect(await partsOf(DEFER, '-', cuts)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('yields a part as soon as the delimiter after it has arrived, before the body ends', async () => {
    let more!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        more = controller;
        controller.enqueue(new TextEncoder().encode('\r\n---\r\ncontent-type: application/json\r\n\r\n{"data":{},"hasNext":true}\r\n---\r\n'));
      },
    });
    const parts = readMultipartParts(body, '-');
    expect((await parts.next()).value).toEqual({ data: {}, hasNext: true });
    more.enqueue(new TextEncoder().encode('content-type: application/json\r\n\r\n{"hasNext":false}\r\n-----\r\n'));
    more.close();
    expect((await parts.next()).value).toEqual({ hasNext: false });
    expect((await parts.next()).done).toBe(true);
  });

  it('reads a body that opens with the delimiter alone, skips the preamble, empty and non-JSON parts, and stops at the closing delimiter', async () => {
    const text =
      'preamble\r\n--graphql\r\ncontent-type: application/json\r\n\r\n{}\r\n--graphql\r\n\r\nnot json\r\n--graphql\r\n\r\n\r\n--graphql\r\n\r\n{"payload":{"data":1}}\r\n--graphql--\r\n\r\n--graphql\r\n\r\n{"after":"the end"}';
    expect(await partsOf(text, 'graphql')).toEqual([{}, { payload: { data: 1 } }]);
    expect(await partsOf('--b\r\n\r\n{"x":1}\r\n--b--', 'b')).toEqual([{ x: 1 }]);
  });

  it('ends quietly on a body cut short', async () => {
    expect(await partsOf('\r\n---\r\n\r\n{"data":{},"hasNext":true}\r\n---\r\n\r\n{"hasNe', '-')).toEqual([{ data: {}, hasNext: true }]);
  });
});

describe('boundaryOf', () => {
  it('reads the boundary of multipart/mixed only', () => {
    expect(boundaryOf('multipart/mixed; boundary="-"; deferSpec=20220824')).toBe('-');
    expect(boundaryOf('multipart/mixed;boundary=graphql;subscriptionSpec="1.0"')).toBe('graphql');
    expect(boundaryOf('Multipart/Mixed; Boundary="x y"')).toBe('x y');
    expect(boundaryOf('application/json; charset=utf-8')).toBeNull();
    expect(boundaryOf('multipart/mixed')).toBeNull();
    expect(boundaryOf('multipart/mixed; boundary=""')).toBeNull();
    expect(boundaryOf(null)).toBeNull();
  });
});
