import { describe, expect, it } from 'vitest';
import { boundClientText, MAX_NAME_LENGTH } from '../../../gateway/pipeline/operationRecording/boundClientText.js';
import { createMemoryOperationStore } from '../../../gateway/pipeline/operationRecording/createMemoryOperationStore.js';
import { OTHER_CLIENTS, type OperationSighting } from '../../../gateway/pipeline/operationRecording/RecordedOperation.js';

const sighting = (overrides: Partial<OperationSighting> = {}): OperationSighting => ({
  hash: 'h1',
  operationName: 'Top',
  clientName: 'web',
  clientVersion: '1.0',
  document: '{ a }',
  seenAt: Date.UTC(2026, 0, 1),
  ...overrides,
});

describe('boundClientText', () => {
  it('keeps printable text, cuts it to MAX_NAME_LENGTH, and replaces control characters and lone surrogates', () => {
    expect(boundClientText('web-app 1.2')).toBe('web-app 1.2');
    expect(boundClientText(undefined)).toBe('');
    expect(boundClientText('x'.repeat(10_000))).toBe('x'.repeat(MAX_NAME_LENGTH));
    expect(boundClientText('a\u0000b\nc\u007fd\u009be')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde');
    expect(boundClientText('caf\u00e9 \u{1f600}')).toBe('caf\u00e9 \u{1f600}');
    expect(boundClientText('lone \ud800 high')).toBe('lone \ufffd high');
  });
});

describe('the in-memory operation store', () => {
  it('counts each distinct operation per client, the most recently seen first', async () => {
    const store = createMemoryOperationStore({ maxOperations: 10, maxClientsPerOperation: 20 });
    store.record(sighting());
    store.record(sighting({ clientName: 'ios' }));
    store.record(sighting({ seenAt: Date.UTC(2026, 0, 2) }));
    expect(await store.list()).toEqual([
      { hash: 'h1', operationName: 'Top', clientName: 'web', clientVersion: '1.0', document: '{ a }', lastSeen: '2026-01-02T00:00:00.000Z', count: 2 },
      { hash: 'h1', operationName: 'Top', clientName: 'ios', clientVersion: '1.0', document: '{ a }', lastSeen: '2026-01-01T00:00:00.000Z', count: 1 },
    ]);
  });

  it('keeps at most maxOperations, and a name such as __proto__ as any other', async () => {
    const store = createMemoryOperationStore({ maxOperations: 3, maxClientsPerOperation: 20 });
    for (const name of ['__proto__', 'constructor', 'a', 'b']) store.record(sighting({ operationName: name, clientName: name }));
    const listed = await store.list();
    expect(listed.map((operation) => operation.operationName)).toEqual(['b', 'a', 'constructor']);
    expect(({} as Record<string, unknown>).count).toBeUndefined();
  });

  it('keeps the document of an operation still being seen while one-shot ones come and go', async () => {
    const store = createMemoryOperationStore({ maxOperations: 3, maxClientsPerOperation: 20 });
    const seen = (hash: string, at: number) =>
      store.record(sighting({ hash, operationName: hash, document: `{ ${hash} }`, seenAt: Date.UTC(2026, 0, 1, 0, 0, at) }));
    seen('kept', 0);
    seen('kept', 1);
    // A flood of one-shot documents: each pushes out the previous one, never kept or its text.
    for (let at = 2; at < 50; at += 1) seen(`flood${at}`, at);
    const listed = await store.list();
    expect(listed.map((operation) => [operation.hash, operation.document, operation.count])).toEqual([
      ['flood49', '{ flood49 }', 1],
      ['flood48', '{ flood48 }', 1],
      ['kept', '{ kept }', 2],
    ]);
  });

  it('evicts the least used first, the least recently seen among equals', async () => {
    const store = createMemoryOperationStore({ maxOperations: 3, maxClientsPerOperation: 20 });
    const seen = (hash: string, at: number) => store.record(sighting({ hash, operationName: hash, seenAt: Date.UTC(2026, 0, 1, 0, 0, at) }));
    seen('a', 0);
    seen('a', 1);
    seen('a', 2);
    seen('b', 3);
    seen('b', 4);
    seen('c', 5);
    seen('c', 6);
    // b and c both twice; b was last seen first, so d takes its place.
    seen('d', 7);
    expect((await store.list()).map((operation) => `${operation.hash}×${operation.count}`)).toEqual(['d×1', 'c×2', 'a×3']);
    // d is now the least used, and goes next.
    seen('e', 8);
    expect((await store.list()).map((operation) => `${operation.hash}×${operation.count}`)).toEqual(['e×1', 'c×2', 'a×3']);
  });

  it('counts clients past maxClientsPerOperation in one record of their operation, so that they push nothing out', async () => {
    const store = createMemoryOperationStore({ maxOperations: 5, maxClientsPerOperation: 2 });
    store.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: 'ios', clientVersion: '2.0' }));
    store.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: 'ios', clientVersion: '2.0' }));
    for (let index = 0; index < 1020; index += 1) store.record(sighting({ hash: 'typename', operationName: null, clientName: `junk-${index}` }));
    // A client that calls itself the folded record's name is a client like any other.
    store.record(sighting({ hash: 'ios', operationName: 'IosReviews', clientName: OTHER_CLIENTS, clientVersion: '' }));
    const listed = await store.list();
    expect(listed).toHaveLength(5);
    const byKey = Object.fromEntries(listed.map((operation) => [`${operation.hash}/${operation.clientName}`, operation]));
    expect(byKey['ios/ios']?.count).toBe(2);
    expect(byKey['typename/junk-0']?.count).toBe(1);
    expect(byKey['typename/junk-1']?.count).toBe(1);
    expect(byKey[`typename/${OTHER_CLIENTS}`]).toMatchObject({ clientVersion: '', otherClients: true, count: 1018 });
    expect(byKey[`ios/${OTHER_CLIENTS}`]).toMatchObject({ count: 1 });
    expect(byKey[`ios/${OTHER_CLIENTS}`]?.otherClients).toBeUndefined();
  });

  it('gives an evicted client its slot back', async () => {
    const store = createMemoryOperationStore({ maxOperations: 2, maxClientsPerOperation: 1 });
    store.record(sighting({ hash: 'a', clientName: 'first' }));
    store.record(sighting({ hash: 'b', clientName: 'other' }));
    store.record(sighting({ hash: 'b', clientName: 'other' }));
    // A third operation pushes out a/first, the least used: a's slot is free for a new client.
    store.record(sighting({ hash: 'c', clientName: 'x' }));
    store.record(sighting({ hash: 'a', clientName: 'second' }));
    expect((await store.list()).map((operation) => `${operation.hash}/${operation.clientName}`).sort()).toEqual(['a/second', 'b/other']);
  });
});
