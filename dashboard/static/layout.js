// The bar at the top of every page once logged in: where to go, who you are,
// and the way out.
import {h, replace} from './dom.js';
import {badge} from './ui.js';
import {user, isAdmin} from './session.js';

const LINKS = [
  ['#/apps', 'Applications', 'apps'],
  ['#/attacks', 'Attacks', 'attacks'],
  ['#/users', 'Users', 'users', true],
  ['#/tokens', 'API tokens', 'tokens'],
  ['#/audit', 'Audit log', 'audit'],
];

export function renderTopBar(header, onLogout) {
  const u = user();
  if (!u) {
    header.hidden = true;
    replace(header);
    return;
  }
  header.hidden = false;
  const logout = h('button', {type: 'button', class: 'secondary small', text: 'Log out', onclick: onLogout});
  replace(header,
    h('a', {class: 'brand', href: '#/apps', 'aria-label': 'Vigil, applications'}, h('span', {class: 'brand-mark', 'aria-hidden': 'true', text: '◆'}), 'Vigil'),
    h('nav', {'aria-label': 'Main'}, h('ul', {}, LINKS.filter((l) => !l[3] || isAdmin()).map(([href, label, section]) =>
      h('li', {}, h('a', {href, dataset: {section}, text: label}))))),
    h('div', {class: 'who'}, h('span', {class: 'username', text: u.username}), badge(u.role, u.role === 'admin' ? 'ok' : 'muted'), logout));
  markCurrent(header);
}

// Highlights the section of the current page.
export function markCurrent(header) {
  const section = (location.hash.replace(/^#\//, '').split(/[/?]/)[0]) || 'apps';
  for (const a of header.querySelectorAll('nav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}
