import jwt from 'jsonwebtoken';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/startStack.js';
import { launchChromium } from './launchChromium.js';

// The offline explorer running a subscription over WebSocket in a real browser, against the
// demo stack: it shows each reviewAdded event as it comes, with fields other subgraphs resolve.
const secret = 'explorer-subscription-jwt-secret-0123';
let stack: Stack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

beforeAll(async () => {
  stack = await startStack({ config: { authentication: { mode: 'optional', secret } } });
  browser = await launchChromium();
  context = browser.context;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the explorer and subscriptions', () => {
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
