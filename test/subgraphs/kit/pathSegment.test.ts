import { describe, expect, it } from 'vitest';
import { pathSegment } from '../../../subgraphs/kit/rest/pathSegment.js';

describe('pathSegment', () => {
  it('refuses "", "." and ".." with NOT_FOUND: no path segment can name them', () => {
    for (const key of ['', '.', '..']) {
      expect(() => pathSegment(key)).toThrow(expect.objectContaining({ extensions: { code: 'NOT_FOUND' } }));
    }
  });

  it('encodes every other key into one segment, dots and encoded dots included', () => {
    expect(pathSegment('...')).toBe('...');
    expect(pathSegment('.a')).toBe('.a');
    expect(pathSegment('%2e%2e')).toBe('%252e%252e');
    expect(pathSegment('../reviews')).toBe('..%2Freviews');
    expect(pathSegment('a b?c#d')).toBe('a%20b%3Fc%23d');
    // Whatever a key holds, the URL's path keeps it as one segment, never resolved away.
    for (const key of ['...', '%2e', '%2E%2e', './x', 'x/..', '\\..', '..\\']) {
      const url = new URL(`http://host/products/${pathSegment(key)}/reviews`);
      expect(url.pathname.split('/')).toHaveLength(4);
      expect(decodeURIComponent(url.pathname.split('/')[2]!)).toBe(key);
    }
  });
});
