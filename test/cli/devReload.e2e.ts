import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type StartedDev } from '../support/startDev.js';
import { copyRepository } from './helpers/copyRepository.js';
import { runPortico } from './helpers/runPortico.js';
import { startWidgetsService } from './helpers/startWidgetsService.js';

// Editing SDL under `portico dev` changes the repository, so it runs in a scratch copy.
let copy: ReturnType<typeof copyRepository>;
let stack: StartedDev;
let widgets: Awaited<ReturnType<typeof startWidgetsService>>;

// A port the system says is free now: the port a subgraph added later gets is the one after the
// highest routed one, so routing reviews (which dev moves anyway with --auto-ports) just below a
// free port makes the new subgraph's port free rather than a fixed 4005.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  copy = copyRepository();
  widgets = await startWidgetsService();
  const config = join(copy.root, 'schema/supergraph.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('http://localhost:4004/graphql', `http://localhost:${(await freePort()) - 1}/graphql`));
  stack = await startDev({ cwd: copy.root });
}, 90_000);

afterAll(async () => {
  if (stack && stack.dev.exitCode === null) {
    stack.dev.kill('SIGINT');
    await stack.exited;
  }
  await widgets?.stop();
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

describe("portico dev, when a subgraph's SDL is edited", () => {
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
    writeFileSync(
      sdlFile(),
      readFileSync(sdlFile(), 'utf8').replace('  name: String!\n', '  name: String!\n  "Not in the catalog yet."\n  description: String\n'),
    );
    await until(async () => (await ask(query)).errors === undefined, 'the gateway serves Product.description');
    const body = await ask(query);
    expect(body.data).toEqual({ topProducts: [{ name: expect.any(String), description: null }] });
    expect(stack.lines.some((line) => line.startsWith('dev | products changed: recomposed'))).toBe(true);
    expect(stack.lines.some((line) => line.startsWith('dev | products stopped'))).toBe(false);
    expect(stack.lines.slice(-200).some((line) => line.includes('reloaded the supergraph'))).toBe(true);
    expect(gatewayLines()).toBeGreaterThan(before);
    expect(stack.dev.exitCode).toBeNull();
  });

  it('says when a broken SDL composes again, and writes no path with a double slash', async () => {
    const original = readFileSync(sdlFile(), 'utf8');
    writeFileSync(sdlFile(), original.replace('@key(fields: "upc")', '@key(fields: "nope")'));
    await until(async () => stack.lines.filter((line) => line.includes('no longer compose')).length >= 2, 'dev reports the composition error again');
    // Any line from here on: the gateway logs its reload (and earlier requests) after dev's line.
    const from = stack.lines.length;
    writeFileSync(sdlFile(), original);
    await until(async () => stack.lines.slice(from).some((line) => line.includes('The subgraphs compose again.')), 'dev says the subgraphs compose again');
    expect(stack.lines.filter((line) => line.startsWith('dev |') && /[^:]\/\//.test(line))).toEqual([]);
  });
});

describe('portico dev, when a subgraph is added or removed while it runs', () => {
  it('starts the added subgraph, so the gateway serves its fields, and stops it once it is removed', async () => {
    const added = await runPortico(copy.root, ['subgraph', 'add', 'widgets', '--rest', widgets.baseUrl]);
    expect(added.code, added.stderr).toBe(0);
    // The next steps point at this stack's gateway, not at the default port.
    expect(added.stdout).toContain(`Query it through the gateway at ${stack.url}, e.g.`);
    expect(added.stdout).toMatch(/portico dev \(process \d+\) is running here: it starts widgets within seconds/);

    await until(async () => (await ask('{ widget(id: "1") { id name } }')).errors === undefined, 'the gateway serves Query.widget');
    expect((await ask('{ widget(id: "1") { id name } }')).data).toEqual({ widget: { id: '1', name: 'Sprocket' } });
    expect(stack.lines.some((line) => /^dev \| started widgets at http:\/\/localhost:\d+\/graphql$/.test(line))).toBe(true);
    expect(stack.lines.some((line) => line.startsWith('dev | widgets stopped'))).toBe(false);

    const removed = await runPortico(copy.root, ['subgraph', 'remove', 'widgets']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`its gateway at ${stack.url} serves the supergraph without it`);
    await until(async () => stack.lines.includes('dev | stopped widgets: it is no longer in schema/supergraph.yaml'), 'dev stops widgets');
    await until(
      async () => /Cannot query field "widget"/.test((await ask('{ widget(id: "1") { id } }')).errors?.[0]?.message ?? ''),
      'the gateway drops Query.widget',
    );
    expect((await ask('{ topProducts(first: 1) { name } }')).errors).toBeUndefined();
    expect(stack.dev.exitCode).toBeNull();
  }, 180_000);
});
