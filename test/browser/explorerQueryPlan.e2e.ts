import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway/fixtures/startGateway.js';
import { startShop, type Shop } from '../gateway/fixtures/startShop.js';
import { launchChromium } from './launchChromium.js';

// The explorer's plan view in a real browser: offered in development, absent in production.
let shop: Shop;
let development: RunningGateway;
let production: RunningGateway;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  shop = await startShop();
  development = await startGateway(shop.dir, 'development', { mode: 'development', supergraph: { path: shop.supergraphPath } });
  production = await startGateway(shop.dir, 'production', { mode: 'production', explorer: true, supergraph: { path: shop.supergraphPath } });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await development?.stop();
  await production?.stop();
  await shop?.stop();
});

describe("the explorer's query plan view", () => {
  it('shows the plan of the operation in the editor, and follows it as it changes', async () => {
    const page = await browser.context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${development.origin}/graphiql`);
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
    const page = await browser.context.newPage();
    await page.goto(`${production.origin}/graphiql`);
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.locator('button[aria-label="Show Documentation Explorer"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('button[aria-label="Show Query plan"]').count()).toBe(0);
    await page.close();
  });
});
