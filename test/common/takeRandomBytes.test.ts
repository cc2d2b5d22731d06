import { describe, expect, it } from 'vitest';
import { takeRandomBytes } from '../../common/takeRandomBytes.js';

describe('takeRandomBytes', () => {
  it('hands out each byte of the pool once, across pool refills, as many bytes as asked', () => {
    // 16-byte nonces and 8-byte span ids, well past several 4 KiB pools: no value comes twice.
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const bytes = takeRandomBytes(i % 2 === 0 ? 16 : 8);
      expect(bytes.length).toBe(i % 2 === 0 ? 16 : 8);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(2000);
  });

  it('gives whole values when a request does not fit what is left of the pool', () => {
    // 4096 is not a multiple of 3000: the second value comes from a fresh pool, whole.
    const first = Buffer.from(takeRandomBytes(3000));
    const second = takeRandomBytes(3000);
    expect(second.length).toBe(3000);
    expect(second.equals(first)).toBe(false);
  });
});
