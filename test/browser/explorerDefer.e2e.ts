import type { BrowserContext, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingSlowFields, releaseSlowFields } from '../gateway/fixtures/products.js';
import { startGateway, type RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startShop, type Shop } from '../gateway/fixtures/startShop.js';
import { launchChromium } from './launchChromium.js';

// The offline explorer running a @defer operation in a real browser: it shows the first payload
// while the deferred fragment's field is still being resolved, then the fragment once its part
// arrives. The fixture's slowField answers only when the test lets it, so "before" is a state
// the test holds, not a race it hopes to win.
let shop: Shop;
let gateway: RunningGateway;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

beforeAll(async () => {
  shop = await startShop();
  gateway = await startGateway(shop.dir, 'explorer-defer', { mode: 'development', supergraph: { path: shop.supergraphPath } });
  browser = await launchChromium();
  context = browser.context;
}, 60_000);

afterAll(async () => {
  releaseSlowFields();
  await browser?.close();
  await gateway?.stop();
  await shop?.stop();
});

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
