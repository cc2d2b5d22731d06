import { describe, expect, it } from 'vitest';
import { adjustConcurrencyLimit } from '../../gateway/traffic/adjustConcurrencyLimit.js';

const bounds = { min: 4, max: 100, targetDelayMs: 4 };

describe('adjustConcurrencyLimit', () => {
  it('shrinks by a fifth while the event loop is late, down to the floor', () => {
    expect(adjustConcurrencyLimit(50, { delayMs: 9, queued: true }, bounds)).toBe(40);
    expect(adjustConcurrencyLimit(50, { delayMs: 9, queued: false }, bounds)).toBe(40);
    expect(adjustConcurrencyLimit(5, { delayMs: 9, queued: true }, bounds)).toBe(4);
    expect(adjustConcurrencyLimit(4, { delayMs: 100, queued: true }, bounds)).toBe(4);
  });

  it('grows by a quarter while requests wait and the event loop is prompt, up to the ceiling', () => {
    expect(adjustConcurrencyLimit(16, { delayMs: 1, queued: true }, bounds)).toBe(20);
    expect(adjustConcurrencyLimit(4, { delayMs: 0, queued: true }, bounds)).toBe(5);
    expect(adjustConcurrencyLimit(90, { delayMs: 0, queued: true }, bounds)).toBe(100);
  });

  it('holds when nobody waits, or when the delay is near the target', () => {
    expect(adjustConcurrencyLimit(16, { delayMs: 0, queued: false }, bounds)).toBe(16);
    expect(adjustConcurrencyLimit(16, { delayMs: 3, queued: true }, bounds)).toBe(16);
    expect(adjustConcurrencyLimit(16, { delayMs: 4, queued: true }, bounds)).toBe(16);
  });
});
