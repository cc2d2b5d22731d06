import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type StartedDev } from '../support/startDev.js';
import { copyRepository } from './helpers/copyRepository.js';

// Editing SDL under `portico dev` changes the repository, so it runs in a scratch copy.
let copy: ReturnType<typeof copyRepository>;
let stack: StartedDev;

beforeAll(async () => {
  copy = copyRepository();
  stack = await startDev({ cwd: copy.root });
}, 90_000);

afterAll(async () => {
  if (stack && stack.dev.exitCode === null) {
    stack.dev.kill('SIGINT');
    await stack.exited;
  }
  copy?.remove();
}, 60_000);

async function ask(query: string): Promise<{ data?: unknown; errors?: Array<{ message: string }> }> {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}:\n${stack.lines.slice(-30).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('portico dev, when a subgraph\'s SDL is edited', () => {
  const sdlFile = () => join(copy.root, 'schema/products.graphql');
  const query = '{ topProducts(first: 1) { name description } }';

  it('keeps serving the last supergraph that composed when the edit does not compose', async () => {
    const original = readFileSync(sdlFile(), 'utf8');
    writeFileSync(sdlFile(), original.replace('@key(fields: "upc")', '@key(fields: "nope")'));
    try {
      await until(async () => stack.lines.some((line) => line.includes('no longer compose')), 'dev reports the composition error');
      expect(stack.lines.some((line) => line.startsWith('dev | error['))).toBe(true);
      expect((await ask('{ topProducts(first: 1) { name } }')).errors).toBeUndefined();
    } finally {
      writeFileSync(sdlFile(), original);
    }
  });

  it('recomposes, restarts that subgraph, and the gateway serves the new field without a restart', async () => {
    expect((await ask(query)).errors?.[0]?.message).toMatch(/Cannot query field "description"/);
    const gatewayLines = () => stack.lines.filter((line) => line.startsWith('gateway | ')).length;
    const before = gatewayLines();
    writeFileSync(sdlFile(), readFileSync(sdlFile(), 'utf8').replace('  name: String!\n', '  name: String!\n  "Not in the catalog yet."\n  description: String\n'));
    await until(async () => (await ask(query)).errors === undefined, 'the gateway serves Product.description');
    const body = await ask(query);
    expect(body.data).toEqual({ topProducts: [{ name: expect.any(String), description: null }] });
    expect(stack.lines.some((line) => line.startsWith('dev | products changed: recomposed'))).toBe(true);
    expect(stack.lines.some((line) => line.startsWith('dev | products stopped'))).toBe(false);
    expect(stack.lines.slice(-200).some((line) => line.includes('reloaded the supergraph'))).toBe(true);
    expect(gatewayLines()).toBeGreaterThan(before);
    expect(stack.dev.exitCode).toBeNull();
  });
});
