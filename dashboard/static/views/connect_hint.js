// What to do when no agent has connected yet: the exact environment a
// service needs, with this server's URL and public key filled in.
import {h} from '../dom.js';
import {get} from '../api.js';
import {emptyState, copyButton} from '../ui.js';

export async function connectHint(app) {
  let publicKey = '<the server\'s public key, GET /api/v1/signing-key>';
  try {
    publicKey = (await get('/signing-key')).public_key || publicKey;
  } catch {
    // Keep the placeholder: the page still says where the key comes from.
  }
  const command = `VIGIL_SERVER=${location.origin} VIGIL_API_KEY=<a key of this application> VIGIL_SERVER_KEY=${publicKey} ./your-service`;
  return emptyState('No agent connected yet',
    h('p', {}, 'Build your service with ', h('code', {text: 'vigil-c++'}), ' (or ', h('code', {text: 'vigil-cc'}),
      ') and start it with ', h('code', {text: 'VIGIL_SERVER'}), ' set to this server\'s URL, ',
      h('code', {text: 'VIGIL_API_KEY'}), ' set to a key of this application and ', h('code', {text: 'VIGIL_SERVER_KEY'}),
      ' set to the server\'s public key (from ', h('code', {text: 'GET /api/v1/signing-key'}), '):'),
    h('div', {class: 'command'}, h('code', {class: 'command-text', text: command}), copyButton(command)),
    h('p', {}, 'No key yet? Create one on the ', h('a', {href: `#/apps/${app.id}/keys`, text: 'API keys page'}), '. The agent appears here within seconds of starting.'));
}
