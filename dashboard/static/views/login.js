// The login form. A wrong username or password, or a throttled login, is
// said plainly next to the form.
import {h} from '../dom.js';
import {errorBox, field} from '../ui.js';
import {login, user} from '../session.js';

export async function loginView(ctx) {
  if (user()) {
    window.dispatchEvent(new CustomEvent('vigil:login'));
    return;
  }
  const username = h('input', {name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false'});
  const password = h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true});
  const submit = h('button', {type: 'submit', class: 'primary', text: 'Log in'});
  const message = h('div', {class: 'login-message', 'aria-live': 'assertive'});
  const form = h('form', {class: 'login-form', novalidate: true},
    h('h1', {text: 'Log in to Vigil'}),
    field('Username', username),
    field('Password', password),
    message,
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.replaceChildren();
    if (!username.value || !password.value) {
      message.append(errorBox(new Error('Enter your username and password.')));
      return;
    }
    submit.disabled = true;
    try {
      await login(username.value.trim(), password.value);
      window.dispatchEvent(new CustomEvent('vigil:login'));
    } catch (err) {
      if (err.code === 'unauthorized') err.message = 'Wrong username or password.';
      message.append(errorBox(err));
      password.select();
      submit.disabled = false;
    }
  });
  ctx.outlet.append(h('div', {class: 'login-page'}, form,
    h('p', {class: 'hint'}, 'No account yet? The first admin is created on the server with ', h('code', {text: 'vigil-server admin create'}), '.')));
  username.focus();
}
