// 3. Switching SQL injection from monitor to block on the protections page
// reaches the agent as a signed settings action (verified here with the
// server's Ed25519 public key, as the agent does), and the page shows the
// change applied once the agent reports the new settings version. The
// ruleset is validated before upload, with the server's precise message.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {startServer} from './lib/server.js';
import {openBrowser, logIn} from './lib/browser.js';
import {SimulatedAgent, verifyAction} from './lib/agent.js';

let server;
let browser;
let agent;
let appId;
let publicKey;

before(async () => {
  server = await startServer();
  await server.createUser('alice', 'correct horse battery staple');
  appId = await server.createApp('shop');
  agent = new SimulatedAgent({url: server.url, apiKey: await server.createKey('shop'), appName: 'shop'});
  const login = await agent.login();
  assert.deepEqual(login.actions, [], 'nothing to send before any change');
  publicKey = await server.publicKey();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The agent's side: poll news, heartbeat, verify and apply settings actions.
async function agentPicksUp() {
  assert.deepEqual(await agent.news(), {news: true});
  const answer = await agent.heartbeat();
  const settings = answer.actions.filter((a) => a.type === 'settings').map((a) => verifyAndApply(a));
  assert.equal(settings.length, 1, JSON.stringify(answer.actions));
  return settings[0];
}

function verifyAndApply(action) {
  const payload = verifyActionOrThrow(action);
  assert.equal(payload.app, 'shop');
  agent.settingsVersion = payload.version;
  return payload;
}

function verifyActionOrThrow(action) {
  return verifyAction(action, publicKey);
}

async function chooseMode(page, protection, mode) {
  await page.locator(`fieldset[data-protection="${protection}"] label`, {hasText: mode}).click();
}

test('monitor, then block: signed settings reach the agent; the page follows the rollout', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'alice', 'correct horse battery staple');
  await page.goto(`${server.url}/#/apps/${appId}/protections`);
  await page.getByText('No settings sent from this dashboard yet').waitFor();
  // Every protection of the server's table, with its label, and nothing
  // spelled by the page itself.
  const {protections} = await (await page.request.get(`${server.url}/api/v1/protections`)).json();
  assert.deepEqual(protections.map((p) => p.name), ['sql_injection', 'command_injection', 'path_traversal']);
  for (const p of protections) {
    await page.locator(`fieldset[data-protection="${p.name}"]`, {hasText: p.label}).waitFor();
  }

  await chooseMode(page, 'sql_injection', 'Monitor');
  await page.getByRole('button', {name: 'Save and send to agents'}).click();
  await page.getByText('Saved as settings version 1').waitFor();
  const first = await agentPicksUp();
  assert.equal(first.settings.protections.sql_injection, 'monitor');

  await page.reload();
  assert.ok(await page.locator('#mode-sql_injection-monitor').isChecked());
  await chooseMode(page, 'sql_injection', 'Block');
  await page.getByLabel('HTTP status').fill('403');
  await page.getByRole('button', {name: 'Save and send to agents'}).click();
  await page.getByText('Saved as settings version 2').waitFor();
  // Sent, not yet applied by the one online agent.
  await page.locator('.rollout-line[data-applied="0/1"]').waitFor();
  assert.match(await page.locator('.rollout-line').textContent(), /applied by 0 of 1 online agent/);
  await browser.screenshot(page, '03-protections-pending');

  const second = await agentPicksUp();
  assert.equal(second.type, 'settings');
  assert.equal(second.version, 2);
  assert.equal(second.settings.protections.sql_injection, 'block');
  assert.equal(second.settings.block.status, 403);
  // The agent has applied version 2 and says so: nothing more to send.
  const answer = await agent.heartbeat();
  assert.deepEqual(answer.actions, [], 'an agent that reports version 2 is up to date');
  // The agent reported version 2 in that heartbeat: the page says so within seconds.
  await page.locator('.rollout-line[data-applied="1/1"]').waitFor();
  assert.match(await page.locator('.rollout-line').textContent(), /Settings version 2: applied by 1 of 1 online agent/);
  await browser.screenshot(page, '03-protections-applied');
  assert.deepEqual(page.errors, []);
});

test('a tampered settings action does not verify', async () => {
  const res = await fetch(`${server.url}/api/agent/v1/login`, {
    method: 'POST',
    headers: {'Authorization': `Bearer ${agent.apiKey}`, 'Content-Type': 'application/json', 'Vigil-Protocol': '1'},
    body: JSON.stringify({protocol: 1, agent_id: 'ffffffffffffffffffffffffffffffff', app_name: 'shop', host: 'h', pid: 1,
      exe: '/x', started_at: Date.now(), agent_version: '0.1.0', runtime_version: '0.1.0', mode: 'monitor',
      ruleset_version: '2026.11.1', settings_version: 0, hook_points: [], hook_points_total: 0}),
  });
  const {actions} = await res.json();
  const action = actions.find((a) => a.type === 'settings');
  assert.ok(action, 'a new agent gets the current settings at login');
  verifyActionOrThrow(action);
  const tampered = {...action, payload: action.payload.replace('"block"', '"off"')};
  assert.notEqual(tampered.payload, action.payload);
  assert.throws(() => verifyActionOrThrow(tampered), /does not verify/);
});

test('a custom ruleset is validated first, with the server\'s message', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'alice', 'correct horse battery staple');
  await page.goto(`${server.url}/#/apps/${appId}/protections`);
  await page.getByRole('heading', {name: 'Ruleset', exact: true}).waitFor();
  const upload = page.getByRole('button', {name: 'Upload and send to agents'});
  assert.ok(await upload.isDisabled());

  const text = page.getByLabel('Ruleset (JSON)');
  await text.fill('{"version": "mine", "rules": [');
  await page.getByRole('button', {name: 'Validate'}).click();
  await page.getByRole('alert').filter({hasText: 'This is not JSON'}).waitFor();

  const bad = {version: 'mine-1', rules: [{id: 'sqli-custom', hook_points: ['sqlite3_prepare_v2'], protection: 'sql_injection',
    params: {sql_arg: 'one', dialect: 'sqlite'}}]};
  await text.fill(JSON.stringify(bad, null, 2));
  await page.getByRole('button', {name: 'Validate'}).click();
  const alert = page.getByRole('alert').filter({hasText: 'sql_arg'});
  await alert.waitFor();
  assert.ok(await upload.isDisabled());
  await browser.screenshot(page, '03-ruleset-invalid');

  bad.rules[0].params.sql_arg = 1;
  await text.fill(JSON.stringify(bad, null, 2));
  await page.getByRole('button', {name: 'Validate'}).click();
  await page.getByText('Valid.').waitFor();
  await upload.click();
  await page.locator('.ruleset-source').getByText('custom').waitFor();
  await page.getByText('"mine-1"', {exact: false}).waitFor();
  await page.getByRole('cell', {name: 'sqli-custom'}).waitFor();

  await page.getByRole('button', {name: 'Back to the built-in ruleset'}).click();
  await page.getByRole('dialog').getByRole('button', {name: 'Use the built-in ruleset'}).click();
  await page.locator('.ruleset-source').getByText('built-in').waitFor();
  assert.deepEqual(page.errors, []);
});
