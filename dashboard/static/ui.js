// Small building blocks every page shares: error and empty states, badges,
// tables, copy buttons, confirmations, relative times.
import {h, append} from './dom.js';
import {relativeTime, dateTime} from './format.js';

// The server's message as it is (it names the field and the problem).
export function errorBox(error, prefix) {
  let message = error?.message || String(error);
  if (error?.code === 'forbidden') message = `Your role does not allow this. (${message})`;
  if (error?.code === 'too_many_requests' && error.retryAfter) {
    message = `${message} Try again in ${Math.ceil(error.retryAfter / 60)} min.`;
  }
  return h('div', {class: 'error-box', role: 'alert'}, prefix ? h('strong', {text: `${prefix}: `}) : null, message);
}

export function emptyState(title, ...body) {
  return h('section', {class: 'empty-state'}, h('h2', {text: title}), ...body);
}

export function loading(what) {
  return h('p', {class: 'loading', role: 'status', text: `Loading ${what}…`});
}

// kind: ok, muted, blocked (calm), monitored (warning), danger.
export function badge(text, kind) {
  return h('span', {class: ['badge', kind && `badge-${kind}`]}, text);
}

export function onlineBadge(online) {
  return online ? badge('online', 'ok') : badge('offline', 'muted');
}

export function outcomeBadge(outcome) {
  if (outcome === 'blocked') return badge('blocked', 'blocked');
  if (outcome === 'monitored') return badge('monitored', 'monitored');
  return badge(outcome || 'unknown', 'muted');
}

export function modeBadge(mode) {
  const kinds = {block: 'blocked', monitor: 'monitored', off: 'muted'};
  return badge(mode || 'local configuration', kinds[mode] || 'muted');
}

// A relative time that shows the exact time on hover and to screen readers.
export function timeAgo(ms) {
  if (ms === null || ms === undefined) return h('span', {class: 'muted', text: 'never'});
  return h('time', {datetime: new Date(ms).toISOString(), title: dateTime(ms)}, relativeTime(ms));
}

// columns: [{label, cell(row) -> node|string, class}]
export function table(columns, rows, {caption, rowAttrs} = {}) {
  return h('div', {class: 'table-wrap'},
    h('table', {},
      caption ? h('caption', {class: 'visually-hidden', text: caption}) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col', class: c.class, text: c.label})))),
      h('tbody', {}, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {},
        columns.map((c) => append(h('td', {class: c.class}), [c.cell(row)])))))));
}

// Label/value pairs.
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(Boolean).map(([k, v]) => [h('dt', {text: k}), append(h('dd'), [v ?? '—'])]));
}

export function copyButton(text, label = 'Copy') {
  const button = h('button', {type: 'button', class: 'secondary', text: label});
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // No clipboard (plain http on another host): select the text instead.
      const code = button.parentElement?.querySelector('code');
      if (code) window.getSelection().selectAllChildren(code);
      button.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
  return button;
}

// A secret shown once (API key, token), with a copy button.
export function secretOnce(title, secret, note) {
  return h('div', {class: 'secret-once', role: 'status'},
    h('p', {}, h('strong', {text: title}), ' ', note || 'It is shown only this once: copy it now.'),
    h('div', {class: 'secret-row'}, h('code', {class: 'secret', text: secret}), copyButton(secret)));
}

// A confirmation in a modal <dialog>: keyboard friendly (Escape cancels,
// focus stays inside) and not blocked like window.confirm can be.
export function confirmDialog(message, confirmLabel = 'Confirm', danger = true) {
  return new Promise((resolve) => {
    const ok = h('button', {type: 'button', class: danger ? 'danger' : 'primary', text: confirmLabel});
    const cancel = h('button', {type: 'button', class: 'secondary', text: 'Cancel'});
    const dialog = h('dialog', {class: 'confirm', 'aria-label': 'Confirm'}, h('p', {text: message}), h('div', {class: 'actions'}, cancel, ok));
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// A labelled form field. `control` is an input/select/textarea element.
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', {class: 'field'}, h('label', {for: id, text: label}), control, hint ? h('p', {class: 'hint', id: hintId, text: hint}) : null);
}

// A status line for the result of an action ("Saved", or the error).
export function statusLine() {
  const line = h('div', {class: 'status-line', 'aria-live': 'polite'});
  line.ok = (text) => {
    line.replaceChildren(h('span', {class: 'ok-text', text}));
  };
  line.fail = (error, prefix) => {
    line.replaceChildren(errorBox(error, prefix));
  };
  line.reset = () => line.replaceChildren();
  return line;
}

// "Read-only" note for viewers on pages that change things.
export function readOnlyNote() {
  return h('p', {class: 'note', role: 'note'}, 'You are a viewer: these settings are read-only. An admin can change them.');
}

// True while the user is reading or working inside `node` (keyboard focus
// or the mouse in it): periodic refreshes wait, so that a focused link, an
// open chart read-out or a half-typed value is not swept away.
export function userIsInside(node) {
  return node.contains(document.activeElement) || node.matches(':hover');
}
