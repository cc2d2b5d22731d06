import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSupergraphManager, type SupergraphManagerOptions } from '../../../gateway/supergraph/createSupergraphManager.js';
import { fetchSupergraph } from '../../../gateway/supergraph/fetchSupergraph.js';
import { readSupergraph } from '../../../gateway/supergraph/readSupergraph.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A manager, initialized as Apollo Gateway would, with an `update` that records what it was handed. */
async function started(options: Omit<SupergraphManagerOptions, 'logger' | 'pollIntervalMs' | 'watch'> & { accept?: (sdl: string) => void }) {
  const logs: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
  const outcomes: string[] = [];
  const manager = createSupergraphManager({ ...options, watch: true, pollIntervalMs: 10, logger, onReload: (outcome) => outcomes.push(outcome) });
  const updates: string[] = [];
  const update = (sdl: string) => {
    options.accept?.(sdl);
    updates.push(sdl);
  };
  const { supergraphSdl, cleanup } = await manager.initialize({ update, healthCheck: async () => {}, getDataSource: () => ({}) as never });
  cleanups.push(() => cleanup?.());
  // The file watcher compares each stat with the one before: let it take its first.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const refusals = () => logs.filter((line) => line.msg.startsWith('kept the previous supergraph: ')).map((line) => line.msg);
  return { manager, supergraphSdl, updates, outcomes, refusals };
}

function supergraphFile(content: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-manager-'));
  const file = path.join(dir, 'supergraph.graphql');
  writeFileSync(file, content);
  /** Replaces the file as deploy tools do: written aside, renamed over. */
  const replace = (next: string) => {
    const aside = path.join(dir, `next-${Math.random()}`);
    writeFileSync(aside, next);
    renameSync(aside, file);
  };
  return { file, replace };
}

describe('createSupergraphManager', () => {
  it('hands Apollo Gateway the prepared SDL at start, then each file renamed over the watched one', async () => {
    const { file, replace } = supergraphFile('first');
    const { manager, supergraphSdl, updates, outcomes } = await started({
      source: file,
      kind: 'file',
      read: () => readSupergraph(file, 5000),
      initialSdl: 'first',
      prepare: (sdl) => `prepared ${sdl}`,
    });
    expect(supergraphSdl).toBe('prepared first');
    expect(manager.status()).toMatchObject({ source: file, reloads: 0 });
    replace('second');
    await vi.waitFor(() => expect(updates).toEqual(['prepared second']), { timeout: 10_000 });
    expect(manager.status()).toMatchObject({ reloads: 1 });
    expect(manager.status().lastError).toBeUndefined();
    expect(outcomes).toEqual(['success']);
  });

  it('polls a URL and swaps to what it serves next; a failing URL is refused once, and the previous supergraph kept', async () => {
    let served = { status: 200, body: 'first' };
    const server = createServer((_req, res) => res.writeHead(served.status).end(served.body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/supergraph.graphql`;
    const { manager, updates, outcomes, refusals } = await started({ source: url, kind: 'url', read: () => fetchSupergraph(url, 1000), initialSdl: 'first' });
    served = { status: 200, body: 'second' };
    await vi.waitFor(() => expect(updates).toEqual(['second']), { timeout: 10_000 });
    served = { status: 503, body: 'maintenance' };
    await vi.waitFor(() => expect(manager.status().lastError?.message).toBe(`Cannot download the supergraph ${url}: it answered HTTP 503`), {
      timeout: 10_000,
    });
    // Polled many times more while down: reported once.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(refusals()).toHaveLength(1);
    expect(outcomes).toEqual(['success', 'failure']);
    expect(manager.status().reloads).toBe(1);
    served = { status: 200, body: 'third' };
    await vi.waitFor(() => expect(updates).toEqual(['second', 'third']), { timeout: 10_000 });
    expect(manager.status().lastError).toBeUndefined();
  });

  it('keeps serving the previous supergraph when Apollo Gateway refuses the new one, and says why in its terms', async () => {
    const { file, replace } = supergraphFile('first');
    const { manager, updates, refusals } = await started({
      source: file,
      kind: 'file',
      read: () => readSupergraph(file, 5000),
      initialSdl: 'first',
      accept: (sdl) => {
        if (sdl === 'bad') throw new Error('Invalid supergraph: must be a core schema');
      },
    });
    replace('bad');
    await vi.waitFor(() => expect(manager.status().lastError?.message).toMatch(/cannot be used: The supergraph .* names no subgraphs/), { timeout: 10_000 });
    expect(refusals()).toHaveLength(1);
    expect(updates).toEqual([]);
    expect(manager.status().reloads).toBe(0);
    // Back to the one served: nothing to reload, and the refusal cleared; the same mistake again is refused and reported again.
    replace('first');
    await vi.waitFor(() => expect(manager.status().lastError).toBeUndefined(), { timeout: 10_000 });
    replace('bad');
    await vi.waitFor(() => expect(refusals()).toHaveLength(2), { timeout: 10_000 });
    expect(updates).toEqual([]);
    // The next good one is taken, and clears the refusal.
    replace('good');
    await vi.waitFor(() => expect(updates).toEqual(['good']), { timeout: 10_000 });
    expect(manager.status()).toMatchObject({ reloads: 1 });
    expect(manager.status().lastError).toBeUndefined();
  });

  it('logs a refusal in one bounded line, however much of the file the reason quotes', async () => {
    const { file, replace } = supergraphFile('first');
    const { refusals } = await started({
      source: file,
      kind: 'file',
      read: () => readSupergraph(file, 5000),
      initialSdl: 'first',
      accept: (sdl) => {
        throw new Error(`Syntax Error: Unexpected Name "${sdl}".`);
      },
    });
    replace('a'.repeat(100_000));
    await vi.waitFor(() => expect(refusals()).toHaveLength(1), { timeout: 10_000 });
    expect(refusals()[0]).toMatch(/is not valid GraphQL SDL: Syntax Error: Unexpected Name "a+… \(cut: \d+ characters in all\)$/);
    expect(refusals()[0]!.length).toBeLessThan(600);
  });

  it('gives Apollo Gateway the previous supergraph back when what Portico derives from the new one is refused', async () => {
    const { file, replace } = supergraphFile('first');
    let derivable = true;
    const { manager, updates } = await started({
      source: file,
      kind: 'file',
      read: () => readSupergraph(file, 5000),
      initialSdl: 'first',
      confirm: () => {
        if (!derivable) throw new Error('subgraphs.gone: no subgraph of that name');
      },
    });
    derivable = false;
    replace('second');
    await vi.waitFor(() => expect(updates).toEqual(['second', 'first']), { timeout: 10_000 });
    expect(manager.status().lastError?.message).toContain('subgraphs.gone: no subgraph of that name');
    expect(manager.status().reloads).toBe(0);
  });

  it('loads a refused supergraph a URL keeps serving once, not at every poll', async () => {
    let body = 'first';
    const server = createServer((_req, res) => res.writeHead(200).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/supergraph.graphql`;
    let derivable = true;
    const { manager, updates } = await started({
      source: url,
      kind: 'url',
      read: () => fetchSupergraph(url, 1000),
      initialSdl: 'first',
      confirm: () => {
        if (!derivable) throw new Error('subgraphs.gone: no subgraph of that name');
      },
    });
    derivable = false;
    body = 'second';
    await vi.waitFor(() => expect(manager.status().lastError?.message).toContain('subgraphs.gone'), { timeout: 10_000 });
    // Polled every 10 ms meanwhile: Apollo Gateway was handed the refused one, and the served one back, once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(updates).toEqual(['second', 'first']);
    derivable = true;
    body = 'third';
    await vi.waitFor(() => expect(updates).toEqual(['second', 'first', 'third']), { timeout: 10_000 });
  });

  it('stops watching at cleanup', async () => {
    const { file, replace } = supergraphFile('first');
    const { updates } = await started({ source: file, kind: 'file', read: () => readSupergraph(file, 5000), initialSdl: 'first' });
    await cleanups.pop()!();
    replace('second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(updates).toEqual([]);
  });
});
