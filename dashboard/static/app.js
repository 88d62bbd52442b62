// Entry point: restores the session, draws the top bar and routes.
import {Router} from './router.js';
import {onSessionLost} from './api.js';
import {restore, user, logout, forget} from './session.js';
import {renderTopBar, markCurrent} from './layout.js';
import {loginView} from './views/login.js';
import {appsView} from './views/apps.js';
import {overviewView} from './views/app_overview.js';
import {agentsView} from './views/agents.js';
import {agentView} from './views/agent.js';
import {protectionsView} from './views/protections.js';
import {attacksView} from './views/attacks.js';
import {attackView} from './views/attack.js';
import {keysView} from './views/keys.js';
import {usersView} from './views/users.js';
import {tokensView} from './views/tokens.js';
import {auditView} from './views/audit.js';

const routes = [
  {pattern: '/login', view: loginView, title: 'Log in', public: true},
  {pattern: '/', view: appsView, title: 'Applications'},
  {pattern: '/apps', view: appsView, title: 'Applications'},
  {pattern: '/apps/:app', view: overviewView, title: 'Application'},
  {pattern: '/apps/:app/agents', view: agentsView, title: 'Agents'},
  {pattern: '/apps/:app/agents/:agent', view: agentView, title: 'Agent'},
  {pattern: '/apps/:app/protections', view: protectionsView, title: 'Protections'},
  {pattern: '/apps/:app/attacks', view: attacksView, title: 'Attacks'},
  {pattern: '/apps/:app/keys', view: keysView, title: 'API keys'},
  {pattern: '/attacks', view: attacksView, title: 'Attacks'},
  {pattern: '/attacks/:attack', view: attackView, title: 'Attack'},
  {pattern: '/users', view: usersView, title: 'Users'},
  {pattern: '/tokens', view: tokensView, title: 'API tokens'},
  {pattern: '/audit', view: auditView, title: 'Audit log'},
];

const header = document.getElementById('top');
const main = document.getElementById('main');

// Where to come back to after logging in.
let wanted = null;

const router = new Router(routes, main, (route, path) => {
  if (route?.public) return null;
  if (!user()) {
    wanted = path === '/login' ? null : location.hash;
    return '#/login';
  }
  return null;
});

// The login page says when someone has logged in.
window.addEventListener('vigil:login', () => afterLogin());

function afterLogin() {
  drawTopBar();
  const next = wanted && wanted !== '#/login' ? wanted : '#/apps';
  wanted = null;
  router.go(next);
}

function drawTopBar() {
  renderTopBar(header, async () => {
    try {
      await logout();
    } catch {
      // The session is gone either way.
    }
    drawTopBar();
    router.go('#/login');
  });
}

onSessionLost(() => {
  if (!user()) return;
  forget();
  drawTopBar();
  wanted = location.hash;
  router.go('#/login');
});

window.addEventListener('hashchange', () => markCurrent(header));

async function start() {
  await restore();
  drawTopBar();
  if (user() && (location.hash === '#/login' || !location.hash)) location.hash = '#/apps';
  await router.render();
}

start();
