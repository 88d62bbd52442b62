// 1. Logging in: a wrong password is refused with a message, the right one
// lands on the applications page and its empty state; an admin creates the
// first application and is told how to connect an agent; logging out
// returns to the form.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {startServer} from './lib/server.js';
import {openBrowser} from './lib/browser.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  await server.createUser('alice', 'correct horse battery staple');
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('login, empty states, first application, logout', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  // Not logged in: the login form.
  await page.getByRole('heading', {name: 'Log in to Vigil'}).waitFor();
  await browser.screenshot(page, '01-login');

  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', {name: 'Log in'}).click();
  await page.getByRole('alert').filter({hasText: 'Wrong username or password'}).waitFor();
  assert.match(page.url(), /#\/login$/);
  await browser.screenshot(page, '01-login-refused');

  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', {name: 'Log in'}).click();
  await page.getByRole('heading', {name: 'Applications', level: 1}).waitFor();
  assert.match(page.url(), /#\/apps$/);
  // Who is logged in, and as what.
  assert.equal(await page.locator('header.top .username').textContent(), 'alice');
  await page.locator('header.top .badge', {hasText: 'admin'}).waitFor();
  await page.getByRole('heading', {name: 'No application yet'}).waitFor();
  await browser.screenshot(page, '01-apps-empty');

  // A reload keeps the session (the CSRF token comes back from /me).
  await page.reload();
  await page.getByRole('heading', {name: 'No application yet'}).waitFor();

  await page.getByLabel('Name').fill('shop');
  await page.getByRole('button', {name: 'Create application'}).click();
  await page.getByRole('heading', {name: 'No agent connected yet'}).waitFor();
  const command = await page.locator('.command-text').textContent();
  const publicKey = await server.publicKey();
  assert.ok(command.includes(`VIGIL_SERVER=${server.url}`), command);
  assert.ok(command.includes('VIGIL_API_KEY=<a key of this application>'), command);
  assert.ok(command.includes(`VIGIL_SERVER_KEY=${publicKey}`), command);
  await browser.screenshot(page, '01-agents-empty');

  // The overview says the same, and the attack feed has its own empty state.
  await page.getByRole('link', {name: 'Attacks', exact: true}).first().click();
  await page.getByRole('heading', {name: 'No attack seen yet'}).waitFor();

  await page.getByRole('button', {name: 'Log out'}).click();
  await page.getByRole('heading', {name: 'Log in to Vigil'}).waitFor();
  // The session is gone on the server too.
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(me, 401);
  assert.deepEqual(page.errors, []);
});
