import { describe, expect, it, vi } from 'vitest';
import { runEntryProcess } from '../../support/runEntryProcess.js';

// The process boundary is the point: real signals, real exit codes. The rest is in runService.test.ts.
const fixture = 'test/common/process/fixtures/runFixtureService.mjs';

describe('runService in a real process', () => {
  it('drains on SIGTERM and exits 0 once the stop is done', async () => {
    const run = runEntryProcess(fixture, [], { STOP_MS: '50' });
    await run.port;
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('SIGTERM: draining requests in flight, then stopping');
    expect(run.output()).toContain('"msg":"stopped"');
  });

  it('exits 1 at once on SIGINT twice, while the stop is still running', async () => {
    const run = runEntryProcess(fixture);
    await run.port;
    run.child.kill('SIGINT');
    await vi.waitFor(() => expect(run.output()).toContain('SIGINT: draining'));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('SIGINT again: exiting without waiting for requests in flight');
  });

  it('logs an error nobody caught and exits 1', async () => {
    const run = runEntryProcess(fixture, [], { CRASH: '1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('uncaught error: exiting');
    expect(run.output()).toContain('a bug nobody caught');
  });
});
