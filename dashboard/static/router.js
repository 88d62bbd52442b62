// Hash routing: #/apps/3/attacks?outcome=blocked. A view is an async
// function of a context; the router gives it a fresh outlet, its path
// parameters and query, and timers that stop when the user goes elsewhere.
import {h, replace} from './dom.js';
import {errorBox} from './ui.js';

export function parseHash(hash) {
  const text = (hash || '').replace(/^#/, '') || '/';
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : text.slice(q + 1)));
  return {path, query};
}

// '#/attacks' + {app: 3, outcome: ''} -> '#/attacks?app=3'
export function hashFor(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, v);
  }
  const qs = params.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

function match(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

export class Router {
  // routes: [{pattern, view, title}]; outlet: the element views render in;
  // guard(route) may return a hash to go to instead (e.g. the login page).
  constructor(routes, outlet, guard) {
    this.routes = routes;
    this.outlet = outlet;
    this.guard = guard;
    this.generation = 0;
    this.cleanups = [];
    window.addEventListener('hashchange', () => this.render());
  }

  go(hash) {
    if (location.hash === hash) this.render();
    else location.hash = hash;
  }

  // Re-renders the current view in place (after a change it made).
  refresh() {
    return this.render({keepFocus: true});
  }

  async render({keepFocus} = {}) {
    const {path, query} = parseHash(location.hash);
    let route = null;
    let params = null;
    for (const r of this.routes) {
      params = match(r.pattern, path);
      if (params) {
        route = r;
        break;
      }
    }
    const redirect = this.guard(route, path);
    if (redirect) {
      this.go(redirect);
      return;
    }
    this.stopTimers();
    const generation = ++this.generation;
    const container = h('div', {class: 'view'});
    replace(this.outlet, container);
    if (!route) {
      container.append(h('h1', {text: 'Page not found'}), h('p', {}, 'Nothing lives at ', h('code', {text: path}), '. ', h('a', {href: '#/apps', text: 'Go to the applications'}), '.'));
      return;
    }
    document.title = `${route.title || 'Vigil'} · Vigil`;
    const ctx = {
      params,
      query,
      path,
      outlet: container,
      router: this,
      // False once the user has navigated away: late answers are dropped.
      alive: () => generation === this.generation,
      every: (ms, fn) => {
        const id = setInterval(() => {
          if (generation === this.generation && !document.hidden) fn();
        }, ms);
        this.cleanups.push(() => clearInterval(id));
      },
      onLeave: (fn) => this.cleanups.push(fn),
    };
    try {
      await route.view(ctx);
    } catch (e) {
      if (ctx.alive()) replace(container, errorBox(e));
    }
    if (!keepFocus && ctx.alive() && !container.contains(document.activeElement)) {
      // Screen readers and keyboard users start at the new page's heading.
      const heading = container.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({preventScroll: true});
      }
    }
  }

  stopTimers() {
    for (const fn of this.cleanups.splice(0)) fn();
  }
}
