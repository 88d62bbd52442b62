// 4. A viewer sees everything an admin sees, changes nothing: the
// protections page is read-only, admin-only controls are absent, and the
// API itself refuses a change even with a valid CSRF token.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {startServer} from './lib/server.js';
import {openBrowser, logIn} from './lib/browser.js';

let server;
let browser;
let appId;

before(async () => {
  server = await startServer();
  await server.createUser('alice', 'correct horse battery staple');
  await server.createUser('victor', 'viewer password 12345', 'viewer');
  appId = await server.createApp('shop');
  await server.createKey('shop');
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a viewer cannot change settings, in the page or through the API', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'victor', 'viewer password 12345');
  await page.locator('header.top .badge', {hasText: 'viewer'}).waitFor();
  // No user administration in the menu.
  assert.equal(await page.locator('header.top nav a', {hasText: 'Users'}).count(), 0);

  await page.goto(`${server.url}/#/apps/${appId}/protections`);
  await page.getByRole('note').filter({hasText: 'read-only'}).waitFor();
  // The note comes first; wait for the form and the ruleset to be drawn.
  await page.locator('.settings-form').waitFor();
  await page.getByRole('heading', {name: 'Ruleset', exact: true}).waitFor();
  const radios = page.locator('.settings-form input[type="radio"]');
  assert.ok(await radios.count() >= 4);
  for (const radio of await radios.all()) assert.ok(await radio.isDisabled());
  assert.ok(await page.getByLabel('HTTP status').isDisabled());
  assert.ok(await page.getByLabel('HTML template').isDisabled());
  assert.equal(await page.getByRole('button', {name: 'Save and send to agents'}).count(), 0);
  assert.equal(await page.getByRole('button', {name: 'Validate'}).count(), 0);
  assert.equal(await page.getByRole('button', {name: 'Back to the built-in ruleset'}).count(), 0);
  await browser.screenshot(page, '04-viewer-protections');

  // The API refuses, whatever the page shows.
  const answer = await page.evaluate(async (id) => {
    const me = await (await fetch('/api/v1/me')).json();
    const res = await fetch(`/api/v1/apps/${id}/settings`, {
      method: 'PUT',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token},
      body: JSON.stringify({protections: {sql_injection: 'off'}}),
    });
    return {status: res.status, body: await res.json()};
  }, appId);
  assert.equal(answer.status, 403);
  assert.equal(answer.body.error, 'forbidden');
  const settings = await page.evaluate(async (id) => (await fetch(`/api/v1/apps/${id}/settings`)).json(), appId);
  assert.equal(settings.version, 0, 'nothing changed');

  // Keys: listed, no create or revoke.
  await page.goto(`${server.url}/#/apps/${appId}/keys`);
  await page.getByRole('cell', {name: /vgk_/}).waitFor();
  assert.equal(await page.getByRole('button', {name: 'Create key'}).count(), 0);
  assert.equal(await page.getByRole('button', {name: /Revoke/}).count(), 0);

  // The users page, typed in by hand, explains instead of failing.
  await page.goto(`${server.url}/#/users`);
  await page.getByText('Only admins see the list of users.').waitFor();
  assert.deepEqual(page.errors, []);
});

test('an admin manages users, keys and tokens; the audit log records it', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'alice', 'correct horse battery staple');
  await page.goto(`${server.url}/#/users`);
  await page.getByLabel('Username').fill('bob');
  await page.getByLabel('Password').fill('bob password 123');
  await page.getByRole('button', {name: 'Create user'}).click();
  await page.getByText('User "bob" created.').waitFor();
  await page.getByLabel('Role of bob').selectOption('admin');
  await page.getByText('"bob" is now an admin.').waitFor();
  // The last admin cannot be demoted... but alice is not the last one now;
  // deleting bob asks first.
  await page.getByRole('button', {name: 'Delete user bob'}).click();
  await page.getByRole('dialog').getByRole('button', {name: 'Delete'}).click();
  await page.getByText('User "bob" deleted.').waitFor();
  await browser.screenshot(page, '04-users');

  await page.goto(`${server.url}/#/apps/${appId}/keys`);
  await page.getByLabel('Name (optional)').fill('production');
  await page.getByRole('button', {name: 'Create key'}).click();
  const secret = await page.locator('.secret-once code.secret').textContent();
  assert.match(secret, /^vgk_/);
  await page.locator('.secret-once').getByRole('button', {name: 'Copy'}).waitFor();
  await page.getByRole('button', {name: 'Revoke key production'}).click();
  await page.getByRole('dialog').getByRole('button', {name: 'Revoke'}).click();
  await page.getByText('Key revoked.').waitFor();
  await browser.screenshot(page, '04-keys');

  await page.goto(`${server.url}/#/tokens`);
  await page.getByLabel('Name').fill('ci');
  await page.getByRole('button', {name: 'Create token'}).click();
  assert.match(await page.locator('.secret-once code.secret').textContent(), /^vgt_/);
  await page.getByRole('button', {name: 'Delete token ci'}).click();
  await page.getByRole('dialog').getByRole('button', {name: 'Delete'}).click();
  await page.getByText('Token deleted.').waitFor();

  await page.goto(`${server.url}/#/audit`);
  for (const action of ['user.create', 'key.create', 'key.revoke']) {
    await page.getByRole('cell', {name: action, exact: true}).first().waitFor();
  }
  await browser.screenshot(page, '04-audit');
  assert.deepEqual(page.errors, []);
});
