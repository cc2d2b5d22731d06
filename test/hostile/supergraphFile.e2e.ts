import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { refusedStartProblems } from './support/refusedStartProblems.js';
import { send } from './support/expectRefused.js';
import { startTarget, type Target } from './support/startTarget.js';

// What an operator's mistake (or whoever may write to the supergraph's directory) can put at
// `supergraph.path`: a file of garbage, a huge one, a FIFO (which blocks whoever opens it until a
// writer comes). Each is refused as a reload; none may flood the log, stop the reloads that
// follow, or keep the process from exiting.
const dir = mkdtempSync(join(tmpdir(), 'portico-hostile-supergraph-'));
const file = join(dir, 'supergraph.graphql');
const served = resolve('schema/supergraph.graphql');

/** Renames `make(aside)`'s result over the watched file, as deploy tools replace it. */
function replaceWith(make: (aside: string) => void) {
  const aside = join(mkdtempSync(join(dir, 'next-')), 'supergraph.graphql');
  make(aside);
  renameSync(aside, file);
}

/** What /ready says of the supergraph (development). */
async function supergraphStatus(target: Target) {
  const ready = await send(`${target.origin}/ready`);
  return (ready.body as { details: { supergraph: { reloads: number } } }).details.supergraph;
}

describe('what can be put at supergraph.path', () => {
  let target: Target;

  beforeAll(async () => {
    copyFileSync(served, file);
    target = await startTarget({ mode: 'development', config: { supergraph: { path: file, pollIntervalMs: 50 } } });
  });

  afterAll(async () => {
    // A gateway that did not exit on SIGTERM (what a test here guards against) is not waited for.
    if (target?.alive()) target.gateway.child.kill('SIGKILL');
    await target?.close();
  });

  it('refuses a file of garbage in one bounded log line, and a file over 32 MiB unread', async () => {
    // graphql-js quotes the whole token it stops at: here, the whole file.
    replaceWith((aside) => writeFileSync(aside, 'a'.repeat(1_000_000)));
    // The whole line: the output arrives in chunks, and what follows the last newline may be cut.
    const refusal = await vi.waitFor(
      () => {
        const line = target
          .output()
          .split('\n')
          .slice(0, -1)
          .find((each) => each.includes('Syntax Error: Unexpected Name'));
        expect(line).toBeDefined();
        return line;
      },
      { timeout: 10_000 },
    );
    expect(refusal?.length).toBeLessThan(2000);
    expect(refusal).toMatch(/… \(cut: \d+ characters in all\)/);
    // Sparse: only its size is ever looked at.
    replaceWith((aside) => {
      writeFileSync(aside, '');
      truncateSync(aside, 33 * 1024 * 1024);
    });
    await vi.waitFor(() => expect(target.output()).toContain(`Cannot read the supergraph ${file}: it is ${33 * 1024 * 1024} bytes, over the`), {
      timeout: 10_000,
    });
    expect((await supergraphStatus(target)).reloads).toBe(0);
  });

  it('refuses a FIFO as a reload; the next supergraph loads, and SIGTERM still exits 0', async () => {
    const fifo = () => replaceWith((aside) => execFileSync('mkfifo', [aside]));
    fifo();
    await vi.waitFor(() => expect(target.output()).toContain(`Cannot read the supergraph ${file}: it is a FIFO, not a regular file`), { timeout: 10_000 });
    // A changed supergraph (the same schema, a comment more), renamed over the FIFO.
    const reloads = (await supergraphStatus(target)).reloads;
    replaceWith((aside) => writeFileSync(aside, `${readFileSync(served, 'utf8')}\n# the next deploy\n`));
    await vi.waitFor(async () => expect((await supergraphStatus(target)).reloads).toBe(reloads + 1), { timeout: 10_000 });
    const answer = await send(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { upc } }' }),
    });
    expect(answer.body).toMatchObject({ data: { topProducts: [{ upc: expect.any(String) }] } });
    // A FIFO again, then the stop: nothing may be left waiting on it.
    fifo();
    await vi.waitFor(() => expect(target.output().split('it is a FIFO, not a regular file')).toHaveLength(3), { timeout: 10_000 });
    target.gateway.child.kill('SIGTERM');
    const exit = await Promise.race([target.gateway.exited, new Promise((done) => setTimeout(() => done('still running after 15 s'), 15_000))]);
    expect(exit).toBe(0);
  });
});

describe('a FIFO at supergraph.path at start', () => {
  it('fails the start with one line saying what is wrong, without waiting for a writer', async () => {
    const fifo = join(mkdtempSync(join(dir, 'start-')), 'supergraph.graphql');
    execFileSync('mkfifo', [fifo]);
    const { problems } = await refusedStartProblems(['--supergraph', fifo, '--port', '0', '--host', '127.0.0.1']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`supergraph.path: `);
    expect(problems[0]).toContain(fifo);
  });
});
