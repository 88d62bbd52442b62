// An application's API keys (what its agents authenticate with): create one
// (shown once, with a copy button), see when each was last used, revoke.
import {h, replace} from '../dom.js';
import {get, post, del} from '../api.js';
import {table, timeAgo, badge, field, statusLine, secretOnce, confirmDialog, emptyState, readOnlyNote} from '../ui.js';
import {isAdmin} from '../session.js';
import {appHeader} from './app_header.js';

export async function keysView(ctx) {
  const app = await appHeader(ctx, '/keys', 'API keys');
  const admin = isAdmin();
  const fresh = h('div', {class: 'fresh-secret'});
  const list = h('div', {});
  const result = statusLine();
  if (!admin) ctx.outlet.append(readOnlyNote());
  ctx.outlet.append(fresh);

  const draw = async () => {
    const {keys} = await get(`/apps/${app.id}/keys`);
    if (!ctx.alive()) return;
    if (!keys.length) {
      replace(list, emptyState('No API key yet', h('p', {}, 'Agents need a key of this application in ', h('code', {text: 'VIGIL_API_KEY'}), '.')));
      return;
    }
    replace(list, table([
      {label: 'Name', cell: (k) => k.name || '—'},
      {label: 'Key', cell: (k) => h('code', {text: `${k.prefix}…`})},
      {label: 'Created', cell: (k) => h('span', {}, timeAgo(k.created_at), k.created_by ? ` by ${k.created_by}` : '')},
      {label: 'Last used', cell: (k) => timeAgo(k.last_used_at)},
      {label: 'State', cell: (k) => k.revoked_at ? h('span', {}, badge('revoked', 'muted'), ' ', timeAgo(k.revoked_at)) : badge('active', 'ok')},
      admin ? {label: '', cell: (k) => k.revoked_at ? '' : h('button', {type: 'button', class: 'danger small', text: 'Revoke', 'aria-label': `Revoke key ${k.name || k.prefix}`, onclick: async () => {
        if (!(await confirmDialog(`Revoke the key "${k.name || k.prefix}"? Agents using it are refused within about a second.`, 'Revoke'))) return;
        try {
          await del(`/apps/${app.id}/keys/${k.id}`);
          result.ok('Key revoked.');
          await draw();
        } catch (e) {
          result.fail(e, 'Not revoked');
        }
      }})} : null,
    ].filter(Boolean), keys, {caption: 'API keys'}));
  };

  if (admin) {
    const name = h('input', {name: 'name', maxlength: '128', placeholder: 'e.g. production', autocomplete: 'off'});
    const form = h('form', {class: 'inline-form card'},
      h('h2', {text: 'Create a key'}),
      field('Name (optional)', name),
      h('button', {type: 'submit', class: 'primary', text: 'Create key'}));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const answer = await post(`/apps/${app.id}/keys`, name.value.trim() ? {name: name.value.trim()} : {});
        replace(fresh, secretOnce(`New key "${answer.key.name || answer.key.prefix}":`, answer.secret,
          'Shown only this once (the server keeps only its hash): copy it into VIGIL_API_KEY now.'));
        name.value = '';
        await draw();
      } catch (err) {
        result.fail(err, 'Not created');
      }
    });
    ctx.outlet.append(form);
  }
  ctx.outlet.append(result, list);
  await draw();
}
