// The applications: how many agents each has online, when it last reported
// an attack, and (for admins) a form to add one.
import {h, replace} from '../dom.js';
import {get, post} from '../api.js';
import {setServerTime, count} from '../format.js';
import {emptyState, table, timeAgo, field, statusLine, loading, badge, userIsInside} from '../ui.js';
import {isAdmin} from '../session.js';

export async function appsView(ctx) {
  const list = h('div', {class: 'apps-list'}, loading('applications'));
  const summary = h('div', {class: 'summary'});
  ctx.outlet.append(h('div', {class: 'page-head'}, h('h1', {text: 'Applications'})), summary, list);
  if (isAdmin()) ctx.outlet.append(createAppForm(ctx));

  const draw = async () => {
    const [status, {apps}] = await Promise.all([get('/status'), get('/apps')]);
    if (!ctx.alive()) return;
    setServerTime(status.server_time);
    const c = status.counts || {};
    replace(summary,
      stat('applications', c.apps),
      stat('agents online', `${count(c.agents_online)} of ${count(c.agents_total)}`),
      stat('events stored', c.events));
    if (!apps.length) {
      replace(list, emptyState('No application yet',
        h('p', {}, 'An application is one service that Vigil protects; its agents authenticate with the application\'s API keys.'),
        isAdmin() ? h('p', {}, 'Create one with the form below, or on the server with ', h('code', {text: 'vigil-server app create NAME'}), '.')
          : h('p', {}, 'Ask an admin to create one.')));
      return;
    }
    replace(list, table([
      {label: 'Application', cell: (a) => h('a', {href: `#/apps/${a.id}`, text: a.name})},
      {label: 'Agents online', cell: (a) => agentsCell(a)},
      {label: 'Last event', cell: (a) => timeAgo(a.last_event_at)},
      {label: 'Settings version', class: 'num', cell: (a) => String(a.settings_version ?? 0)},
      {label: 'Ruleset version', class: 'num', cell: (a) => String(a.ruleset_version ?? 0)},
      {label: '', cell: (a) => h('span', {class: 'row-links'},
        h('a', {href: `#/apps/${a.id}/agents`, text: 'Agents'}),
        h('a', {href: `#/apps/${a.id}/protections`, text: 'Protections'}),
        h('a', {href: `#/apps/${a.id}/attacks`, text: 'Attacks'}))},
    ], apps, {caption: 'Applications'}));
  };
  await draw();
  ctx.every(5000, () => userIsInside(list) || draw().catch(() => {}));
}

function agentsCell(app) {
  if (!app.agents_total) return badge('no agent yet', 'muted');
  return h('span', {}, h('span', {class: app.agents_online ? 'dot dot-ok' : 'dot dot-off', 'aria-hidden': 'true'}),
    `${app.agents_online} of ${app.agents_total}`);
}

function stat(label, value) {
  return h('div', {class: 'stat'}, h('span', {class: 'stat-value', text: typeof value === 'number' ? count(value) : String(value ?? '—')}), h('span', {class: 'stat-label', text: label}));
}

function createAppForm(ctx) {
  const name = h('input', {name: 'name', required: true, maxlength: '64', pattern: '[A-Za-z0-9._\\-]+', autocomplete: 'off'});
  const status = statusLine();
  const form = h('form', {class: 'inline-form card'},
    h('h2', {text: 'Add an application'}),
    field('Name', name, "1 to 64 letters, digits, '.', '_' or '-', e.g. shop"),
    h('button', {type: 'submit', class: 'primary', text: 'Create application'}),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const {app} = await post('/apps', {name: name.value.trim()});
      ctx.router.go(`#/apps/${app.id}/agents`);
    } catch (err) {
      status.fail(err, 'Not created');
    }
  });
  return form;
}
