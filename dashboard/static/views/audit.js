// The audit log: every change and every login, newest first, by whom and
// from where.
import {h, replace} from '../dom.js';
import {get} from '../api.js';
import {table, timeAgo, badge, emptyState, loading, errorBox} from '../ui.js';
import {dateTime} from '../format.js';

export async function auditView(ctx) {
  ctx.outlet.append(h('div', {class: 'page-head'}, h('h1', {text: 'Audit log'})));
  const {apps} = await get('/apps');
  if (!ctx.alive()) return;
  const appFilter = h('select', {id: 'audit-app'}, h('option', {value: '', text: 'Everything'}),
    apps.map((a) => h('option', {value: String(a.id), selected: String(a.id) === ctx.query.app, text: a.name})));
  appFilter.addEventListener('change', () => ctx.router.go(appFilter.value ? `#/audit?app=${appFilter.value}` : '#/audit'));
  const list = h('div', {}, loading('the audit log'));
  const more = h('div', {class: 'more'});
  ctx.outlet.append(h('div', {class: 'toolbar'}, h('label', {for: 'audit-app', class: 'inline-label', text: 'Application'}), appFilter), list, more);
  const appNames = new Map(apps.map((a) => [a.id, a.name]));

  let entries = [];
  const load = async (cursor) => {
    const page = await get('/audit', {app: ctx.query.app, limit: 100, cursor});
    if (!ctx.alive()) return;
    entries = entries.concat(page.entries);
    if (!entries.length) {
      replace(list, emptyState('Nothing recorded yet'));
      return;
    }
    replace(list, table([
      {label: 'When', cell: (e) => h('span', {title: dateTime(e.time)}, timeAgo(e.time))},
      {label: 'Who', cell: (e) => h('span', {}, e.actor || '?', ' ', badge(e.auth, 'muted'))},
      {label: 'From', cell: (e) => e.remote_addr || '—'},
      {label: 'Action', cell: (e) => h('code', {class: e.action?.includes('fail') ? 'error-text' : null, text: e.action})},
      {label: 'Application', cell: (e) => e.app_id ? (appNames.get(e.app_id) || `#${e.app_id}`) : '—'},
      {label: 'Target', cell: (e) => e.target || '—'},
      {label: 'Details', cell: (e) => e.details && Object.keys(e.details).length ? h('code', {class: 'wrap details', text: JSON.stringify(e.details)}) : ''},
    ], entries, {caption: 'Audit log'}));
    replace(more, page.next_cursor ? h('button', {type: 'button', class: 'secondary', text: 'Load older entries', onclick: () => load(page.next_cursor).catch((e) => replace(more, errorBox(e)))}) : null);
  };
  await load();
}
