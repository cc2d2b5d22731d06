import { describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from './parsePrometheusText.js';

describe('parsePrometheusText (the /metrics test depends on it refusing bad text)', () => {
  it('reads samples with labels, and NaN in any case', () => {
    const samples = parsePrometheusText('# HELP a_total A.\n# TYPE a_total counter\na_total{x="1",y="q\\"uote"} 3\n# TYPE g gauge\ng Nan\n');
    expect(valueOf(samples, 'a_total', { x: '1' })).toBe(3);
    expect(samples[0]!.labels.y).toBe('q"uote');
    expect(Number.isNaN(samples[1]!.value)).toBe(true);
  });

  it.each([
    ['a sample without TYPE', 'a_total 1\n'],
    ['a malformed label', '# TYPE a counter\na{x=1} 1\n'],
    ['a value that is not a number', '# TYPE a counter\na one\n'],
    ['a stray comment', '# nonsense\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
