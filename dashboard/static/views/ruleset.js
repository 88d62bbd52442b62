// The ruleset in force for an application, and replacing it: a custom one
// is validated first (the server's message names the exact field), then
// uploaded; "back to built-in" returns to the agents' default rules.
import {h, replace} from '../dom.js';
import {request, del} from '../api.js';
import {dateTime} from '../format.js';
import {table, badge, field, statusLine, confirmDialog, modeBadge} from '../ui.js';

export function rulesetSection(ctx, card, app, current, admin) {
  const draw = (rs) => replace(card, ...content(rs));

  const content = (rs) => {
    const rules = rs.ruleset?.rules || [];
    const parts = [
      h('h2', {id: 'ruleset-title', text: 'Ruleset'}),
      h('p', {class: 'ruleset-source'},
        rs.source === 'custom' ? badge('custom', 'monitored') : badge('built-in', 'ok'), ' ',
        rs.source === 'custom'
          ? `"${rs.ruleset?.version ?? '?'}", uploaded by ${rs.updated_by || '?'} at ${dateTime(rs.updated_at)} (ruleset version ${rs.version}).`
          : rs.version ? `The agents' default ruleset, restored by ${rs.updated_by || '?'} at ${dateTime(rs.updated_at)}.` : 'The agents\' default ruleset (never changed here).',
        rs.agents_behind ? h('span', {class: 'pending', text: ` ${rs.agents_behind} agent(s) do not have it yet.`}) : ''),
    ];
    if (rules.length) {
      // The built-in ruleset has many rules: folded, so the upload form stays in sight.
      parts.push(h('details', {class: 'rules', open: rules.length <= 5}, h('summary', {text: `${rules.length} rule${rules.length === 1 ? '' : 's'}`}), table([
        {label: 'Rule', cell: (r) => h('code', {text: r.id})},
        {label: 'Protection', cell: (r) => r.protection},
        {label: 'Mode', cell: (r) => r.mode ? modeBadge(r.mode) : h('span', {class: 'muted', text: 'as set above'})},
        {label: 'Hook points', cell: (r) => h('span', {class: 'code-list'}, (r.hook_points || []).map((p) => h('code', {text: p})))},
        {label: 'Dialect', cell: (r) => r.params?.dialect || '—'},
        {label: 'Description', cell: (r) => r.description || ''},
      ], rules, {caption: 'Rules'})));
    }
    if (admin) parts.push(uploadForm(app, rs, draw));
    return parts;
  };
  draw(current);
}

function uploadForm(app, current, onChanged) {
  const text = h('textarea', {id: 'ruleset-text', rows: '10', spellcheck: 'false', class: 'code-input',
    placeholder: '{"version": "my-rules-1", "rules": [ … ]}  (see docs/ruleset.md)'});
  const file = h('input', {type: 'file', id: 'ruleset-file', accept: '.json,application/json'});
  const validate = h('button', {type: 'button', class: 'secondary', text: 'Validate'});
  const upload = h('button', {type: 'button', class: 'primary', text: 'Upload and send to agents', disabled: true});
  const builtin = h('button', {type: 'button', class: 'danger', text: 'Back to the built-in ruleset'});
  const result = statusLine();
  // Upload is offered only for the exact text that has just validated.
  let validated = null;

  text.addEventListener('input', () => {
    validated = null;
    upload.disabled = true;
    result.reset();
  });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    text.value = await f.text();
    text.dispatchEvent(new Event('input'));
  });
  validate.addEventListener('click', async () => {
    const body = text.value;
    try {
      JSON.parse(body);
    } catch (e) {
      result.fail(new Error(`This is not JSON: ${e.message}`), 'Invalid');
      return;
    }
    try {
      const answer = await request('POST', `/apps/${app.id}/ruleset/validate`, {body, raw: true});
      if (answer.valid) {
        validated = body;
        upload.disabled = false;
        result.ok('Valid. The agents still check that its hook points exist and report a refusal on their page.');
      } else {
        result.fail(new Error(answer.message), 'Invalid');
      }
    } catch (e) {
      result.fail(e, 'Invalid');
    }
  });
  upload.addEventListener('click', async () => {
    if (validated === null || validated !== text.value) return;
    try {
      const rs = await request('PUT', `/apps/${app.id}/ruleset`, {body: validated, raw: true});
      onChanged(rs);
    } catch (e) {
      result.fail(e, 'Not uploaded');
    }
  });
  builtin.addEventListener('click', async () => {
    if (!(await confirmDialog('Replace the ruleset in force by the agents\' built-in one?', 'Use the built-in ruleset'))) return;
    try {
      onChanged(await del(`/apps/${app.id}/ruleset`));
    } catch (e) {
      result.fail(e, 'Not changed');
    }
  });
  return h('div', {class: 'ruleset-upload'},
    h('h3', {text: 'Use a custom ruleset'}),
    field('Ruleset (JSON)', text, 'Paste it or choose a file; validate it, then upload it.'),
    h('div', {class: 'actions'}, file, h('label', {for: 'ruleset-file', class: 'file-label', text: 'Choose a file'}), validate, upload),
    result,
    current.source === 'custom' ? h('div', {class: 'actions'}, builtin) : null);
}
