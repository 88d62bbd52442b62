// Protections of an application: the mode of each protection, the block
// response, and whether the running agents have the latest settings yet.
// The ruleset has its own section (ruleset.js).
import {h, replace} from '../dom.js';
import {get, put} from '../api.js';
import {dateTime} from '../format.js';
import {field, statusLine, readOnlyNote, badge, loading} from '../ui.js';
import {isAdmin} from '../session.js';
import {protections as knownProtections} from '../protections.js';
import {appHeader} from './app_header.js';
import {rulesetSection} from './ruleset.js';

const MODES = [
  ['off', 'Off', 'not checked'],
  ['monitor', 'Monitor', 'attacks are reported and let through'],
  ['block', 'Block', 'attacks are stopped and answered with the block response'],
];

export async function protectionsView(ctx) {
  const app = await appHeader(ctx, '/protections', 'protections');
  const admin = isAdmin();
  const rollout = h('div', {class: 'rollout', 'aria-live': 'polite'});
  const settingsCard = h('section', {class: 'card', 'aria-labelledby': 'settings-title'}, loading('settings'));
  const rulesetCard = h('section', {class: 'card', 'aria-labelledby': 'ruleset-title'});
  if (!admin) ctx.outlet.append(readOnlyNote());
  ctx.outlet.append(rollout, settingsCard, rulesetCard);

  const [current, ruleset, known] = await Promise.all([get(`/apps/${app.id}/settings`), get(`/apps/${app.id}/ruleset`), knownProtections()]);
  if (!ctx.alive()) return;
  const protections = protectionList(known, current.settings, ruleset.ruleset);

  const drawRollout = async () => {
    const [s, {agents}] = await Promise.all([get(`/apps/${app.id}/settings`), get(`/apps/${app.id}/agents`, {status: 'online'})]);
    if (!ctx.alive()) return;
    replace(rollout, rolloutLine(s, agents));
  };

  replace(settingsCard, settingsForm(app, current, protections, admin, drawRollout));
  rulesetSection(ctx, rulesetCard, app, ruleset, admin);
  await drawRollout();
  // A change reaches running agents within seconds: follow it live.
  ctx.every(2000, () => drawRollout().catch(() => {}));
}

// Every protection the page can switch: the server's table (what agents
// have), in its order, and any other the settings or the ruleset name.
function protectionList(known, settings, ruleset) {
  const list = known.map((p) => ({name: p.name, label: p.label}));
  const add = (name) => { if (!list.some((p) => p.name === name)) list.push({name, label: name}); };
  for (const k of Object.keys(settings?.protections || {})) add(k);
  for (const r of ruleset?.rules || []) if (r.protection) add(r.protection);
  return list;
}

export function rolloutLine(settings, onlineAgents) {
  const v = settings.version;
  const m = onlineAgents.length;
  if (!v) {
    return h('p', {class: 'rollout-line muted'}, 'No settings sent from this dashboard yet: agents use their local configuration (VIGIL_MODE, VIGIL_BLOCK_*).');
  }
  if (!m) {
    return h('p', {class: 'rollout-line', 'data-applied': '0/0'}, badge('no agent online', 'muted'),
      ` Settings version ${v}: agents get it when they connect.`);
  }
  const n = onlineAgents.filter((a) => (a.settings_version ?? 0) >= v).length;
  const done = n === m;
  return h('p', {class: ['rollout-line', done ? 'rollout-done' : 'rollout-pending'], 'data-applied': `${n}/${m}`},
    done ? badge('applied', 'ok') : badge('rolling out', 'monitored'),
    ` Settings version ${v}: applied by ${n} of ${m} online agent${m === 1 ? '' : 's'}.`,
    done ? '' : ' Running agents pick changes up within about 5 seconds.',
    settings.updated_by ? h('span', {class: 'muted', text: ` Changed by ${settings.updated_by} at ${dateTime(settings.updated_at)}.`}) : '');
}

function modeGroup(name, legend, value, allowUnset, disabled, hint) {
  const choices = [...(allowUnset ? [['', 'Not set', "the agents' local configuration"]] : []), ...MODES];
  return h('fieldset', {class: 'mode-group', dataset: {protection: name}},
    h('legend', {text: legend}),
    h('div', {class: 'segmented'}, choices.map(([v, label, title]) => {
      const id = `mode-${name}-${v || 'unset'}`;
      return h('span', {class: `segment segment-${v || 'unset'}`},
        h('input', {type: 'radio', name: `mode-${name}`, id, value: v, checked: (value ?? '') === v, disabled}),
        h('label', {for: id, title, text: label}));
    })),
    hint ? h('p', {class: 'hint', text: hint}) : null);
}

function settingsForm(app, current, protections, admin, onSaved) {
  const s = current.settings || {};
  const block = s.block || {};
  const disabled = !admin;
  const status = h('input', {type: 'number', min: '100', max: '599', name: 'status', value: block.status ?? '', placeholder: 'agent default (403)', disabled});
  const html = h('textarea', {name: 'html', rows: '4', spellcheck: 'false', disabled, value: block.html ?? ''});
  const json = h('textarea', {name: 'json', rows: '3', spellcheck: 'false', disabled, value: block.json ?? ''});
  const redirect = h('input', {type: 'url', name: 'redirect', value: block.redirect ?? '', placeholder: 'https://…', disabled});
  const result = statusLine();
  const versionLine = h('p', {class: 'muted'});
  const showVersion = (v) => {
    versionLine.textContent = v.version ? `Settings version ${v.version}, changed by ${v.updated_by || '?'} at ${dateTime(v.updated_at)}.` : 'Never changed here.';
  };
  showVersion(current);
  const form = h('form', {class: 'settings-form'},
    h('h2', {id: 'settings-title', text: 'Protection modes'}),
    versionLine,
    modeGroup('global', 'All protections (global mode)', s.mode, s.mode === undefined, disabled, 'Off switches every protection off, whatever the per-protection mode says.'),
    protections.map(({name, label}) => modeGroup(name, label, s.protections?.[name], s.protections?.[name] === undefined, disabled)),
    h('h2', {text: 'Block response'}),
    h('p', {class: 'muted', text: 'What a blocked request is answered with. Empty fields keep the agents\' own value.'}),
    h('div', {class: 'field-row'}, field('HTTP status', status, '100 to 599'), field('Redirect to', redirect, 'If set, a blocked request gets a 303 to this http:// or https:// URL instead.')),
    field('HTML template', html, 'Sent to clients that accept HTML.'),
    field('JSON template', json, 'Sent to API clients (Accept: application/json).'),
    admin ? h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary', text: 'Save and send to agents'})) : null,
    result);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    const mode = form.querySelector('input[name="mode-global"]:checked')?.value;
    if (mode) body.mode = mode;
    for (const {name} of protections) {
      const v = form.querySelector(`input[name="mode-${CSS.escape(name)}"]:checked`)?.value;
      if (v) (body.protections ||= {})[name] = v;
    }
    const b = {};
    if (status.value !== '') b.status = Number(status.value);
    // A template once set stays in the payload (even emptied): absent keys
    // would leave the agents' previous value in force.
    if (html.value !== '' || 'html' in block) b.html = html.value;
    if (json.value !== '' || 'json' in block) b.json = json.value;
    if (redirect.value !== '' || 'redirect' in block) b.redirect = redirect.value.trim();
    if (Object.keys(b).length) body.block = b;
    try {
      const saved = await put(`/apps/${app.id}/settings`, body);
      result.ok(`Saved as settings version ${saved.version} and sent to the agents.`);
      showVersion(saved);
      await onSaved(saved);
    } catch (err) {
      result.fail(err, 'Not saved');
    }
  });
  return form;
}
