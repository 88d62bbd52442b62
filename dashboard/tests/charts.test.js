// 5. Charts: empty states without data (no agent; an agent with nothing to
// report yet), SVG charts with axes, lines and hover values once an agent
// has reported metrics and attacks.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {startServer} from './lib/server.js';
import {openBrowser, logIn} from './lib/browser.js';
import {SimulatedAgent, busyMetrics} from './lib/agent.js';

let server;
let browser;
let appId;
let apiKey;

before(async () => {
  server = await startServer();
  await server.createUser('alice', 'correct horse battery staple');
  appId = await server.createApp('shop');
  apiKey = await server.createKey('shop');
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('empty states, then charts with data', async () => {
  const page = await browser.newPage();
  await logIn(page, server.url, 'alice', 'correct horse battery staple');
  await page.goto(`${server.url}/#/apps/${appId}`);
  await page.getByRole('heading', {name: 'No agent connected yet'}).waitFor();
  assert.equal(await page.locator('svg.chart-svg').count(), 0);

  const agent = new SimulatedAgent({url: server.url, apiKey});
  await agent.login();
  await agent.heartbeat();
  await page.reload();
  await page.getByRole('heading', {name: 'No data in this period'}).waitFor();
  assert.equal(await page.locator('svg.chart-svg').count(), 0);
  await browser.screenshot(page, '05-charts-empty');

  await agent.heartbeat({metrics: busyMetrics()});
  await agent.batch([agent.attack({outcome: 'blocked'}), agent.attack({outcome: 'monitored'})]);
  await page.reload();
  const charts = page.locator('figure.chart');
  await charts.first().waitFor();
  const titles = await page.locator('figure.chart .chart-title').allTextContents();
  assert.deepEqual(titles, ['Requests', 'Attacks and blocks', 'Protection check latency', 'Hook point latency', 'Protection time per request']);
  for (const chart of await charts.all()) {
    // Axes with labels, and at least one drawn line or point per chart.
    assert.ok(await chart.locator('svg .axis text').count() >= 4);
    const drawn = await chart.locator('svg path.line').evaluateAll((paths) => paths.filter((p) => p.getAttribute('d')).length);
    assert.ok(drawn >= 1, `a line in ${await chart.locator('.chart-title').textContent()}`);
  }
  await page.getByText('Requests: 904, blocked: 3, monitored: 1, attacks: 2').waitFor();

  // Hover the highest point of the "allowed" line: its bucket's values show.
  // (Found from the drawn path: the heartbeat may have landed in the
  // previous minute's bucket.)
  const svg = charts.first().locator('svg');
  const box = await svg.boundingBox();
  const [px, py] = await charts.first().locator('path[data-series="allowed"]').evaluate((path) => {
    const points = [...path.getAttribute('d').matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    return points.reduce((best, p) => (p[1] < best[1] ? p : best));
  });
  const viewBox = await svg.evaluate((el) => ({width: el.viewBox.baseVal.width, height: el.viewBox.baseVal.height}));
  await page.mouse.move(box.x + (px / viewBox.width) * box.width, box.y + (py / viewBox.height) * box.height);
  const tip = charts.first().locator('.chart-tip');
  await tip.waitFor();
  assert.match(await tip.textContent(), /allowed: 900/);
  await browser.screenshot(page, '05-charts');

  // The keyboard reads the same values.
  await page.mouse.move(0, 0);
  await charts.nth(2).locator('svg').focus();
  const latencyTip = charts.nth(2).locator('.chart-tip');
  await latencyTip.waitFor();
  // Upper bounds of log-2 buckets, as the server merges them: µs here.
  assert.match(await latencyTip.textContent(), /p50: [\d.]+ µs.*p99: [\d.]+ µs/);
  assert.deepEqual(page.errors, []);
});
