// An application's agents: online or not, last heartbeat, versions, host,
// pid, status, whether they run the latest settings, and delivery counters.
import {h, replace} from '../dom.js';
import {get} from '../api.js';
import {table, timeAgo, onlineBadge, badge, modeBadge, loading, userIsInside} from '../ui.js';
import {appHeader} from './app_header.js';
import {connectHint} from './connect_hint.js';
import {deliverySummary, dropTotal} from './delivery.js';

export async function agentsView(ctx) {
  const app = await appHeader(ctx, '/agents', 'agents');
  const status = ['all', 'online', 'offline'].includes(ctx.query.status) ? ctx.query.status : 'all';
  const select = h('select', {id: 'agent-status'}, [['all', 'All agents'], ['online', 'Online'], ['offline', 'Offline']].map(([v, l]) =>
    h('option', {value: v, selected: v === status, text: l})));
  select.addEventListener('change', () => ctx.router.go(`#/apps/${app.id}/agents${select.value === 'all' ? '' : `?status=${select.value}`}`));
  const list = h('div', {class: 'agents'}, loading('agents'));
  ctx.outlet.append(h('div', {class: 'toolbar'}, h('label', {for: 'agent-status', class: 'inline-label', text: 'Show'}), select), list);

  const draw = async () => {
    const {agents} = await get(`/apps/${app.id}/agents`, {status});
    if (!ctx.alive()) return;
    if (!agents.length) {
      replace(list, status === 'all' ? await connectHint(app) : h('p', {class: 'muted', text: `No ${status} agent.`}));
      return;
    }
    replace(list, agentsTable(app, agents));
  };
  await draw();
  ctx.every(3000, () => userIsInside(list) || draw().catch(() => {}));
}

export function agentsTable(app, agents) {
  return table([
    {label: 'Agent', cell: (a) => h('a', {href: `#/apps/${app.id}/agents/${encodeURIComponent(a.agent_id)}`},
      h('span', {class: 'host', text: `${a.host || '?'} · pid ${a.pid ?? '?'}`}), h('span', {class: 'agent-id', text: a.agent_id.slice(0, 12)}))},
    {label: 'State', cell: (a) => h('span', {class: 'stack'}, onlineBadge(a.online), statusBadge(a))},
    {label: 'Last heartbeat', cell: (a) => timeAgo(a.last_heartbeat_at ?? a.logged_in_at)},
    {label: 'Mode', cell: (a) => modeBadge(a.mode)},
    {label: 'Settings', cell: (a) => h('span', {class: 'stack'}, `v${a.settings_version ?? 0} · rules ${a.ruleset_version || '—'}`,
      a.up_to_date ? badge('up to date', 'ok') : badge('update pending', 'monitored'))},
    {label: 'Versions', cell: (a) => `agent ${a.agent_version || '?'} · runtime ${a.runtime_version || '?'}`},
    {label: 'Hook points', class: 'num', cell: (a) => String(a.hook_points_total ?? 0)},
    {label: 'Delivery', cell: (a) => deliverySummary(a.delivery)},
  ], agents, {caption: 'Agents', rowAttrs: (a) => ({class: dropTotal(a.delivery) ? 'has-drops' : null, 'data-agent': a.agent_id})});
}

export function statusBadge(agent) {
  const kinds = {running: 'ok', degraded: 'monitored', disabled: 'muted', stopped: 'danger'};
  const b = badge(agent.status || 'unknown', kinds[agent.status] || 'muted');
  if (agent.last_error) b.setAttribute('title', agent.last_error);
  return b;
}
