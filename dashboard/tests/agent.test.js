// 2. A simulated agent (the agent protocol over loopback) logs in with its
// hook-point inventory, sends a heartbeat and a batch of attacks. The
// dashboard shows it online with a searchable inventory, the attacks in the
// feed (filterable), and a detail view with the injected part of the
// statement highlighted and the attacker's script shown as text.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {startServer} from './lib/server.js';
import {openBrowser, logIn} from './lib/browser.js';
import {SimulatedAgent, busyMetrics} from './lib/agent.js';

const SCRIPT = '<script>alert(1)</script>';
let server;
let browser;
let agent;
let appId;

before(async () => {
  server = await startServer();
  await server.createUser('alice', 'correct horse battery staple');
  appId = await server.createApp('shop');
  agent = new SimulatedAgent({url: server.url, apiKey: await server.createKey('shop')});
  await agent.login();
  await agent.heartbeat({metrics: busyMetrics()});
  const blocked = agent.attack({outcome: 'blocked'});
  const monitored = agent.attack({
    outcome: 'monitored', key: 'query.name', value: `x' UNION SELECT '${SCRIPT}' --`, path: '/items',
    statement: `SELECT id FROM items WHERE name = '\u27E6x' UNION SELECT '${SCRIPT}' --\u27E7'`,
  });
  const answer = await agent.batch([blocked, monitored]);
  assert.equal(answer.accepted, 2);
  // The agent lost events once: the dashboard must say so.
  agent.delivery.dropped_queue_full = 5;
  await agent.heartbeat();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the agent is online, with its inventory searchable and paged', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'alice', 'correct horse battery staple');
  await page.goto(`${server.url}/#/apps/${appId}/agents`);
  const row = page.locator(`tr[data-agent="${agent.agentId}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /web-3 · pid 4242/);
  await row.locator('.badge', {hasText: 'online'}).waitFor();
  await row.getByText('agent 0.1.0 · runtime 0.1.0').waitFor();
  await row.getByText('2 sent').waitFor();
  await row.getByText('5 dropped').waitFor();
  assert.match(await row.getAttribute('class'), /has-drops/);
  await browser.screenshot(page, '02-agents');

  await row.getByRole('link').first().click();
  await page.getByRole('heading', {name: 'Hook points'}).waitFor();
  const dropRow = page.locator('tr.drop-row');
  await dropRow.waitFor();
  assert.match(await dropRow.textContent(), /dropped: queue full\s*5/);
  await page.getByText('1–50 of 120').waitFor();
  await page.getByRole('button', {name: 'Next →'}).click();
  await page.getByText('51–100 of 120').waitFor();
  await page.getByLabel('Search').fill('prepare');
  await page.getByText('1–1 of 1 matching').waitFor();
  const names = await page.locator('.hook-results tbody tr td:first-child').allTextContents();
  assert.deepEqual(names, ['sqlite3_prepare_v2']);
  await page.getByLabel('Search').fill('no-such-hook');
  await page.getByText('No hook point matches').waitFor();
  await page.getByLabel('Search').fill('Handler7');
  await page.getByText(/of 11 matching/).waitFor(); // Handler7, Handler70..79
  await browser.screenshot(page, '02-agent-inventory');
  assert.deepEqual(page.errors, []);
});

test('attacks appear in the feed, filter, and the detail escapes and highlights', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'alice', 'correct horse battery staple');
  await page.goto(`${server.url}/#/attacks`);
  await page.locator('tr[data-attack]').nth(1).waitFor();
  assert.equal(await page.locator('tr[data-attack]').count(), 2);
  // The attacker's input is text in the feed too.
  await page.locator('tr.outcome-monitored').getByText(SCRIPT, {exact: false}).waitFor();
  await browser.screenshot(page, '02-attacks-feed');

  await page.getByLabel('Outcome').selectOption('blocked');
  await page.waitForURL(/outcome=blocked/);
  await page.locator('tr.outcome-monitored').waitFor({state: 'detached'});
  await page.locator('tr.outcome-blocked').waitFor();
  assert.equal(await page.locator('tr[data-attack]').count(), 1);
  await page.getByLabel('Outcome').selectOption('monitored');
  await page.locator('tr.outcome-blocked').waitFor({state: 'detached'});
  await page.getByLabel('Time').selectOption('1h');
  await page.waitForURL(/range=1h/);
  await page.locator('tr.outcome-monitored').waitFor();
  assert.equal(await page.locator('tr[data-attack]').count(), 1);

  await page.locator('tr.outcome-monitored a.attack-link').click();
  await page.getByRole('heading', {name: 'The SQL statement'}).waitFor();
  // The injected part is highlighted, the marks are gone.
  const marked = await page.locator('pre.statement mark.injected').allTextContents();
  assert.deepEqual(marked, [`x' UNION SELECT '${SCRIPT}' --`]);
  const statement = await page.locator('pre.statement').textContent();
  assert.equal(statement, `SELECT id FROM items WHERE name = 'x' UNION SELECT '${SCRIPT}' --'`);
  assert.ok(!/[\u27E6\u27E7]/.test(statement));
  // The script tag is text, never markup: no element was created from it.
  assert.equal(await page.locator('main script').count(), 0);
  await page.locator('.input-value').getByText(SCRIPT, {exact: false}).waitFor();
  // The request, the input's origin, the stack, the verdict.
  for (const text of ['GET /items', '203.0.113.9', 'curl/7.88.1', 'query.name', 'sqli-001',
    'Shop::Search(std::string const&) src/shop.cc:88', 'input changes the statement']) {
    await page.getByText(text, {exact: false}).first().waitFor();
  }
  await page.getByText('Monitor mode: the attack was reported and let through').waitFor();
  await browser.screenshot(page, '02-attack-detail');
  assert.deepEqual(page.errors, []);
});
