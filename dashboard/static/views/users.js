// Dashboard users (admins only): create, change role, delete. The server
// refuses to remove or demote the last admin, and says so.
import {h, replace} from '../dom.js';
import {get, post, patch, del} from '../api.js';
import {table, timeAgo, field, statusLine, confirmDialog, errorBox} from '../ui.js';
import {user} from '../session.js';

export async function usersView(ctx) {
  ctx.outlet.append(h('div', {class: 'page-head'}, h('h1', {text: 'Users'})));
  const list = h('div', {});
  const result = statusLine();

  const draw = async () => {
    let users;
    try {
      ({users} = await get('/users'));
    } catch (e) {
      replace(list, e.code === 'forbidden' ? h('p', {class: 'note', text: 'Only admins see the list of users.'}) : errorBox(e));
      return false;
    }
    if (!ctx.alive()) return true;
    replace(list, table([
      {label: 'Username', cell: (u) => h('span', {}, u.username, u.id === user()?.id ? h('span', {class: 'muted', text: ' (you)'}) : '')},
      {label: 'Role', cell: (u) => roleSelect(u)},
      {label: 'Created', cell: (u) => timeAgo(u.created_at)},
      {label: '', cell: (u) => h('button', {type: 'button', class: 'danger small', text: 'Delete', 'aria-label': `Delete user ${u.username}`, onclick: async () => {
        if (!(await confirmDialog(`Delete the user "${u.username}"? Their sessions and API tokens end with it.`, 'Delete'))) return;
        try {
          await del(`/users/${u.id}`);
          result.ok(`User "${u.username}" deleted.`);
          await draw();
        } catch (e) {
          result.fail(e, 'Not deleted');
        }
      }})},
    ], users, {caption: 'Users'}));
    return true;
  };

  const roleSelect = (u) => {
    const select = h('select', {'aria-label': `Role of ${u.username}`},
      ['admin', 'viewer'].map((r) => h('option', {value: r, selected: u.role === r, text: r})));
    select.addEventListener('change', async () => {
      try {
        await patch(`/users/${u.id}`, {role: select.value});
        result.ok(`"${u.username}" is now ${select.value === 'admin' ? 'an admin' : 'a viewer'}.`);
      } catch (e) {
        select.value = u.role;
        result.fail(e, 'Role not changed');
      }
    });
    return select;
  };

  const username = h('input', {name: 'username', required: true, maxlength: '64', autocomplete: 'off'});
  const password = h('input', {name: 'password', type: 'password', required: true, minlength: '12', autocomplete: 'new-password'});
  const role = h('select', {name: 'role'}, h('option', {value: 'viewer', text: 'viewer (reads everything, changes nothing)'}), h('option', {value: 'admin', text: 'admin'}));
  const form = h('form', {class: 'inline-form card'},
    h('h2', {text: 'Add a user'}),
    h('div', {class: 'field-row'}, field('Username', username), field('Password', password, 'At least 12 characters.'), field('Role', role)),
    h('button', {type: 'submit', class: 'primary', text: 'Create user'}));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const {user: created} = await post('/users', {username: username.value.trim(), password: password.value, role: role.value});
      result.ok(`User "${created.username}" created.`);
      form.reset();
      await draw();
    } catch (err) {
      result.fail(err, 'Not created');
    }
  });
  ctx.outlet.append(result, list);
  if (await draw()) ctx.outlet.insertBefore(form, result);
}
