import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runGatewayProcess } from '../gateway/fixtures/runGatewayProcess.js';
import { send } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// What an operator's mistake (or an attacker with write access to the supergraph's directory)
// can put at `supergraph.path`: a FIFO, which blocks whoever opens it until a writer comes.
// Neither the reloads nor the process's exit may wait for one.
const dir = mkdtempSync(join(tmpdir(), 'portico-hostile-supergraph-'));
const served = resolve('schema/supergraph.graphql');

/** Puts a FIFO where `file` is, as a rename over it (what the watcher sees as a new file). */
function fifoOver(file: string) {
  const fifo = join(mkdtempSync(join(dir, 'fifo-')), 'supergraph.graphql');
  execFileSync('mkfifo', [fifo]);
  renameSync(fifo, file);
}

describe('a FIFO at supergraph.path', () => {
  let target: Target | undefined;

  afterAll(async () => {
    // A gateway that did not exit on SIGTERM (what this test guards against) is not waited for.
    if (target?.alive()) target.gateway.child.kill('SIGKILL');
    await target?.close();
  });

  it('is refused as a reload; the next supergraph loads, and SIGTERM still exits 0', async () => {
    const file = join(dir, 'supergraph.graphql');
    copyFileSync(served, file);
    target = await startTarget({ mode: 'development', config: { supergraph: { path: file, pollIntervalMs: 50 } } });
    fifoOver(file);
    await vi.waitFor(() => expect(target!.output()).toContain(`Cannot read the supergraph ${file}: it is a FIFO, not a regular file`), { timeout: 10_000 });
    // A changed supergraph (the same schema, a comment more), renamed over the FIFO.
    const next = join(mkdtempSync(join(dir, 'next-')), 'supergraph.graphql');
    writeFileSync(next, `${readFileSync(served, 'utf8')}\n# the next deploy\n`);
    renameSync(next, file);
    await vi.waitFor(
      async () => {
        const ready = await send(`${target!.origin}/ready`);
        expect(ready.body).toMatchObject({ details: { supergraph: { reloads: 1 } } });
      },
      { timeout: 10_000 },
    );
    const answer = await send(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { upc } }' }),
    });
    expect(answer.body).toMatchObject({ data: { topProducts: [{ upc: expect.any(String) }] } });
    // A FIFO again, then the stop: nothing may be left waiting on it.
    fifoOver(file);
    await vi.waitFor(() => expect(target!.output().split('it is a FIFO, not a regular file').length).toBe(3), { timeout: 10_000 });
    target.gateway.child.kill('SIGTERM');
    const exit = await Promise.race([target.gateway.exited, new Promise((done) => setTimeout(() => done('still running after 15 s'), 15_000))]);
    expect(exit).toBe(0);
  });

  it('fails the start with one line saying what is wrong, without waiting for a writer', async () => {
    const fifo = join(mkdtempSync(join(dir, 'start-')), 'supergraph.graphql');
    execFileSync('mkfifo', [fifo]);
    const run = runGatewayProcess(['--supergraph', fifo, '--port', '0', '--host', '127.0.0.1']);
    const exit = await Promise.race([run.exited, new Promise((done) => setTimeout(() => done('still running after 15 s'), 15_000))]);
    if (exit !== 1) run.child.kill('SIGKILL');
    expect(exit).toBe(1);
    const problems = run
      .output()
      .split('\n')
      .filter((line) => line.startsWith('portico gateway: '));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`supergraph.path: `);
    expect(problems[0]).toContain(fifo);
  });
});
