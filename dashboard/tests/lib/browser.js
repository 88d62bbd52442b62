// Debian's chromium driven by playwright-core (no browser is downloaded),
// at a laptop's screen size, with screenshots kept as test artifacts and
// every page error collected so that a test can insist there was none.
import fs from 'node:fs';
import path from 'node:path';
import {chromium} from 'playwright-core';

export const artifactsDir = process.env.VIGIL_DASHBOARD_ARTIFACTS || path.resolve(import.meta.dirname, '../artifacts');

export async function openBrowser() {
  fs.mkdirSync(artifactsDir, {recursive: true});
  const browser = await chromium.launch({
    executablePath: process.env.VIGIL_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  return {
    browser,
    // A fresh context (its own cookies) per user.
    async newPage() {
      const context = await browser.newContext({viewport: {width: 1366, height: 768}});
      const page = await context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
      page.on('console', (msg) => {
        // A failed login is a 401 the browser logs as a failed resource:
        // expected; anything else (CSP violations, exceptions) is not.
        if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) page.errors.push(`console: ${msg.text()}`);
      });
      page.setDefaultTimeout(10000);
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({path: path.join(artifactsDir, `${name}.png`), fullPage: true});
    },
    close: () => browser.close(),
  };
}

// Logs in through the form, as a person would.
export async function logIn(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/#/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', {name: 'Log in'}).click();
  await page.locator('header.top .username').waitFor();
}
