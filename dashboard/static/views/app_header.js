// The heading and tabs shared by an application's pages.
import {h} from '../dom.js';
import {get} from '../api.js';

const TABS = [
  ['', 'Overview'],
  ['/agents', 'Agents'],
  ['/protections', 'Protections'],
  ['/attacks', 'Attacks'],
  ['/keys', 'API keys'],
];

// Loads the application and draws its heading; returns the application.
export async function appHeader(ctx, current, subtitle) {
  const {app} = await get(`/apps/${encodeURIComponent(ctx.params.app)}`);
  const base = `#/apps/${app.id}`;
  ctx.outlet.append(h('div', {class: 'page-head'},
    h('p', {class: 'crumbs'}, h('a', {href: '#/apps', text: 'Applications'}), ' / ', h('span', {text: app.name})),
    h('h1', {}, subtitle ? `${app.name}: ${subtitle}` : app.name),
    h('nav', {class: 'tabs', 'aria-label': `${app.name} pages`}, TABS.map(([suffix, label]) =>
      h('a', {href: base + suffix, 'aria-current': suffix === current ? 'page' : null, text: label})))));
  return app;
}
