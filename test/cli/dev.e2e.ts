import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

// `portico dev` as a person runs it (what `npm start` runs), with free ports so it cannot
// collide with anything: it starts nine processes, answers through the gateway, and Ctrl-C
// stops every one of them.
let dev: ChildProcess | undefined;

afterAll(() => {
  if (dev && dev.exitCode === null) dev.kill('SIGKILL');
});

// Every Node process whose parent is `pid`, from /proc. (tsx's esbuild service is a child of
// the dev process too, but it is not one of the services.)
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
    return true;
  } catch {
    return false;
  }
}

describe('portico dev', () => {
  it('runs the whole stack, answers through the gateway, and stops everything on SIGINT', async () => {
    dev = spawn(process.execPath, ['bin/portico.js', 'dev', '--port', '0', '--auto-ports'], {
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const collect = (stream: NodeJS.ReadableStream) => createInterface({ input: stream }).on('line', (line) => lines.push(line));
    collect(dev.stdout!);
    collect(dev.stderr!);
    const exited = new Promise<number | null>((resolve) => dev!.once('exit', (code) => resolve(code)));

    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const ready = lines.find((line) => line.startsWith('Portico is running.'));
        if (ready) {
          clearInterval(timer);
          resolve(/GraphQL: (\S+)/.exec(ready)![1]!);
        }
      }, 50);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`portico dev exited with ${code}:\n${lines.join('\n')}`));
      });
    });

    // Every service says where it is, prefixed by its name.
    for (const name of ['users-service', 'reviews-service', 'catalog-service', 'inventory-service', 'accounts', 'products', 'inventory', 'reviews']) {
      expect(lines.some((line) => line.startsWith(`dev | ${name} `)), `${name} listed`).toBe(true);
      expect(lines.some((line) => line.startsWith(`${name} | `)), `${name} log lines are prefixed`).toBe(true);
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

    const children = nodeChildrenOf(dev.pid!);
    expect(children).toHaveLength(9);

    dev.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const pid of children) expect(isAlive(pid), `child ${pid} stopped`).toBe(false);
  });
});
