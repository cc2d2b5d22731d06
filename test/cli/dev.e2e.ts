import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledPath } from '../../scripts/buildDist.js';
import { startDev as startDevStack } from '../support/startDev.js';

// `portico dev` as a person runs it (what `npm start` runs), with free ports so it cannot
// collide with anything.
const started: ChildProcess[] = [];
const services: number[] = [];

afterEach(() => {
  for (const pid of [...started.map((child) => child.pid!), ...services]) {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  started.length = 0;
  services.length = 0;
});

// Every Node process whose parent is `pid`, from /proc: the services, and no helper process
// another program may run (such as esbuild's service, which a build starts).
function nodeChildrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split at its end.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        return comm === 'node' && parent === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie has exited; it only waits for its parent to collect it.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8')
      .slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2)
      .startsWith('Z');
  } catch {
    return false;
  }
}

// Starts `portico dev` and records its children, so that each test can kill what is left.
async function startDev() {
  const stack = await startDevStack();
  started.push(stack.dev);
  const children = nodeChildrenOf(stack.dev.pid!);
  services.push(...children);
  return { ...stack, children };
}

// Waits until no process in `pids` is alive, or fails after `limitMs` naming the survivors.
async function allExit(pids: number[], limitMs: number): Promise<number[]> {
  const until = Date.now() + limitMs;
  while (Date.now() < until && pids.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isAlive);
}

// The child started from `entry`, by its command line.
function childRunning(children: number[], entry: string): number {
  const pid = children.find((candidate) => readFileSync(`/proc/${candidate}/cmdline`, 'utf8').includes(entry));
  expect(pid, `a child runs ${entry}`).toBeDefined();
  return pid!;
}

// Each test starts nine processes; beside other test files on two cores that takes a while.
describe('portico dev', { timeout: 120_000 }, () => {
  it('runs the whole stack, answers through the gateway, and stops everything on SIGINT', async () => {
    const { dev, lines, url, exited, children } = await startDev();

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

    expect(children).toHaveLength(9);
    dev.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(children.filter(isAlive)).toEqual([]);
  });

  it('leaves no service running when it is killed outright', async () => {
    const { dev, children } = await startDev();
    expect(children).toHaveLength(9);
    dev.kill('SIGKILL');
    expect(await allExit(children, 20_000)).toEqual([]);
  });

  it('keeps running when a backend dies, so its failure shows in the answers', async () => {
    const { dev, lines, url, children, exited } = await startDev();
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
    expect(children.filter((pid) => pid !== catalog).every(isAlive)).toBe(true);

    dev.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
