import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../bench/parseBenchOptions.js';

describe('parseBenchOptions', () => {
  it('lets only a whole run at full length write the committed latest.* results', () => {
    expect(parseBenchOptions([]).name).toBe('latest');
    expect(parseBenchOptions(['--quick']).name).toBe('quick');
    for (const partial of [['--no-throughput'], ['--no-overhead'], ['--no-backend-calls'], ['--profile', '/tmp/profiles']]) {
      expect(parseBenchOptions(partial).name).toBe('partial');
    }
  });

  it('reads the profile directory and the skipped measurements', () => {
    const options = parseBenchOptions(['--no-throughput', '--profile', '/tmp/profiles']);
    expect(options).toMatchObject({ throughput: false, overhead: true, backendCalls: true, profileDir: '/tmp/profiles' });
    expect(parseBenchOptions([]).profileDir).toBeNull();
  });
});
