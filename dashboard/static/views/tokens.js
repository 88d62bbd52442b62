// API tokens for automation (Authorization: Bearer vgt_…): yours, or
// everyone's for an admin. A new token is shown once.
import {h, replace} from '../dom.js';
import {get, post, del} from '../api.js';
import {table, timeAgo, badge, field, statusLine, secretOnce, confirmDialog, emptyState} from '../ui.js';
import {isAdmin} from '../session.js';

export async function tokensView(ctx) {
  ctx.outlet.append(h('div', {class: 'page-head'}, h('h1', {text: 'API tokens'}),
    h('p', {class: 'muted'}, 'For scripts and CI: send ', h('code', {text: 'Authorization: Bearer <token>'}), ' to the JSON API. A token acts as you, with at most your role.')));
  const fresh = h('div', {});
  const list = h('div', {});
  const result = statusLine();

  const draw = async () => {
    const {tokens} = await get('/tokens');
    if (!ctx.alive()) return;
    if (!tokens.length) {
      replace(list, emptyState('No API token', h('p', {text: 'Create one below when a script needs to read or change Vigil.'})));
      return;
    }
    replace(list, table([
      {label: 'Name', cell: (t) => t.name || '—'},
      {label: 'Token', cell: (t) => h('code', {text: `${t.prefix}…`})},
      {label: 'Role', cell: (t) => badge(t.role, t.role === 'admin' ? 'ok' : 'muted')},
      isAdmin() ? {label: 'Owner', cell: (t) => t.user} : null,
      {label: 'Created', cell: (t) => timeAgo(t.created_at)},
      {label: 'Expires', cell: (t) => t.expires_at ? timeAgo(t.expires_at) : 'never'},
      {label: 'Last used', cell: (t) => timeAgo(t.last_used_at)},
      {label: '', cell: (t) => h('button', {type: 'button', class: 'danger small', text: 'Delete', 'aria-label': `Delete token ${t.name || t.prefix}`, onclick: async () => {
        if (!(await confirmDialog(`Delete the token "${t.name || t.prefix}"? Scripts using it stop working.`, 'Delete'))) return;
        try {
          await del(`/tokens/${t.id}`);
          result.ok('Token deleted.');
          await draw();
        } catch (e) {
          result.fail(e, 'Not deleted');
        }
      }})},
    ].filter(Boolean), tokens, {caption: 'API tokens'}));
  };

  const name = h('input', {name: 'name', required: true, maxlength: '128', autocomplete: 'off', placeholder: 'e.g. ci'});
  const role = h('select', {name: 'role'}, h('option', {value: 'viewer', text: 'viewer'}), isAdmin() ? h('option', {value: 'admin', text: 'admin'}) : null);
  const days = h('input', {name: 'expires', type: 'number', min: '1', max: '3650', placeholder: 'never'});
  const form = h('form', {class: 'inline-form card'},
    h('h2', {text: 'Create a token'}),
    h('div', {class: 'field-row'}, field('Name', name), field('Role', role), field('Expires in (days)', days, 'Empty: never.')),
    h('button', {type: 'submit', class: 'primary', text: 'Create token'}));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {name: name.value.trim(), role: role.value};
    if (days.value) body.expires_in_days = Number(days.value);
    try {
      const answer = await post('/tokens', body);
      replace(fresh, secretOnce(`New token "${answer.token.name}":`, answer.secret));
      form.reset();
      await draw();
    } catch (err) {
      result.fail(err, 'Not created');
    }
  });
  ctx.outlet.append(fresh, form, result, list);
  await draw();
}
