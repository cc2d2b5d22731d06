import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../common/http/HttpError.js';
import { parseRequestTarget } from '../../../common/http/parseRequestTarget.js';

const refused = (target: string) => {
  try {
    parseRequestTarget(target);
  } catch (error) {
    return error instanceof HttpError && error.status === 400;
  }
  return false;
};

describe('parseRequestTarget', () => {
  it('reads origin-form and absolute-form targets, the path as sent', () => {
    expect(parseRequestTarget('/graphql?query=%7B__typename%7D').pathname).toBe('/graphql');
    expect(parseRequestTarget('/graphql?query=%7B__typename%7D').searchParams.get('query')).toBe('{__typename}');
    expect(parseRequestTarget(undefined).pathname).toBe('/');
    expect(parseRequestTarget('http://gateway.example:4000/graphql?x=1').pathname).toBe('/graphql');
    expect(parseRequestTarget('http://gateway.example').pathname).toBe('/');
    expect(parseRequestTarget('/gra%70hql').pathname).toBe('/gra%70hql');
  });

  it('keeps a path that starts with two slashes a path, never a host', () => {
    const url = parseRequestTarget('//metrics.example/metrics');
    expect(url.pathname).toBe('//metrics.example/metrics');
    expect(url.host).toBe('server.invalid');
  });

  it('refuses every path a URL parser would resolve to another', () => {
    for (const target of [
      '/./metrics',
      '/graphql/../metrics',
      '/%2e/metrics',
      '/%2E%2e/metrics',
      '/graphql\\..\\metrics',
      '/a/.',
      '/a/..',
      'http://h/a/../metrics',
    ]) {
      expect(refused(target), target).toBe(true);
    }
  });

  it('refuses what is not a URL', () => {
    for (const target of ['*', 'http://[/', 'graphql']) expect(refused(target), target).toBe(true);
  });

  it('never answers another path than the one sent: the URL it gives has the raw path, or it refuses', () => {
    const segment = fc.constantFrom('.', '..', '%2e', '%2E%2e', '.%2e', 'metrics', 'graphql', '', 'a\\..', '%2f', 'x');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.constantFrom('', '?q=1', '#f'), (segments, suffix) => {
        const path = `/${segments.join('/')}`;
        try {
          expect(parseRequestTarget(path + suffix).pathname).toBe(path);
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
