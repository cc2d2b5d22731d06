import { describe, expect, it } from 'vitest';
import { createKnownDocuments } from '../../gateway/traffic/createKnownDocuments.js';

describe('createKnownDocuments', () => {
  it('keeps the documents clients keep sending while a flood of new ones passes through', () => {
    // Room for about ten documents of 100 bytes.
    const known = createKnownDocuments(1000);
    const everyday = `query Everyday { ${'a '.repeat(45)}}`;
    known.add(everyday);
    const flood = (i: number) => `query Flood${String(i).padStart(4, '0')} { ${'b '.repeat(42)}}`;
    for (let i = 0; i < 200; i += 1) {
      // The fleet's document is looked up between the flood's, as a busy client's would be.
      expect(known.has(everyday), `after ${i} flood documents`).toBe(true);
      known.add(flood(i));
    }
    // The flood's own first documents were the ones pushed out.
    expect(known.has(flood(0))).toBe(false);
    expect(known.has(flood(199))).toBe(true);
  });

  it('forgets a document when told to, and knows nothing it was not given', () => {
    const known = createKnownDocuments();
    expect(known.has('{ a }')).toBe(false);
    known.add('{ a }');
    expect(known.has('{ a }')).toBe(true);
    known.forget('{ a }');
    expect(known.has('{ a }')).toBe(false);
  });
});
