import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../bench/parseBenchOptions.js';

describe('parseBenchOptions', () => {
  it('lets only a whole run at full length write the committed latest.* results', () => {
    expect(parseBenchOptions([]).name).toBe('latest');
    expect(parseBenchOptions(['--quick']).name).toBe('quick');
    const partials = [
      ['--no-throughput'],
      ['--no-overhead'],
      ['--no-backend-calls'],
      ['--no-attack'],
      ['--only', 'attack'],
      ['--attacks', 'slow-bodies'],
      ['--profile', '/tmp/profiles'],
    ];
    for (const partial of partials) {
      expect(parseBenchOptions(partial).name).toBe('partial');
    }
  });

  it('reads the profile directory and the skipped measurements', () => {
    const options = parseBenchOptions(['--no-throughput', '--profile', '/tmp/profiles']);
    expect(options).toMatchObject({ throughput: false, overhead: true, backendCalls: true, profileDir: '/tmp/profiles' });
    expect(parseBenchOptions([]).profileDir).toBeNull();
  });

  it('runs the "under attack" scenario with every attack by default, 5 s each (3 s quick)', () => {
    expect(parseBenchOptions([])).toMatchObject({ attack: true, attackSeconds: 5 });
    expect(parseBenchOptions([]).attacks).toEqual([
      'jwt-header-injection',
      'prototype-pollution',
      'slow-bodies',
      'invented-api-keys',
      'label-explosion',
      'cpu-bombs',
      'refused-flood',
      'breaker-opening',
    ]);
    expect(parseBenchOptions(['--quick']).attackSeconds).toBe(3);
    expect(parseBenchOptions(['--attack-duration', '2']).attackSeconds).toBe(2);
    expect(parseBenchOptions(['--no-attack']).attack).toBe(false);
  });

  it('--only runs the measurements it names and skips the others', () => {
    expect(parseBenchOptions(['--only', 'attack'])).toMatchObject({ throughput: false, overhead: false, backendCalls: false, attack: true });
    expect(parseBenchOptions(['--only', 'throughput, backend-calls'])).toMatchObject({ throughput: true, overhead: false, backendCalls: true, attack: false });
  });

  it('keeps the chosen attacks in their running order', () => {
    expect(parseBenchOptions(['--attacks', 'breaker-opening,slow-bodies']).attacks).toEqual(['slow-bodies', 'breaker-opening']);
  });

  it('refuses an unknown measurement or attack, naming the choices', () => {
    expect(() => parseBenchOptions(['--only', 'attacks'])).toThrow(/unknown measurement attacks; choose from throughput, overhead, backend-calls, attack/);
    expect(() => parseBenchOptions(['--attacks', 'slowloris'])).toThrow(/unknown attack slowloris; choose from jwt-header-injection/);
  });
});
