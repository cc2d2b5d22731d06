import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Request } from 'playwright-core';
import { exampleOperation } from '../../gateway/landingPage/exampleOperation.js';
import { pendingSlowFields, releaseSlowFields } from '../gateway/fixtures/products.js';
import { startGateway, type RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startShop, type Shop } from '../gateway/fixtures/startShop.js';
import { startStack, type Stack } from '../support/startStack.js';
import { launchChromium } from './launchChromium.js';

// The explorers in a real browser. Anything the page asks for beyond this machine is aborted
// and recorded, so "works offline" is checked, not assumed. One browser for every explorer test,
// one shop for all but the subscription's (the plan view, @defer and subscriptions were files of
// their own, each starting a browser of its own).
let shop: Shop;
let gateway: RunningGateway;
let production: RunningGateway;
/** Production with the explorer enabled: it has no plan view. */
let productionExplorer: RunningGateway;
let noExplorer: RunningGateway;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
const external: string[] = [];

beforeAll(async () => {
  shop = await startShop();
  gateway = await startGateway(shop.dir, 'development', { mode: 'development', supergraph: { path: shop.supergraphPath } });
  production = await startGateway(shop.dir, 'production', { mode: 'production', supergraph: { path: shop.supergraphPath } });
  noExplorer = await startGateway(shop.dir, 'no-explorer', { mode: 'development', explorer: false, supergraph: { path: shop.supergraphPath } });
  productionExplorer = await startGateway(shop.dir, 'production-explorer', {
    mode: 'production',
    explorer: true,
    supergraph: { path: shop.supergraphPath },
  });
  browser = await launchChromium();
  context = browser.context;
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    external.push(url.href);
    return route.abort();
  });
}, 60_000);

afterAll(async () => {
  releaseSlowFields();
  await browser?.close();
  await gateway?.stop();
  await production?.stop();
  await noExplorer?.stop();
  await productionExplorer?.stop();
  await shop?.stop();
});

describe('the bundled GraphiQL explorer', () => {
  it('loads with nothing from beyond localhost, runs a query, shows the result and the schema docs', async () => {
    external.length = 0;
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${gateway.origin}/graphiql`);
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });

    // It opens on the example operation of this supergraph; run it.
    const field = /query Example \{\n {2}(\w+)/.exec(
      exampleOperation(buildASTSchema(parse(readFileSync(shop.supergraphPath, 'utf8')), { assumeValidSDL: true })),
    )![1]!;
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await expect.poll(async () => result.innerText(), { timeout: 20_000 }).toContain(`"${field}"`);
    expect(await result.innerText()).not.toContain('"errors"');

    // The docs explorer shows the schema the gateway serves.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    const docs = page.locator('.graphiql-doc-explorer');
    await expect.poll(async () => docs.innerText(), { timeout: 20_000 }).toMatch(/Query/);
    await docs.getByText('Query', { exact: true }).first().click();
    await expect.poll(async () => docs.innerText(), { timeout: 20_000 }).toContain(field);

    // The history keeps the query just run.
    await page.locator('button[aria-label="Show History"]').click();
    await expect.poll(async () => page.locator('.graphiql-history').innerText(), { timeout: 20_000 }).toContain('Example');

    // The headers editor is open from the start, with the Authorization header to fill in.
    expect(await page.locator('[data-name="headers"]').getAttribute('class')).toMatch(/\bactive\b/);
    expect(await page.locator('.graphiql-editor-tool').innerText()).toContain('"Authorization"');

    expect(failures).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  });

  it('is not served in production unless enabled', async () => {
    const response = await fetch(`${production.origin}/graphiql`);
    expect(response.status).toBe(404);
  });
});

describe('the development landing page', () => {
  it('embeds the Apollo Sandbox pointed at this gateway when the Sandbox loads', async () => {
    external.length = 0;
    const page = await context.newPage();
    // A stand-in for Apollo's CDN script that records how the page starts it.
    await page.route('https://embeddable-sandbox.cdn.apollographql.com/**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: 'window.EmbeddedSandbox = function (options) { window.sandboxOptions = options; };' }),
    );
    await page.goto(`${gateway.origin}/graphql`);
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { sandboxOptions?: { initialEndpoint: string } }).sandboxOptions?.initialEndpoint), {
        timeout: 20_000,
      })
      .toBe(`${gateway.origin}/graphql`);
    expect(await page.locator('#embeddableSandbox').count()).toBe(1);
    // Loaded: no fallback, no redirect.
    expect(page.url()).toBe(`${gateway.origin}/graphql`);
    await page.close();
  });

  it('opens the offline explorer instead when the Sandbox cannot be loaded (no internet)', async () => {
    external.length = 0;
    const page = await context.newPage();
    await page.goto(`${gateway.origin}/graphql`);
    await page.waitForURL(`${gateway.origin}/graphiql`, { timeout: 30_000 });
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    // The Sandbox was asked for, and refused: that is the case being handled.
    expect(external.some((url) => url.includes('embeddable-sandbox.cdn.apollographql.com'))).toBe(true);
    await page.close();
  });

  it('says what to do instead where the offline explorer is off', async () => {
    const page = await context.newPage();
    await page.goto(`${noExplorer.origin}/graphql`);
    const fallback = page.locator('.fallback');
    await expect.poll(async () => fallback.innerText(), { timeout: 20_000 }).toContain('the offline explorer is off here (explorer: false)');
    expect(page.url()).toBe(`${noExplorer.origin}/graphql`);
    await page.close();
  });
});

describe('the pages a browser opens on the gateway', () => {
  it('do not make the gateway log a missing favicon', async () => {
    const page = await context.newPage();
    const notFound: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    for (const path of ['/graphiql', '/health']) {
      await page.goto(`${gateway.origin}${path}`);
      await page.waitForLoadState('networkidle');
    }
    const favicon = await fetch(`${gateway.origin}/favicon.ico`);
    expect(favicon.status).toBe(204);
    expect(notFound).toEqual([]);
    expect(gateway.logs.filter((line) => JSON.stringify(line).includes('favicon'))).toEqual([]);
    await page.close();
  });

  it("show the explorer's example whole in a 1400 px wide window", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${gateway.origin}/graphiql`);
    const scroller = page.locator('.graphiql-query-editor .CodeMirror-scroll').first();
    await scroller.waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.locator('.graphiql-query-editor .CodeMirror-line').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    const { scrollWidth, clientWidth } = await scroller.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    expect(await page.locator('.graphiql-query-editor').innerText()).not.toMatch(/connection settings|shared headers/);
    await page.close();
  });
});

describe("the explorer's query plan view", () => {
  it('shows the plan of the operation in the editor, and follows it as it changes', async () => {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${gateway.origin}/graphiql`);
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    await page.locator('button[aria-label="Show Query plan"]').click();
    const panel = page.locator('.portico-plan');
    await expect.poll(async () => (await panel.count()) > 0 && panel.innerText(), { timeout: 20_000 }).toMatch(/\d+ fetch(es)? from /);
    expect(await panel.innerText()).toContain('Fetch from');

    // Another operation: its plan replaces the first.
    await page
      .locator('.graphiql-query-editor .CodeMirror')
      .first()
      .evaluate((element) =>
        (element as unknown as { CodeMirror: { setValue(text: string): void } }).CodeMirror.setValue(
          'query Two { topProducts(first: 1) { name reviews { body } } }',
        ),
      );
    await expect.poll(async () => panel.innerText(), { timeout: 20_000 }).toMatch(/2 fetches from products → reviews/);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('is not offered in production', async () => {
    const page = await context.newPage();
    await page.goto(`${productionExplorer.origin}/graphiql`);
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.locator('button[aria-label="Show Documentation Explorer"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('button[aria-label="Show Query plan"]').count()).toBe(0);
    await page.close();
  });
});

// @defer: the explorer shows the first payload while the deferred fragment's field is still being
// resolved, then the fragment once its part arrives. The fixture's slowField answers only when the
// test lets it, so "before" is a state the test holds, not a race it hopes to win.
/** Opens the explorer, puts `query` in its editor and runs it; resolves with the page and what it sent to /graphql. */
async function run(query: string) {
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  const sent: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST' && !(request.postData() ?? '').includes('IntrospectionQuery')) {
      sent.push(request);
    }
  });
  await page.goto(`${gateway.origin}/graphiql`);
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor({ timeout: 30_000 });
  await editor.evaluate((element, text) => {
    (element as unknown as { CodeMirror: { setValue(value: string): void } }).CodeMirror.setValue(text);
  }, query);
  // GraphiQL takes the operation name from the editor after a debounce; run before it, the page's
  // example's name would be sent with this document.
  await page.waitForTimeout(1000);
  await page.locator('.graphiql-execute-button').click();
  return { page, failures, sent, result: page.locator('.result-window') };
}

describe('the explorer and @defer', () => {
  it('shows the first payload at once, then the deferred fragment when its part arrives', async () => {
    const { page, failures, sent, result } = await run(
      'query Deferred { topProducts(first: 2) { upc name } ... @defer(label: "slow") { slowField(tag: "explorer") } }',
    );
    await expect.poll(() => pendingSlowFields('explorer'), { timeout: 20_000 }).toBe(1);
    // The deferred field is held: what shows is the first payload alone.
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"Table"');
    expect(await result.innerText()).not.toContain('slowField');
    expect(sent).toHaveLength(1);
    expect(await sent[0]!.headerValue('accept')).toBe('multipart/mixed;deferSpec=20220824,application/json');

    releaseSlowFields();
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"slowField": "finally"');
    const text = await result.innerText();
    expect(text).toContain('"Table"');
    expect(text).not.toContain('"errors"');
    expect(failures).toEqual([]);
    await page.close();
  }, 90_000);

  it('stops a deferred answer with the stop button: the gateway is told (the request is cancelled)', async () => {
    const { page, failures, result } = await run('query Stopped { topProducts(first: 1) { upc } ... @defer { slowField(tag: "stopped") } }');
    await expect.poll(() => pendingSlowFields('stopped'), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"topProducts"');
    const closed = page.waitForEvent('requestfailed', { timeout: 20_000 });
    // While it streams, the run button is GraphiQL's stop button.
    await page.locator('.graphiql-execute-button').click();
    expect(new URL((await closed).url()).pathname).toBe('/graphql');
    releaseSlowFields();
    expect(failures).toEqual([]);
    await page.close();
  }, 90_000);

  it('runs an operation without @defer as one JSON answer, as before', async () => {
    const { page, failures, sent, result } = await run('query Plain { topProducts(first: 1) { upc name } }');
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain('"Table"');
    expect(await sent[0]!.headerValue('accept')).toBe('application/json');
    expect(failures).toEqual([]);
    await page.close();
  }, 90_000);
});

// A subscription over WebSocket, against the demo stack: the explorer shows each reviewAdded event
// as it comes, with fields other subgraphs resolve.
const secret = 'explorer-subscription-jwt-secret-0123';

describe('the explorer and subscriptions', () => {
  // The demo stack (reviewAdded, fields from other subgraphs), for this block only.
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { authentication: { mode: 'optional', secret } } });
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('runs a subscription over WebSocket and shows live events', async () => {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const origin = new URL(stack.url).origin;
    await page.goto(`${origin}/graphiql`);
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor({ timeout: 30_000 });
    await editor.evaluate((element, query) => {
      (element as unknown as { CodeMirror: { setValue(value: string): void } }).CodeMirror.setValue(query);
    }, 'subscription Live { reviewAdded(productUpc: "1") { body rating author { name } product { name } } }');
    // GraphiQL takes the operation name from the editor after a debounce; run before it, the page's
    // example's name would be sent with this document.
    await page.waitForTimeout(1000);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => [...sockets], { timeout: 20_000 }).toEqual([`${origin.replace('http', 'ws')}/graphql`]);

    // Reviews are written until one shows: nothing says when the upstream subscription is in place.
    const token = jwt.sign({ sub: '7', exp: Math.floor(Date.now() / 1000) + 300 }, secret, { algorithm: 'HS256' });
    const result = page.locator('.result-window');
    const shown = async () => {
      await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation { createReview(input: { productUpc: "1", body: "seen in the explorer", rating: 4 }) { id } }' }),
      });
      return result.innerText();
    };
    await expect.poll(shown, { timeout: 30_000, interval: 500 }).toContain('seen in the explorer');
    const text = await result.innerText();
    expect(text).toContain('"reviewAdded"');
    expect(text).toContain('"author"');
    expect(text).not.toContain('"errors"');
    expect(failures).toEqual([]);
    await page.close();
  }, 90_000);
});
