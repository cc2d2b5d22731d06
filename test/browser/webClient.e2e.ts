import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page, Request, WebSocket } from 'playwright-core';
import { type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../cli/token/mintToken.js';
import { startTarget, type Target, targetJwtSecret } from '../hostile/support/startTarget.js';
import { freePort } from '../support/freePort.js';
import { webClientHeaders } from '../../web/webClientHeaders.js';
import { launchChromiumBrowser } from './launchChromiumBrowser.js';

// The web client as deployed: its production build (vite build), served by a static server
// (vite preview), calling a real `portico gateway` process in production mode, cross-origin, in
// front of the demo subgraphs and backends, with trustedDocuments in `require` mode and the
// client preset's manifest. Everything the page sends to the gateway is recorded, over HTTP and
// over WebSocket.
const manifestFile = resolve('web/src/generated/persisted-documents.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
const run = promisify(execFile);
const hashOf = (operation: string) =>
  Object.entries(manifest).find(([, body]) => new RegExp(`\\b(query|mutation|subscription) ${operation}\\b`).test(body))![0];

let target: Target;
let web: PreviewServer;
let webOrigin: string;
let outDir: string;
let browser: Browser;
let visitor: BrowserContext;
const sent: Array<{ page: Page; body: Record<string, unknown> }> = [];
// Every WebSocket a page opened to the gateway, and every message it sent on it.
const sockets: Array<{ page: Page; url: string; sent: Array<Record<string, unknown>> }> = [];
const pageErrors: string[] = [];
// What the page's Content-Security-Policy (web/webClientHeaders.ts) blocked: the build must need nothing it forbids.
const blockedByPolicy: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  webOrigin = `http://127.0.0.1:${port}`;
  target = await startTarget({
    mode: 'production',
    config: {
      trustedDocuments: { mode: 'require', manifest: manifestFile },
      server: { cors: { origins: [webOrigin] } },
      // The demo's @policy module: role=staff sees units on hand.
      authorization: { policyModule: resolve('dist/gateway/demo/policies.js') },
    },
  });
  outDir = mkdtempSync(join(tmpdir(), 'portico-web-'));
  // `npm run build:web` as an operator runs it, with the gateway's public URL; NODE_ENV as in a
  // shell, not vitest's `test`, which would build React's development bundle.
  await run(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'], {
    env: { ...process.env, NODE_ENV: 'production', VITE_GRAPHQL_URL: target.url },
  });
  web = await preview({
    configFile: resolve('web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  browser = await launchChromiumBrowser();
  visitor = await newVisitor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (web ? web.httpServer.close(() => done()) : done()));
  await target?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A browser context of its own (its own localStorage: its own sign-in), recording what it sends. */
async function newVisitor(): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.on('request', (request: Request) => {
    if (request.url().startsWith(target.url) && request.method() === 'POST') {
      sent.push({ page: request.frame().page(), body: JSON.parse(request.postData() ?? '{}') as Record<string, unknown> });
    }
  });
  context.on('page', (page) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) blockedByPolicy.push(message.text());
    });
    page.on('websocket', (socket: WebSocket) => {
      const record = { page, url: socket.url(), sent: [] as Array<Record<string, unknown>> };
      sockets.push(record);
      socket.on('framesent', ({ payload }) => record.sent.push(JSON.parse(String(payload)) as Record<string, unknown>));
    });
  });
  return context;
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${webOrigin}/#/sign-in`);
  await page.getByLabel('Development token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/#\/products$/);
}

const firstProductLink = (page: Page) => page.locator('table.products tbody th a').first();

/**
 * Operations as sent (POST bodies, `subscribe` payloads): each a manifest hash, none with its
 * text (graphql-ws sends a `query` always: an empty one).
 */
function expectOnlyHashes(operations: Array<Record<string, unknown>>): void {
  expect(operations.length).toBeGreaterThan(0);
  for (const operation of operations) {
    expect(operation.query ?? '').toBe('');
    const hash = (operation.extensions as { persistedQuery?: { sha256Hash?: string } } | undefined)?.persistedQuery?.sha256Hash;
    expect(Object.keys(manifest)).toContain(hash);
  }
}

/**
 * Holds every request `server` receives until the returned function is called, then hands them
 * (and later ones) to its own listeners: a subgraph that is slow for as long as a test needs.
 */
function holdRequests(server: Server): () => void {
  const listeners = server.listeners('request') as Array<(...args: unknown[]) => void>;
  const held: Array<() => void> = [];
  server.removeAllListeners('request');
  server.on('request', (...args: unknown[]) => held.push(() => listeners.forEach((listener) => listener.apply(server, args))));
  return () => {
    server.removeAllListeners('request');
    for (const listener of listeners) server.on('request', listener);
    for (const run of held.splice(0)) run();
  };
}

describe('the web client, built for production, against a gateway that runs only its manifest', () => {
  it('lists the products with the data the gateway serves, sending only manifest hashes', async () => {
    const page = await visitor.newPage();
    const response = await page.goto(webOrigin);
    // Served as nginx serves it (web/nginx.conf): scripts from its own origin only, no framing.
    expect(response?.headers()['content-security-policy']).toBe(webClientHeaders['Content-Security-Policy']);
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    const rows = page.locator('table.products tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });

    // The same operation, by hash, straight to the gateway: the page shows what it answers.
    const direct = (await (
      await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          operationName: 'TopProducts',
          variables: { first: 20 },
          extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('TopProducts') } },
        }),
      })
    ).json()) as { data: { topProducts: Array<{ name: string; price: number }> } };
    const products = direct.data.topProducts;
    expect(products.length).toBeGreaterThan(1);
    expect(await rows.count()).toBe(products.length);
    const first = await rows.first().innerText();
    expect(first).toContain(products[0]!.name);
    expect(first).toContain(`$${(products[0]!.price / 100).toFixed(2)}`);
    expect(first).toMatch(/In stock|Out of stock/);
    expect(first).toMatch(/★ \d(\.\d)?|No reviews/);

    expectOnlyHashes(sent.map(({ body }) => body));
    await page.close();
  });

  it('refuses an ad-hoc query: only the manifest runs', async () => {
    const reply = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: webOrigin },
      body: JSON.stringify({ query: '{ topProducts(first: 100) { name reviews { body author { email } } } }' }),
    });
    expect(reply.status).toBe(400);
    const body = (await reply.json()) as { errors: Array<{ extensions: { code: string } }>; data?: unknown };
    expect(body.errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(body.data).toBeUndefined();
  });

  it('shows a product with its reviews; units on hand are for staff only, and say so', async () => {
    const page = await visitor.newPage();
    await page.goto(webOrigin);
    const link = firstProductLink(page);
    await link.waitFor({ timeout: 30_000 });
    const name = await link.innerText();
    await link.click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText(), { timeout: 20_000 }).toBe(name);
    await expect.poll(() => page.getByRole('list', { name: 'Reviews' }).locator('li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('.facts').innerText()).toContain('Visible to staff only');
    // The refused field is explained where it would be, not as an error over the page.
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });

  it('asks a signed-out visitor to sign in when they post a review', async () => {
    const page = await visitor.newPage();
    await page.goto(webOrigin);
    await firstProductLink(page).click();
    await page.getByLabel('Your review').fill('Lovely.');
    await page.getByRole('button', { name: 'Post review' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 20_000 }).toContain('Please sign in to do this.');
    expect(await alert.getAttribute('data-code')).toBe('UNAUTHENTICATED');
    expect(await alert.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('#/sign-in');
    await page.close();
  });

  it('paints the product first and its reviews after, as a deferred part of the same response', async () => {
    const list = await visitor.newPage();
    await list.goto(webOrigin);
    const link = firstProductLink(list);
    await link.waitFor({ timeout: 30_000 });
    const href = (await link.getAttribute('href'))!;
    const name = await link.innerText();
    await list.close();
    // A page opened on the product (nothing cached): the reviews subgraph takes requests but answers none until released: the page can only
    // have painted what did not need it.
    const release = holdRequests(target.subgraphs.httpServer('reviews'));
    const page = await visitor.newPage();
    try {
      const answer = page.waitForResponse((response) => response.url() === target.url && response.request().postDataJSON()?.operationName === 'Product');
      await page.goto(`${webOrigin}/${href}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText(), { timeout: 20_000 }).toBe(name);
      await page.getByText('Loading reviews…').waitFor({ timeout: 20_000 });
      expect(await page.getByRole('list', { name: 'Reviews' }).count()).toBe(0);
      const response = await answer;
      expect(response.headers()['content-type']).toMatch(/^multipart\/mixed;.*deferSpec=20220824/);
    } finally {
      release();
    }
    await expect.poll(() => page.getByRole('list', { name: 'Reviews' }).locator('li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByText('Loading reviews…').count()).toBe(0);
    await page.close();
  });

  it('signs in with a development token, posts a review, and another visitor sees it arrive without reloading', async () => {
    const author = await newVisitor();
    const page = await author.newPage();
    const token = mintToken({ subject: '7', scopes: [], claims: {}, secret: targetJwtSecret, expiresInSeconds: 600 });
    await signIn(page, token);
    await expect.poll(() => page.locator('.account').innerText(), { timeout: 20_000 }).toMatch(/^Signed in as \S/);
    await firstProductLink(page).click();

    // Someone else is looking at the same product.
    const other = await visitor.newPage();
    await other.goto(page.url());
    const reviews = other.getByRole('list', { name: 'Reviews' });
    await reviews.waitFor({ timeout: 30_000 });

    const text = `Sturdy and quick to ship (${Date.now()})`;
    await page.getByLabel('Your review').fill(text);
    await page.getByLabel('Rating').selectOption('4');
    await page.getByRole('button', { name: 'Post review' }).click();
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 20_000 }).toContain('Your review is posted');
    await expect.poll(() => page.getByRole('list', { name: 'Reviews' }).innerText(), { timeout: 20_000 }).toContain(text);
    await expect.poll(() => reviews.innerText(), { timeout: 20_000 }).toContain(text);

    // It came through the reviewAdded subscription, on a WebSocket to the gateway, asked for by
    // hash; the other visitor's page sent nothing over HTTP after its first answer.
    const socketsOfOther = sockets.filter((socket) => socket.page === other);
    expect(socketsOfOther.map(({ url }) => url)).toEqual([target.url.replace(/^http/, 'ws')]);
    const subscribes = socketsOfOther[0]!.sent.filter((message) => message.type === 'subscribe');
    expect(subscribes.map((message) => (message.payload as { operationName?: string }).operationName)).toEqual(['ReviewAdded']);
    expect(sent.filter(({ page }) => page === other).map(({ body }) => body.operationName)).toEqual(['Product']);
    expectOnlyHashes([
      ...sent.map(({ body }) => body),
      ...sockets.flatMap(({ sent: messages }) =>
        messages.filter((message) => message.type === 'subscribe').map((message) => message.payload as Record<string, unknown>),
      ),
    ]);
    // Browsers set no headers on a WebSocket: the token is in connection_init (none when signed out).
    expect(sockets.find((socket) => socket.page === page)!.sent[0]).toEqual({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect(socketsOfOther[0]!.sent[0]).toEqual({ type: 'connection_init', payload: {} });
    expect(hashOf('ReviewAdded')).toBe(
      (subscribes[0]!.payload as { extensions: { persistedQuery: { sha256Hash: string } } }).extensions.persistedQuery.sha256Hash,
    );
    await author.close();
    await other.close();
  });

  it('shows units on hand to staff', async () => {
    const staff = await newVisitor();
    const page = await staff.newPage();
    await signIn(page, mintToken({ subject: '8', scopes: [], claims: { role: 'staff' }, secret: targetJwtSecret, expiresInSeconds: 600 }));
    await firstProductLink(page).click();
    await expect.poll(() => page.locator('.facts').innerText(), { timeout: 20_000 }).toMatch(/Units on hand\s+\d+/);
    await staff.close();
  });

  it('tells a visitor whose token the gateway refuses to sign in again, rather than showing the raw error', async () => {
    const refused = await newVisitor();
    const page = await refused.newPage();
    // Signed with another secret: well formed, unexpired, refused by the gateway (401).
    await signIn(page, mintToken({ subject: '7', scopes: [], claims: {}, secret: 'not-the-gateway-secret-0123456789', expiresInSeconds: 600 }));
    const alert = page.locator('main').getByRole('alert');
    await expect.poll(() => alert.innerText(), { timeout: 20_000 }).toContain('Your sign-in is no longer valid');
    expect(await alert.getAttribute('data-code')).toBe('UNAUTHENTICATED');
    expect(await page.locator('body').innerText()).not.toMatch(/Authentication failed|status code|invalid signature/);
    await refused.close();
  });

  it('keeps the product on screen and says reviews are unavailable when the reviews subgraph is down', async () => {
    await target.subgraphs.stop('reviews');
    const page = await visitor.newPage();
    await page.goto(webOrigin);
    await firstProductLink(page).waitFor({ timeout: 30_000 });
    await firstProductLink(page).click();
    await expect.poll(() => page.locator('main').innerText(), { timeout: 20_000 }).toContain('Reviews are unavailable right now.');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).not.toBe('');
    expect(await page.locator('body').innerText()).not.toMatch(/SUBGRAPH_|ECONNREFUSED|fetch failed/);
    await page.close();
  });

  it('raised no error in any page, and the page policy blocked nothing', () => {
    expect(pageErrors).toEqual([]);
    expect(blockedByPolicy).toEqual([]);
  });
});
