import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateLimitFields, type QuotaPolicy } from '../../gateway/traffic/rateLimitFields.js';

const policy = (name: string, byCost = false): QuotaPolicy => ({ name, limit: 600, windowSeconds: 60, byCost });

describe('rateLimitFields', () => {
  it('writes the RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers, each item named', () => {
    const [address, operations, cost] = [policy('address'), policy('default'), { ...policy('cost', true), limit: 50_000 }];
    expect(
      rateLimitFields(
        [address, operations, cost],
        [
          { policy: operations, remaining: 598, resetSeconds: 41.2 },
          { policy: cost, remaining: -3, resetSeconds: 0 },
        ],
      ),
    ).toEqual({
      'ratelimit-policy': '"address";q=600;w=60, "default";q=600;w=60, "cost";q=50000;w=60;qu="cost"',
      ratelimit: '"default";r=598;t=42, "cost";r=0;t=0',
    });
    expect(rateLimitFields([], [])).toEqual({});
  });

  it('always writes a valid header value, whatever a rule is called', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (name) => {
        const fields = rateLimitFields([policy(name)], [{ policy: policy(name), remaining: 1, resetSeconds: 1 }]);
        for (const value of Object.values(fields)) {
          expect(value).toMatch(/^[\x20-\x7e]+$/);
          // The name is one Structured Fields string: quotes and backslashes inside it escaped.
          expect(value).toMatch(/^"(?:[^"\\]|\\["\\])*";/);
          expect(() => new Headers({ ratelimit: value })).not.toThrow();
        }
      }),
      { numRuns: 300 },
    );
  });
});
