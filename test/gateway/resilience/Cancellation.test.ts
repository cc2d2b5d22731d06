import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../../gateway/resilience/Cancellation.js';

describe('Cancellation', () => {
  it('tells each listener once, in the order they listened, with the reason set first', () => {
    const cancellation = new Cancellation();
    const told: string[] = [];
    cancellation.addEventListener('abort', () => told.push(`fn:${String(cancellation.reason)}`));
    cancellation.addEventListener('abort', { handleEvent: () => told.push('object') });
    cancellation.abort('gone');
    cancellation.abort('again');
    expect(told).toEqual(['fn:gone', 'object']);
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe('gone');
  });

  it('tells no listener that was removed, nor one added after the abort', () => {
    const cancellation = new Cancellation();
    const told: string[] = [];
    const removed = () => told.push('removed');
    cancellation.addEventListener('abort', removed);
    cancellation.removeEventListener('abort', removed);
    cancellation.abort();
    cancellation.addEventListener('abort', () => told.push('late'));
    expect(told).toEqual([]);
  });

  it("gives an AbortError as the reason when none is given, as AbortController's abort does", () => {
    const cancellation = new Cancellation();
    cancellation.abort();
    expect(cancellation.reason).toBeInstanceOf(DOMException);
    expect((cancellation.reason as DOMException).name).toBe('AbortError');
  });
});
