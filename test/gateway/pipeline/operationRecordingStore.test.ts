import { describe, expect, it } from 'vitest';
import { boundClientText, MAX_NAME_LENGTH } from '../../../gateway/pipeline/operationRecording/boundClientText.js';
import { createMemoryOperationStore } from '../../../gateway/pipeline/operationRecording/createMemoryOperationStore.js';
import type { OperationSighting } from '../../../gateway/pipeline/operationRecording/RecordedOperation.js';

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
    const store = createMemoryOperationStore(10);
    store.record(sighting());
    store.record(sighting({ clientName: 'ios' }));
    store.record(sighting({ seenAt: Date.UTC(2026, 0, 2) }));
    expect(await store.list()).toEqual([
      { hash: 'h1', operationName: 'Top', clientName: 'web', clientVersion: '1.0', document: '{ a }', lastSeen: '2026-01-02T00:00:00.000Z', count: 2 },
      { hash: 'h1', operationName: 'Top', clientName: 'ios', clientVersion: '1.0', document: '{ a }', lastSeen: '2026-01-01T00:00:00.000Z', count: 1 },
    ]);
  });

  it('keeps at most maxOperations, and a name such as __proto__ as any other', async () => {
    const store = createMemoryOperationStore(3);
    for (const name of ['__proto__', 'constructor', 'a', 'b']) store.record(sighting({ operationName: name, clientName: name }));
    const listed = await store.list();
    expect(listed.map((operation) => operation.operationName)).toEqual(['b', 'a', 'constructor']);
    expect(({} as Record<string, unknown>).count).toBeUndefined();
  });

  it('keeps the document of an operation still being seen while others come and go', async () => {
    const store = createMemoryOperationStore(3);
    const seen = (hash: string) => store.record(sighting({ hash, operationName: hash, document: `{ ${hash} }` }));
    seen('kept');
    seen('passing0');
    seen('passing1');
    // Seen again: its tally and its document are both the most recently used now.
    seen('kept');
    // One more operation pushes out the least recently used, passing0, not kept's document.
    seen('passing2');
    const listed = await store.list();
    expect(listed.map((operation) => [operation.hash, operation.document])).toEqual([
      ['passing2', '{ passing2 }'],
      ['kept', '{ kept }'],
      ['passing1', '{ passing1 }'],
    ]);
  });
});
