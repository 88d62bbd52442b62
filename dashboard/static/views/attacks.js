// The attack feed, newest first, with filters kept in the address (so a
// filtered view can be shared) and paging by cursor.
import {h, replace} from '../dom.js';
import {get} from '../api.js';
import {protections, protectionLabel} from '../protections.js';
import {serverNow, dateTime} from '../format.js';
import {table, timeAgo, outcomeBadge, emptyState, loading, errorBox, userIsInside} from '../ui.js';
import {hashFor} from '../router.js';
import {appHeader} from './app_header.js';

const RANGES = [['', 'Any time'], ['1h', 'Last hour'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['custom', 'Between…']];
const SPANS = {'1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3};
const OUTCOMES = [['', 'Any outcome'], ['blocked', 'Blocked'], ['monitored', 'Monitored (let through)']];

export async function attacksView(ctx) {
  const fixedApp = ctx.params.app ? await appHeader(ctx, '/attacks', 'attacks') : null;
  if (!fixedApp) ctx.outlet.append(h('div', {class: 'page-head'}, h('h1', {text: 'Attacks'})));
  const q = ctx.query;
  const [{apps}, known] = await Promise.all([fixedApp ? {apps: []} : get('/apps'), protections()]);
  if (!ctx.alive()) return;
  const basePath = fixedApp ? `/apps/${fixedApp.id}/attacks` : '/attacks';

  const form = filterForm(q, apps, !fixedApp, known);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (data.range !== 'custom') {
      delete data.from;
      delete data.to;
    }
    ctx.router.go(hashFor(basePath, data));
  });
  // Selects apply at once; the custom dates wait for the button.
  for (const sel of form.querySelectorAll('select')) sel.addEventListener('change', () => {
    if (sel.name === 'range' && sel.value === 'custom') {
      form.querySelector('.custom-range').hidden = false;
      return;
    }
    form.requestSubmit();
  });
  const feed = h('div', {class: 'feed'}, loading('attacks'));
  const more = h('div', {class: 'more'});
  ctx.outlet.append(form, feed, more);

  const filters = {
    app: fixedApp ? fixedApp.id : q.app,
    protection: q.protection,
    outcome: q.outcome,
    type: q.type,
    limit: 50,
  };
  if (SPANS[q.range]) filters.from = Math.floor(serverNow() - SPANS[q.range]);
  if (q.range === 'custom') {
    if (q.from) filters.from = new Date(q.from).getTime();
    if (q.to) filters.to = new Date(q.to).getTime();
  }

  let rows = [];
  let pagesLoaded = 0;
  const draw = (nextCursor) => {
    if (!rows.length) {
      const filtered = q.protection || q.outcome || q.range || q.type || (!fixedApp && q.app);
      replace(feed, filtered
        ? emptyState('No attack matches these filters', h('p', {}, 'Try a longer period or ', h('a', {href: `#${basePath}`, text: 'clear the filters'}), '.'))
        : emptyState('No attack seen yet', h('p', {}, 'When a protection finds an attack (in monitor or block mode), it shows up here within seconds of the agent sending its next batch.')));
      replace(more);
      return;
    }
    replace(feed, attacksTable(rows, !fixedApp, known));
    replace(more, nextCursor ? h('button', {type: 'button', class: 'secondary', text: 'Load older attacks', onclick: async (e) => {
      e.target.disabled = true;
      try {
        const page = await get('/attacks', {...filters, cursor: nextCursor});
        rows = rows.concat(page.attacks);
        pagesLoaded++;
        draw(page.next_cursor);
      } catch (err) {
        replace(more, errorBox(err));
      }
    }}) : h('p', {class: 'muted', text: `${rows.length} attack${rows.length === 1 ? '' : 's'}, all shown.`}));
  };
  const loadFirst = async () => {
    const page = await get('/attacks', filters);
    if (!ctx.alive()) return;
    rows = page.attacks;
    pagesLoaded = 1;
    draw(page.next_cursor);
  };
  await loadFirst();
  // New attacks appear by themselves, unless the user is reading older pages.
  ctx.every(5000, () => {
    if (pagesLoaded <= 1 && !q.to && !userIsInside(feed)) loadFirst().catch(() => {});
  });
}

function filterForm(q, apps, showApp, known) {
  const select = (name, label, pairs) => h('label', {class: 'filter'}, h('span', {text: label}),
    h('select', {name}, pairs.map(([v, l]) => h('option', {value: v, selected: (q[name] || '') === v, text: l}))));
  const custom = h('span', {class: 'custom-range', hidden: q.range !== 'custom'},
    h('label', {class: 'filter'}, h('span', {text: 'From'}), h('input', {type: 'datetime-local', name: 'from', value: q.from || ''})),
    h('label', {class: 'filter'}, h('span', {text: 'To'}), h('input', {type: 'datetime-local', name: 'to', value: q.to || ''})),
    h('button', {type: 'submit', class: 'secondary small', text: 'Apply'}));
  return h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter attacks'},
    showApp ? select('app', 'Application', [['', 'All applications'], ...apps.map((a) => [String(a.id), a.name])]) : null,
    select('protection', 'Protection', [['', 'Any protection'], ...known.map((p) => [p.name, p.label])]),
    select('outcome', 'Outcome', OUTCOMES),
    select('range', 'Time', RANGES),
    custom);
}

function attacksTable(rows, showApp, known) {
  return table([
    {label: 'When', cell: (a) => h('a', {href: `#/attacks/${a.id}`, class: 'attack-link', title: dateTime(a.time)}, timeAgo(a.time))},
    showApp ? {label: 'Application', cell: (a) => a.app_name} : null,
    {label: 'Outcome', cell: (a) => outcomeBadge(a.outcome)},
    {label: 'Protection', cell: (a) => h('span', {class: 'stack'}, a.protection ? protectionLabel(known, a.protection) : a.type, h('code', {class: 'muted', text: a.rule || ''}))},
    {label: 'Request', cell: (a) => a.request ? h('code', {class: 'wrap', text: `${a.request.method || ''} ${a.request.path || ''}`}) : '—'},
    {label: 'Input', cell: (a) => a.input ? h('span', {class: 'input-cell'}, h('span', {class: 'muted', text: `${a.input.source || ''} ${a.input.key || ''} `}), h('code', {class: 'wrap', text: truncate(a.input.value, 80)})) : '—'},
    {label: 'Client', cell: (a) => a.request?.client_ip || '—'},
  ].filter(Boolean), rows, {caption: 'Attacks', rowAttrs: (a) => ({class: `outcome-${a.outcome}`, 'data-attack': a.id})});
}

function truncate(s, n) {
  const t = String(s ?? '');
  return t.length > n ? `${t.slice(0, n)}…` : t;
}
