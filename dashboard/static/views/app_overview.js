// An application at a glance: its agents, and charts of requests, attacks,
// blocks and the time Vigil adds (hook points and protections), p50/p99.
import {h, replace} from '../dom.js';
import {get} from '../api.js';
import {serverNow, compact, duration, count} from '../format.js';
import {lineChart} from '../charts.js';
import {emptyState, loading, userIsInside} from '../ui.js';
import {appHeader} from './app_header.js';
import {connectHint} from './connect_hint.js';

// Range -> bucket, so that a chart has between 60 and 170 points.
const RANGES = [
  ['1h', 'Last hour', 3600e3, 60],
  ['6h', 'Last 6 hours', 6 * 3600e3, 300],
  ['24h', 'Last 24 hours', 24 * 3600e3, 900],
  ['7d', 'Last 7 days', 7 * 86400e3, 3600],
];

export async function overviewView(ctx) {
  const app = await appHeader(ctx, '');
  const rangeKey = RANGES.some((r) => r[0] === ctx.query.range) ? ctx.query.range : '1h';
  const select = h('select', {id: 'range'}, RANGES.map(([k, label]) => h('option', {value: k, selected: k === rangeKey, text: label})));
  select.addEventListener('change', () => ctx.router.go(`#/apps/${app.id}?range=${select.value}`));
  const agentsLine = h('p', {class: 'agents-line'});
  const charts = h('div', {class: 'charts'}, loading('charts'));
  ctx.outlet.append(
    h('div', {class: 'toolbar'}, agentsLine, h('label', {for: 'range', class: 'inline-label', text: 'Period'}), select),
    charts);

  const draw = async () => {
    const [, , span, bucket] = RANGES.find((r) => r[0] === rangeKey);
    const to = serverNow();
    const [series, {agents}] = await Promise.all([
      get(`/apps/${app.id}/timeseries`, {from: Math.floor(to - span), to: Math.floor(to), bucket}),
      get(`/apps/${app.id}/agents`, {status: 'all'}),
    ]);
    if (!ctx.alive()) return;
    const online = agents.filter((a) => a.online).length;
    replace(agentsLine, h('a', {href: `#/apps/${app.id}/agents`}, `${online} of ${agents.length} agent${agents.length === 1 ? '' : 's'} online`),
      agents.some((a) => hasDrops(a)) ? h('span', {class: 'badge badge-danger'}, 'events dropped: see agents') : null);
    if (!agents.length) {
      replace(charts, await connectHint(app));
      return;
    }
    replace(charts, ...renderCharts(series));
  };
  await draw();
  ctx.every(10000, () => userIsInside(charts) || draw().catch(() => {}));
}

export function hasDrops(agent) {
  const d = agent.delivery || {};
  return (d.dropped_queue_full || 0) + (d.dropped_spool_full || 0) + (d.rejected || 0) > 0;
}

export function renderCharts(ts) {
  const b = ts.buckets || [];
  const times = b.map((x) => x.t);
  const total = (k) => b.reduce((sum, x) => sum + (x.requests?.[k] || 0), 0);
  const anything = b.some((x) => x.attacks || x.blocks || x.hook_ns?.count || x.protection_ns?.count ||
    Object.values(x.requests || {}).some(Boolean));
  if (!anything) {
    return [emptyState('No data in this period',
      h('p', {}, 'Agents report request counts and latencies with every heartbeat (every minute by default), and attacks as they happen. Charts appear with the first report.'))];
  }
  const pick = (f) => b.map(f);
  const lat = (key, p) => pick((x) => x[key]?.[p] ?? null);
  return [
    h('p', {class: 'totals'},
      `Requests: ${count(total('allowed') + total('blocked') + total('monitored') + total('error'))}, `,
      `blocked: ${count(total('blocked'))}, monitored: ${count(total('monitored'))}, `,
      `attacks: ${count(b.reduce((s, x) => s + (x.attacks || 0), 0))}`),
    h('div', {class: 'chart-grid'},
      lineChart({title: 'Requests', times, bucketMs: ts.bucket_ms, format: compact, integer: true,
        description: 'Finished requests per time bucket, by outcome.',
        series: [
          {name: 'allowed', cls: 'c-allowed', values: pick((x) => x.requests?.allowed ?? 0)},
          {name: 'blocked', cls: 'c-blocked', values: pick((x) => x.requests?.blocked ?? 0)},
          {name: 'monitored', cls: 'c-monitored', values: pick((x) => x.requests?.monitored ?? 0)},
          {name: 'error', cls: 'c-error', values: pick((x) => x.requests?.error ?? 0)},
        ]}),
      lineChart({title: 'Attacks and blocks', times, bucketMs: ts.bucket_ms, format: compact, integer: true,
        description: 'Attack events per time bucket, and how many of them were blocked.',
        series: [
          {name: 'attacks', cls: 'c-attacks', values: pick((x) => x.attacks ?? 0)},
          {name: 'blocked', cls: 'c-blocked', values: pick((x) => x.blocks ?? 0)},
        ]}),
      lineChart({title: 'Protection check latency', times, bucketMs: ts.bucket_ms, format: duration,
        description: 'Time of one protection check (upper bound of its log-2 bucket).',
        series: [
          {name: 'p50', cls: 'c-p50', values: lat('protection_ns', 'p50')},
          {name: 'p99', cls: 'c-p99', values: lat('protection_ns', 'p99')},
        ]}),
      lineChart({title: 'Hook point latency', times, bucketMs: ts.bucket_ms, format: duration,
        description: 'Time spent in callbacks per hook point call.',
        series: [
          {name: 'p50', cls: 'c-p50', values: lat('hook_ns', 'p50')},
          {name: 'p99', cls: 'c-p99', values: lat('hook_ns', 'p99')},
        ]}),
      lineChart({title: 'Protection time per request', times, bucketMs: ts.bucket_ms, format: duration,
        description: 'Time all protections added to one request.',
        series: [
          {name: 'p50', cls: 'c-p50', values: lat('request_protection_ns', 'p50')},
          {name: 'p99', cls: 'c-p99', values: lat('request_protection_ns', 'p99')},
        ]})),
  ];
}
