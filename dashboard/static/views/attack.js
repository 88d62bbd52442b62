// One attack, for the developer who has to fix the code: what came in and
// from where, the statement it changed (injected part highlighted), where in
// the code, and what Vigil did. Every string here came from the attacker or
// the service: text nodes only.
import {h} from '../dom.js';
import {get} from '../api.js';
import {protections, protectionLabel} from '../protections.js';
import {dateTime} from '../format.js';
import {facts, outcomeBadge, timeAgo} from '../ui.js';
import {renderStatement} from '../statement.js';

export async function attackView(ctx) {
  const [{attack}, known] = await Promise.all([get(`/attacks/${encodeURIComponent(ctx.params.attack)}`), protections()]);
  if (!ctx.alive()) return;
  const ev = attack.event || {};
  const req = {...(attack.request || {}), ...(ev.request || {})};
  const input = ev.input || attack.input;
  const sink = ev.sink;
  const protection = attack.protection ? protectionLabel(known, attack.protection) : attack.type;

  ctx.outlet.append(
    h('div', {class: 'page-head'},
      h('p', {class: 'crumbs'}, h('a', {href: '#/attacks', text: 'Attacks'}), ' / ',
        h('a', {href: `#/apps/${attack.app_id}/attacks`, text: attack.app_name || `application ${attack.app_id}`}), ' / ', `#${attack.id}`),
      h('h1', {}, `${protection} `, outcomeBadge(attack.outcome)),
      h('p', {class: ['verdict', `verdict-${attack.outcome}`]}, attack.outcome === 'blocked'
        ? 'Vigil stopped the dangerous call and answered the request with the block response.'
        : attack.outcome === 'monitored'
          ? 'Monitor mode: the attack was reported and let through. The statement below ran.'
          : '')),
    h('div', {class: 'columns'},
      h('section', {class: 'card', 'aria-labelledby': 'what-title'},
        h('h2', {id: 'what-title', text: 'What happened'}),
        facts([
          ['When', h('span', {}, dateTime(attack.time), ' (', timeAgo(attack.time), ')')],
          ['Rule', h('code', {text: attack.rule || '—'})],
          ['Reason', attack.reason || '—'],
          ['Hook point', h('code', {text: attack.hook_point || '—'})],
          ['Agent', h('a', {href: `#/apps/${attack.app_id}/agents/${encodeURIComponent(attack.agent_id)}`}, h('code', {text: attack.agent_id}))],
          ['Event id', h('code', {class: 'wrap', text: attack.event_id})],
        ])),
      h('section', {class: 'card', 'aria-labelledby': 'input-title'},
        h('h2', {id: 'input-title', text: 'The input that did it'}),
        input ? facts([
          ['Source', input.source || '—'],
          ['Key', h('code', {text: input.key || '—'})],
          ['Value', h('pre', {class: 'input-value'}, h('code', {text: input.value ?? ''}))],
        ]) : h('p', {class: 'muted', text: 'The agent did not report the input.'}))),
    h('section', {class: 'card', 'aria-labelledby': 'sink-title'},
      h('h2', {id: 'sink-title', text: sink?.kind === 'sql' || !sink ? 'The SQL statement' : `The ${sink.kind}`}),
      sink ? [
        h('p', {class: 'muted'}, sink.dialect ? `Dialect: ${sink.dialect}. ` : '', 'The highlighted part is what the input injected.'),
        renderStatement(sink.value),
      ] : h('p', {class: 'muted', text: 'No statement reported.'})),
    h('section', {class: 'card', 'aria-labelledby': 'request-title'},
      h('h2', {id: 'request-title', text: 'The request'}),
      facts([
        ['Method and path', h('code', {class: 'wrap', text: `${req.method || '?'} ${req.path || '?'}`})],
        ['Query', req.query ? h('code', {class: 'wrap', text: req.query}) : '—'],
        ['Route', req.route ? h('code', {text: req.route}) : '—'],
        ['Client IP', req.client_ip || '—'],
        ['User agent', req.user_agent ? h('code', {class: 'wrap', text: req.user_agent}) : '—'],
        ['Answered with', req.status ? String(req.status) : '—'],
        ['Framework', req.framework || '—'],
        ['Request id', req.id ? h('code', {text: req.id}) : '—'],
      ]),
      headersTable(req.headers)),
    h('section', {class: 'card', 'aria-labelledby': 'stack-title'},
      h('h2', {id: 'stack-title', text: 'Stack trace'}),
      ev.stack?.length
        ? h('ol', {class: 'stack-trace', start: '0'}, ev.stack.map((frame) => h('li', {}, h('code', {text: frame}))))
        : h('p', {class: 'muted', text: 'No stack trace reported.'})),
    h('details', {class: 'raw-event'}, h('summary', {text: 'The event as the agent sent it (JSON)'}),
      h('pre', {}, h('code', {text: JSON.stringify(ev, null, 2)}))));
}

function headersTable(headers) {
  const entries = Object.entries(headers || {});
  if (!entries.length) return h('p', {class: 'muted', text: 'No headers reported.'});
  return h('table', {class: 'headers-table'},
    h('caption', {text: 'Headers (sensitive values were redacted by the agent)'}),
    h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', {scope: 'row'}, h('code', {text: k})), h('td', {}, h('code', {class: 'wrap', text: Array.isArray(v) ? v.join(', ') : String(v)}))))));
}
