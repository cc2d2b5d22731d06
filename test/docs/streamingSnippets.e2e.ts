import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { createClient } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startStack, type Stack } from '../support/startStack.js';

// The README's real-time examples, run as written against the demo stack (what `npm start`
// serves): the SSE and multipart subscription curls and the @defer curl (their text taken from
// the README, only the address changed), and the graphql-ws snippet, executed. A README edit
// that breaks one of them breaks this test.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const README_URL = 'http://localhost:4000/graphql';
const secret = 'readme-snippets-jwt-secret-0123456789';
let stack: Stack;
const running: ChildProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ config: { authentication: { mode: 'optional', secret } } });
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill();
  await stack?.close();
});

/** The section of the README under `heading`, up to the next heading of its level or above (from `##`: a shell comment in a code block is no heading). */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `the README has "${heading}"`).toBeGreaterThan(-1);
  const level = heading.split(' ')[0]!;
  const next = readme.slice(start + heading.length + 2).search(new RegExp(`\\n#{2,${level.length}} `));
  return readme.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

/** The fenced blocks of `text` in `language`. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]!);
}

/** Each `curl` command of a shell block, its continuation lines joined, with the comment lines after it (what it shows). */
function curls(block: string): { command: string; shows: string[] }[] {
  const found: { command: string; shows: string[] }[] = [];
  const lines = block.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (!lines[i]!.startsWith('curl ')) continue;
    let command = lines[i]!;
    while (command.endsWith('\\')) command = `${command.slice(0, -1)} ${lines[(i += 1)]!.trim()}`;
    const shows: string[] = [];
    // The comment lines right after it, up to a blank line: what it prints.
    while (lines[i + 1]?.startsWith('#')) shows.push(lines[(i += 1)]!.slice(2));
    found.push({ command, shows });
  }
  return found;
}

/** Runs a README command (in bash, as a reader pastes it) against the stack; `output()` is what it printed so far. */
function runCommand(command: string) {
  expect(command).toContain(README_URL);
  const child = spawn('bash', ['-c', command.replaceAll(README_URL, stack.url)], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => void (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { output: () => output, exited, stop: () => child.kill() };
}

const token = () => jwt.sign({ sub: '7', exp: Math.floor(Date.now() / 1000) + 300 }, secret, { algorithm: 'HS256' });

/** Writes a review; nothing says when a new subscription's upstream is in place, so callers write until one shows. */
async function writeReview(body: string): Promise<void> {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` },
    body: JSON.stringify({ query: `mutation { createReview(input: { productUpc: "1", body: ${JSON.stringify(body)}, rating: 4 }) { id } }` }),
  });
  expect(response.status).toBe(200);
}

const until = (check: () => void) => vi.waitFor(check, { timeout: 30_000, interval: 500 });

// First: the others write reviews of product 1, whose reviews this one lists.
describe('the README @defer curl', () => {
  it('prints the first payload, then the deferred part, then the closing boundary, as the README shows', async () => {
    const text = section('## @defer (incremental delivery)');
    const [command] = curls(blocks(text, 'sh')[0]!);
    const shown = /```\n(---\n[\s\S]*?)```/.exec(text)![1]!;
    const curl = runCommand(command!.command);
    expect(await curl.exited).toBe(0);
    const output = curl.output().replaceAll('\r\n', '\n');
    // The first part is shown whole; the deferred one up to the elided list.
    const [first, last] = shown.split('\n').filter((line) => line.startsWith('{'));
    expect(output).toContain(`\n${first}\n`);
    expect(output).toContain(`\n${last!.slice(0, last!.indexOf('…'))}`);
    expect(output.trimEnd().endsWith('-----')).toBe(true);
    expect(output.split('\n').filter((line) => line === 'content-type: application/json; charset=utf-8')).toHaveLength(2);
  }, 60_000);
});

describe('the README Subscriptions curls', () => {
  const [sse, multipart] = curls(blocks(section('## Subscriptions'), 'sh')[0]!);

  it('SSE: prints `event: next` with the event as data, as the README shows', async () => {
    expect(sse!.shows).toEqual(['event: next', expect.stringMatching(/^data: \{"data":\{"reviewAdded":/)]);
    const curl = runCommand(sse!.command);
    await until(async () => {
      await writeReview('seen over SSE');
      expect(curl.output()).toContain('seen over SSE');
    });
    curl.stop();
    const event = /event: next\ndata: (.*)\n/.exec(curl.output());
    expect(event).not.toBeNull();
    const shape = JSON.parse(event![1]!) as { data: { reviewAdded: Record<string, unknown> } };
    // The fields the README's line names, in its order.
    expect(Object.keys(shape.data.reviewAdded)).toEqual(['id', 'body', 'product']);
    expect(shape.data.reviewAdded.product).toEqual({ name: expect.any(String) });
  }, 90_000);

  it('multipart: prints each event as a payload part after the boundary, as the README shows', async () => {
    expect(multipart!.shows).toEqual([
      '--graphql',
      'content-type: application/json; charset=utf-8',
      '',
      expect.stringMatching(/^\{"payload":\{"data":\{"reviewAdded":/),
    ]);
    const curl = runCommand(multipart!.command);
    await until(async () => {
      await writeReview('seen over multipart');
      expect(curl.output()).toContain('seen over multipart');
    });
    curl.stop();
    const part = /--graphql\r\ncontent-type: application\/json; charset=utf-8\r\n\r\n(\{"payload".*)\r\n--graphql/.exec(curl.output());
    expect(part).not.toBeNull();
    const shape = JSON.parse(part![1]!) as { payload: { data: { reviewAdded: Record<string, unknown> } } };
    expect(Object.keys(shape.payload.data.reviewAdded)).toEqual(['id', 'body', 'product']);
  }, 90_000);
});

describe('the README graphql-ws snippet', () => {
  it('runs as written and logs the first event', async () => {
    const [snippet] = blocks(section('### WebSocket'), 'ts');
    expect(snippet).toContain("import { createClient } from 'graphql-ws';");
    // The snippet as a function of what it imports and what it leaves to the reader (getToken);
    // its first console.log ends the loop (which completes the subscription).
    const body = (await transform(snippet!.replace("import { createClient } from 'graphql-ws';", ''), { loader: 'ts' })).code;
    const logged: unknown[] = [];
    const firstEvent = new Error('first event');
    const console = {
      log: (value: unknown) => {
        logged.push(value);
        throw firstEvent;
      },
    };
    const wsUrl = stack.url.replace(/^http/, 'ws');
    const clients: { dispose(): unknown }[] = [];
    const create = (options: Parameters<typeof createClient>[0]) => {
      expect(options.url).toBe('ws://localhost:4000/graphql');
      const client = createClient({ ...options, url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
      clients.push(client);
      return client;
    };
    const run = new Function('createClient', 'getToken', 'console', `return (async () => {\n${body}\n})();`) as (
      createClient: typeof create,
      getToken: () => Promise<string>,
      console: { log(value: unknown): void },
    ) => Promise<void>;
    const ran = run(create, async () => token(), console).catch((error: unknown) => {
      if (error !== firstEvent) throw error;
    });
    await until(async () => {
      await writeReview('seen over graphql-ws');
      expect(logged).not.toEqual([]);
    });
    await ran;
    expect(logged[0]).toMatchObject({ reviewAdded: { body: expect.any(String), author: { name: expect.any(String) }, product: { name: expect.any(String) } } });
    for (const client of clients) await client.dispose();
  }, 90_000);
});
