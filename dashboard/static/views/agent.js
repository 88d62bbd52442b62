// One agent: what it runs, how its events are delivered, what it did with
// the server's actions, and its hook-point inventory (searchable, paged).
import {h, replace} from '../dom.js';
import {get, post} from '../api.js';
import {count, dateTime} from '../format.js';
import {facts, table, timeAgo, onlineBadge, modeBadge, badge, statusLine, loading, emptyState, confirmDialog, userIsInside} from '../ui.js';
import {isAdmin} from '../session.js';
import {appHeader} from './app_header.js';
import {statusBadge} from './agents.js';
import {deliveryTable} from './delivery.js';

const PAGE = 50;

export async function agentView(ctx) {
  const app = await appHeader(ctx, '/agents', 'agent');
  const agentId = ctx.params.agent;
  const base = `/apps/${app.id}/agents/${encodeURIComponent(agentId)}`;
  const summary = h('div', {class: 'agent-summary'}, loading('the agent'));
  const inventory = h('section', {class: 'inventory', 'aria-labelledby': 'inventory-title'});
  ctx.outlet.append(summary, inventory);

  const drawSummary = async () => {
    const {agent, action_results: results} = await get(base);
    if (!ctx.alive()) return;
    replace(summary,
      h('div', {class: 'columns'},
        h('section', {class: 'card'}, h('h2', {}, `${agent.host || '?'} · pid ${agent.pid ?? '?'}`),
          facts([
            ['State', h('span', {class: 'stack'}, onlineBadge(agent.online), statusBadge(agent))],
            agent.last_error ? ['Last error', h('span', {class: 'error-text', text: agent.last_error})] : null,
            ['Last heartbeat', timeAgo(agent.last_heartbeat_at ?? agent.logged_in_at)],
            ['Started', dateTime(agent.started_at)],
            agent.logged_out_at ? ['Logged out', dateTime(agent.logged_out_at)] : null,
            ['Executable', h('code', {text: agent.exe || '?'})],
            ['Agent id', h('code', {text: agent.agent_id})],
            ['Versions', `agent ${agent.agent_version || '?'}, runtime ${agent.runtime_version || '?'}`],
            ['Mode', modeBadge(agent.mode)],
            ['Settings version', h('span', {class: 'stack'}, String(agent.settings_version ?? 0), agent.up_to_date ? badge('up to date', 'ok') : badge('update pending', 'monitored'))],
            ['Ruleset', agent.ruleset_version || '—'],
          ]),
          isAdmin() ? actionButtons(app, agent) : null),
        h('section', {class: 'card'}, deliveryTable(agent.delivery),
          h('h3', {text: 'Actions received'}),
          results?.length ? table([
            {label: 'When', cell: (r) => timeAgo(r.time)},
            {label: 'Action', cell: (r) => h('code', {text: r.action_id})},
            {label: 'Outcome', cell: (r) => r.ok ? badge('applied', 'ok') : h('span', {class: 'stack'}, badge('refused', 'danger'), h('span', {class: 'error-text', text: r.error}))},
          ], results.slice(0, 10), {caption: 'Actions received'}) : h('p', {class: 'muted', text: 'None reported yet.'}))));
  };

  await drawSummary();
  ctx.every(3000, () => userIsInside(summary) || drawSummary().catch(() => {}));
  hookPointInventory(ctx, inventory, base);
}

function actionButtons(app, agent) {
  const status = statusLine();
  const send = (type, question) => async () => {
    if (question && !(await confirmDialog(question, type === 'disable' ? 'Disable protections' : 'Send'))) return;
    try {
      await post(`/apps/${app.id}/actions`, {type, agent_id: agent.agent_id});
      status.ok(`"${type}" sent: the agent picks it up within a few seconds.`);
    } catch (e) {
      status.fail(e, 'Not sent');
    }
  };
  return h('div', {class: 'agent-actions'},
    h('button', {type: 'button', class: 'secondary', text: 'Reload ruleset', onclick: send('reload')}),
    agent.status === 'disabled'
      ? h('button', {type: 'button', class: 'secondary', text: 'Enable protections', onclick: send('enable')})
      : h('button', {type: 'button', class: 'danger', text: 'Disable protections', onclick: send('disable', 'Detach every protection of this agent? The service runs unprotected until you enable them again.')}),
    status);
}

function hookPointInventory(ctx, section, base) {
  const search = h('input', {type: 'search', id: 'hook-search', placeholder: 'name, symbol or file', autocomplete: 'off'});
  const results = h('div', {class: 'hook-results'}, loading('hook points'));
  const pager = h('div', {class: 'pager'});
  replace(section,
    h('h2', {id: 'inventory-title', text: 'Hook points'}),
    h('div', {class: 'toolbar'}, h('label', {for: 'hook-search', class: 'inline-label', text: 'Search'}), search),
    results, pager);
  let offset = 0;
  let asked = 0;

  const load = async () => {
    const ticket = ++asked;
    const q = search.value.trim();
    const answer = await get(`${base}/hook-points`, {q, offset, limit: PAGE});
    // A slower answer to an older search must not overwrite a newer one.
    if (ticket !== asked || !ctx.alive()) return;
    const points = answer.hook_points || [];
    if (!points.length) {
      replace(results, q ? h('p', {class: 'muted'}, 'No hook point matches ', h('q', {text: q}), '.')
        : emptyState('No hook point reported', h('p', {}, 'This agent sent an empty inventory: was the service built with vigil-c++ / vigil-cc?')));
      replace(pager);
      return;
    }
    replace(results, table([
      {label: 'Name', cell: (p) => h('code', {text: p.name})},
      {label: 'Kind', cell: (p) => badge(p.kind, p.kind === 'call' ? 'muted' : 'ok')},
      {label: 'Symbol', cell: (p) => h('code', {class: 'wrap', text: p.symbol})},
      {label: 'Signature', cell: (p) => h('code', {class: 'wrap', text: p.signature})},
      {label: 'Source', cell: (p) => p.file ? h('code', {text: `${p.file}:${p.line ?? '?'}`}) : '—'},
      {label: 'Image', cell: (p) => h('code', {class: 'wrap', text: p.image || ''})},
    ], points, {caption: 'Hook points'}));
    const first = offset + 1;
    const last = offset + points.length;
    const cut = answer.hook_points_total > (q ? 0 : answer.total) && !q
      ? ` (the agent has ${count(answer.hook_points_total)}; it sent the first ${count(answer.total)})` : '';
    const prev = h('button', {type: 'button', class: 'secondary small', text: '← Previous', disabled: offset === 0});
    const next = h('button', {type: 'button', class: 'secondary small', text: 'Next →', disabled: answer.next_offset === null || answer.next_offset === undefined});
    prev.addEventListener('click', () => {
      offset = Math.max(0, offset - PAGE);
      load().catch(showError);
    });
    next.addEventListener('click', () => {
      offset = answer.next_offset;
      load().catch(showError);
    });
    replace(pager, prev, h('span', {class: 'pager-text', role: 'status', text: `${count(first)}–${count(last)} of ${count(answer.total)}${q ? ' matching' : ''}${cut}`}), next);
  };
  const showError = (e) => replace(results, h('div', {class: 'error-box', role: 'alert', text: e.message}));

  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      offset = 0;
      load().catch(showError);
    }, 250);
  });
  load().catch(showError);
}
