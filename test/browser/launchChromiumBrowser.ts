import { type Browser, chromium } from 'playwright-core';
import { executablePath, flags } from './launchChromium.js';

/**
 * Headless Chromium as a browser of several contexts: each `newContext()` is a visitor of its
 * own (cookies, localStorage), for tests where two people use the same page at once.
 */
export function launchChromiumBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: flags });
}
