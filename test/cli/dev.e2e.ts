import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledPath } from '../../scripts/buildDist.js';
import { freePort } from '../support/freePort.js';
import { isRunning, nodeChildrenOf } from '../support/nodeChildrenOf.js';
import { startDev, type StartedDev } from '../support/startDev.js';
import { copyRepository } from './helpers/copyRepository.js';
import { registrySnapshot } from './helpers/registrySnapshot.js';
import { runPortico } from './helpers/runPortico.js';
import { startWeatherService, weatherProto } from './helpers/startWeatherService.js';
import { startWidgetsService } from './helpers/startWidgetsService.js';
import { typeCheckChanged } from './helpers/typeCheckChanged.js';

// `portico dev` as a person runs it (what `npm start` runs), with free ports so it cannot
// collide with anything. One stack serves every test here, in order (nine processes and a
// web server take a while to start on a busy machine, and each start costs seconds of CPU):
// it answers; it follows SDL edits and subgraphs added (a REST and a gRPC one, scaffolded by
// `portico subgraph add` against real services) and removed; it keeps running when a backend
// dies; SIGINT stops it all. Editing SDL changes the repository, so it runs in a
// scratch copy. Killing dev outright needs a stack of its own: devKilled.e2e.ts.
let copy: ReturnType<typeof copyRepository>;
let stack: StartedDev;
let widgets: Awaited<ReturnType<typeof startWidgetsService>>;
let weather: Awaited<ReturnType<typeof startWeatherService>>;
/** A port free when the stack started: the one the first subgraph added gets. */
let firstFreePort: number;
/** Every service process dev has had, so that afterAll can kill what a failed test left. */
const seen = new Set<number>();

function services(): number[] {
  const children = nodeChildrenOf(stack.dev.pid!);
  for (const pid of children) seen.add(pid);
  return children;
}

beforeAll(async () => {
  copy = copyRepository();
  [widgets, weather] = await Promise.all([startWidgetsService(), startWeatherService()]);
  // The port a subgraph added later gets is the one after the highest routed one, so routing
  // reviews (which dev moves anyway with --auto-ports) just below a port the system says is
  // free now makes the new subgraph's port free rather than a fixed 4005.
  const config = join(copy.root, 'schema/supergraph.yaml');
  firstFreePort = await freePort();
  writeFileSync(config, readFileSync(config, 'utf8').replace('http://localhost:4004/graphql', `http://localhost:${firstFreePort - 1}/graphql`));
  stack = await startDev({ cwd: copy.root });
  // A copy to build and nine processes to start, beside other test files.
}, 240_000);

afterAll(async () => {
  if (stack && stack.dev.exitCode === null) {
    stack.dev.kill('SIGKILL');
    await stack.exited;
  }
  for (const pid of seen) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all([widgets?.stop(), weather?.stop()]);
  copy?.remove();
}, 60_000);

const registries = () => registrySnapshot(copy.root);

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

// Waits until no process in `pids` is alive, or fails after `limitMs` naming the survivors.
async function allExit(pids: number[], limitMs: number): Promise<number[]> {
  const until = Date.now() + limitMs;
  while (Date.now() < until && pids.some(isRunning)) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isRunning);
}

// The child started from `entry`, by its command line.
function childRunning(children: number[], entry: string): number {
  const pid = children.find((candidate) => readFileSync(`/proc/${candidate}/cmdline`, 'utf8').includes(entry));
  expect(pid, `a child runs ${entry}`).toBeDefined();
  return pid!;
}

describe('portico dev', { timeout: 120_000 }, () => {
  it('runs the whole stack and answers through the gateway', async () => {
    const { lines, url } = stack;

    // Every service says where it is, and its log lines are prefixed by its name.
    for (const name of ['users-service', 'reviews-service', 'catalog-service', 'inventory-service', 'accounts', 'products', 'inventory', 'reviews']) {
      expect(
        lines.some((line) => line.startsWith(`dev | ${name} `)),
        `${name} listed`,
      ).toBe(true);
      expect(
        lines.some((line) => line.startsWith(`${name} | `)),
        `${name} log lines are prefixed`,
      ).toBe(true);
    }

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 2) { name inStock reviews { author { name } } } }' }),
    });
    const body = (await response.json()) as { data: { topProducts: Array<{ name: string; reviews: Array<{ author: { name: string } }> }> }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.topProducts).toHaveLength(2);
    expect(body.data.topProducts.flatMap((product) => product.reviews).every((review) => typeof review.author.name === 'string')).toBe(true);
    expect(response.headers.get('ratelimit-policy')).toMatch(/^"address";q=3000;w=60, "default";q=600;w=60, "cost";q=50000;w=60;qu="cost"$/);

    // Traffic protection is on out of the box: a cost explosion is refused before planning.
    const costly = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 100) { reviews { author { reviews { body } } } } }' }),
    });
    expect(costly.status).toBe(400);
    expect(((await costly.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');

    // The web client's development server: its page, its modules compiled on demand, and
    // /graphql proxied to this stack's gateway.
    const webUrl = /^Web client \(Vite, hot reload\): (\S+)$/.exec(lines.find((line) => line.startsWith('Web client')) ?? '')?.[1];
    expect(webUrl, lines.join('\n')).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(await (await fetch(webUrl!)).text()).toContain('<div id="root"></div>');
    expect(await await fetch(new URL('src/main.tsx', webUrl))).toHaveProperty('status', 200);
    const proxied = await fetch(new URL('graphql', webUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { name } }' }),
    });
    expect(((await proxied.json()) as { data: { topProducts: unknown[] } }).data.topProducts).toHaveLength(1);

    expect(services()).toHaveLength(9);

    // This machine only: the stack's development tokens are signed with a public secret.
    expect(listeningAddresses(Number(new URL(url).port))).toEqual(['127.0.0.1']);
  });
});

// The local addresses of the TCP sockets listening on `port`, from the kernel's tables (IPv4 and IPv6).
function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) continue;
      const [address = '', hexPort = ''] = local.split(':');
      if (Number.parseInt(hexPort, 16) !== port) continue;
      // IPv4 in the kernel's byte order; IPv6 shown as its hex, which only 0.0.0.0/:: or loopback would be here.
      addresses.push(
        address.length === 8
          ? (address.match(/../g) ?? [])
              .map((byte) => Number.parseInt(byte, 16))
              .reverse()
              .join('.')
          : address,
      );
    }
  }
  return addresses;
}

describe("portico dev, when a subgraph's SDL is edited", { timeout: 120_000 }, () => {
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
    services();
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

// `portico subgraph add` and `remove` as a person runs them beside dev: what they write (the
// files, the registries, generated code that is current and type-checks), that dev starts and
// stops the subgraphs, and that remove gives back every registry as it was. Their refusals and
// the roll-back of an add that does not compose are subgraph.e2e.ts's (no dev needed).
describe('portico dev, when a subgraph is added or removed while it runs', () => {
  /** The registries before the subgraphs were added: what removing them must give back. */
  let before: string[] | undefined;

  it('starts the subgraphs `subgraph add` scaffolds, with generated code that is current and type-checks, and the gateway serves their fields, batched', async () => {
    before = registries();
    const added = await runPortico(copy.root, ['subgraph', 'add', 'widgets', '--rest', widgets.baseUrl]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toBe('');
    // The next steps point at this stack's gateway, not at the default port.
    expect(added.stdout).toContain(`Query it through the gateway at ${stack.url}, e.g.`);
    expect(added.stdout).toMatch(/portico dev \(process \d+\) is running here: it starts widgets within seconds/);
    const addedGrpc = await runPortico(copy.root, ['subgraph', 'add', 'weather', '--grpc', weatherProto, '--address', weather.address]);
    expect(addedGrpc.code, addedGrpc.stderr).toBe(0);
    expect(addedGrpc.stdout).toContain('Not exposed (not reads; add mutations by hand if you want them): ReportReading.');

    // Each gets the port after the highest routed one (reviews', moved in beforeAll).
    expect(readFileSync(join(copy.root, 'schema/supergraph.yaml'), 'utf8')).toMatch(
      new RegExp(
        `widgets:\\n {4}routing_url: http://localhost:${firstFreePort}/graphql[\\s\\S]*weather:\\n {4}routing_url: http://localhost:${firstFreePort + 1}/graphql`,
      ),
    );
    expect(readFileSync(join(copy.root, 'codegen.yml'), 'utf8')).toContain('# Typed resolvers for every subgraph');
    expect(readFileSync(join(copy.root, 'schema/weather.graphql'), 'utf8')).toContain('type Forecast @key(fields: "cityId")');
    // What add and remove regenerate: the typed resolvers and gRPC types (not the explorer bundle).
    expect((await runPortico(copy.root, ['codegen', '--check', '--types-only'])).code).toBe(0);
    expect((await runPortico(copy.root, ['compose', '--check'])).code).toBe(0);
    // The generated subgraphs, and the files that import what the command edited, type-check, strict, as written.
    expect(typeCheckChanged(copy.root, process.cwd())).toEqual(
      expect.arrayContaining(['cli/dev/devServices.ts', 'cli/dev/runDev.ts', 'subgraphs/weather/index.ts', 'subgraphs/widgets/index.ts']),
    );

    await until(async () => (await ask('{ widget(id: "1") { id name } forecast(cityId: "paris") { sky } }')).errors === undefined, 'the gateway serves both');
    expect(stack.lines.some((line) => /^dev \| started widgets at http:\/\/localhost:\d+\/graphql$/.test(line))).toBe(true);
    expect(stack.lines.some((line) => /^dev \| started weather at http:\/\/localhost:\d+\/graphql$/.test(line))).toBe(true);
    expect(stack.lines.some((line) => line.startsWith('dev | widgets stopped'))).toBe(false);
    services();

    // The scaffolded resolvers batch: three forecasts in one GetForecasts call; each widget id fetched once however often asked.
    widgets.calls.length = 0;
    weather.calls.length = 0;
    const body = await ask(`{
      paris: forecast(cityId: "paris") { cityId sky highCelsius issuedAt warnings }
      oslo: forecast(cityId: "oslo") { sky warnings }
      nowhere: forecast(cityId: "nowhere") { cityId }
      stations(region: "north", first: 2) { stations { id name } }
      one: widget(id: "1") { id name }
      two: widget(id: "2") { name }
      again: widget(id: "1") { name }
      missing: widget(id: "404") { id }
      parent: widget(id: "..") { id }
      here: widget(id: ".") { id }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      paris: { cityId: 'paris', sky: 'SUNNY', highCelsius: 21.5, issuedAt: '1700000000000', warnings: [] },
      oslo: { sky: 'RAIN', warnings: ['wind'] },
      nowhere: null,
      stations: {
        stations: [
          { id: 'north-1', name: 'Station 1' },
          { id: 'north-2', name: 'Station 2' },
        ],
      },
      one: { id: '1', name: 'Sprocket' },
      two: { name: 'Flange' },
      again: { name: 'Sprocket' },
      missing: null,
      parent: null,
      here: null,
    });
    expect(weather.calls.filter((call) => call.method === 'GetForecasts')).toEqual([
      { method: 'GetForecasts', request: { cityIds: ['paris', 'oslo', 'nowhere'] } },
    ]);
    // "." and ".." are no widget's id, and never sent: as path segments they would name other paths.
    expect([...widgets.calls].sort()).toEqual(['GET /widgets/1', 'GET /widgets/2', 'GET /widgets/404']);
  }, 300_000);

  it('undoes `subgraph add` with `subgraph remove`: a dry run first, then every registry as it was, the files and generated types gone, and dev stops them', async () => {
    expect(before, 'the subgraphs were added above').toBeDefined();
    expect(existsSync(join(copy.root, 'common/grpc/generated/weather.ts'))).toBe(true);
    const added = registries();

    const dryRun = await runPortico(copy.root, ['subgraph', 'remove', 'weather', '--dry-run']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(
      /^Would remove weather:\n {2}delete schema\/weather\.graphql\n[\s\S]* {2}delete schema\/protos\/weather\.proto\n[\s\S]* {2}edit {3}schema\/supergraph\.yaml \(its entries\)\n[\s\S]*Nothing was changed \(--dry-run\)\.\n$/,
    );
    expect(existsSync(join(copy.root, 'subgraphs/weather/index.ts'))).toBe(true);
    expect(registries()).toEqual(added);

    const removed = await runPortico(copy.root, ['subgraph', 'remove', 'widgets']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`its gateway at ${stack.url} serves the supergraph without it`);
    expect((await runPortico(copy.root, ['subgraph', 'remove', 'weather'])).code).toBe(0);
    expect(registries()).toEqual(before);
    for (const gone of [
      'subgraphs/weather',
      'subgraphs/widgets',
      'schema/weather.graphql',
      'schema/widgets.graphql',
      'schema/protos/weather.proto',
      'common/grpc/generated/weather.ts',
      'common/grpc/generated/acme',
    ]) {
      expect(existsSync(join(copy.root, gone)), gone).toBe(false);
    }

    await until(async () => stack.lines.includes('dev | stopped widgets: it is no longer in schema/supergraph.yaml'), 'dev stops widgets');
    await until(async () => stack.lines.includes('dev | stopped weather: it is no longer in schema/supergraph.yaml'), 'dev stops weather');
    await until(
      async () => /Cannot query field "widget"/.test((await ask('{ widget(id: "1") { id } }')).errors?.[0]?.message ?? ''),
      'the gateway drops Query.widget',
    );
    expect((await ask('{ forecast(cityId: "paris") { sky } }')).errors?.[0]?.message).toMatch(/Cannot query field "forecast"/);
    expect((await ask('{ topProducts(first: 1) { name } }')).errors).toBeUndefined();
    expect(stack.dev.exitCode).toBeNull();
  }, 180_000);
});

describe('portico dev, when a service dies and when it is stopped', { timeout: 120_000 }, () => {
  it('keeps running when a backend dies, so its failure shows in the answers', async () => {
    const { lines, url } = stack;
    const children = services();
    const catalog = childRunning(children, compiledPath('backends/catalog/index.ts'));
    process.kill(catalog, 'SIGTERM');
    expect(await allExit([catalog], 20_000)).toEqual([]);
    while (!lines.some((line) => line.startsWith('dev | catalog-service stopped'))) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines.find((line) => line.startsWith('dev | catalog-service stopped'))).toContain('the rest keep running');

    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topProducts(first: 1) { name } users(first: 1) { name } }' }),
    });
    const body = (await response.json()) as {
      data: { topProducts: unknown; users: unknown[] };
      errors: Array<{ extensions: { code: string; serviceName: string } }>;
    };
    expect(body.data.topProducts).toBeNull();
    expect(body.data.users).toHaveLength(1);
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', serviceName: 'products' });
    expect(children.filter((pid) => pid !== catalog).every(isRunning)).toBe(true);
  });

  it('stops everything on SIGINT and exits 0', async () => {
    const children = services();
    // The eight services the stack still runs (one backend died in the test before).
    expect(children).toHaveLength(8);
    stack.dev.kill('SIGINT');
    expect(await stack.exited).toBe(0);
    expect(children.filter(isRunning)).toEqual([]);
  });
});
