import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`, as .ci/run does): playwright downloads no browser. */
export const executablePath = '/usr/bin/chromium';

// Quiet and self-contained: no GPU, no sandbox (CI runs as root), no update or background
// traffic that would show up as requests beyond localhost.
export const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Headless Chromium with a fresh profile; `close` removes the profile too. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'portico-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: flags });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
