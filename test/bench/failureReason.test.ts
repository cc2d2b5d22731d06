import { describe, expect, it } from 'vitest';
import { failureReason } from '../../bench/attack/failureReason.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('failureReason', () => {
  it('names the status and the first error code', () => {
    expect(failureReason(503, json({ errors: [{ message: 'busy', extensions: { code: 'OVERLOADED' } }] }))).toBe('HTTP 503 OVERLOADED');
    expect(failureReason(200, json({ data: null, errors: [{ message: 'x', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] }))).toBe(
      'HTTP 200 SUBGRAPH_UNAVAILABLE',
    );
  });

  it('falls back to the status, or to a wrong answer for a 200 without a code', () => {
    expect(failureReason(502, Buffer.from('<html>bad gateway</html>'))).toBe('HTTP 502');
    expect(failureReason(500, json({ errors: [{ message: 'no code' }] }))).toBe('HTTP 500');
    expect(failureReason(200, json({ data: { topProducts: [] } }))).toBe('wrong answer');
  });

  it('bounds a code the gateway should not have sent', () => {
    expect(failureReason(400, json({ errors: [{ extensions: { code: 'X'.repeat(500) } }] }))).toBe(`HTTP 400 ${'X'.repeat(40)}`);
  });
});
