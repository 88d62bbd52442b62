// An agent's delivery counters. Drops are what users must never miss: any
// non-zero drop counter is shown in red with what it means.
import {h} from '../dom.js';
import {count, bytes} from '../format.js';

const DROPS = [
  ['dropped_queue_full', 'dropped: queue full', 'the service produced events faster than the agent could hand them on'],
  ['dropped_spool_full', 'dropped: spool full', 'the server was away long enough for the on-disk spool to fill; the oldest batches were dropped'],
  ['rejected', 'rejected by the server', 'the server refused these events as malformed'],
];

export function dropTotal(delivery) {
  const d = delivery || {};
  return DROPS.reduce((sum, [k]) => sum + (d[k] || 0), 0);
}

// One line for tables: "118 sent · 2 queued · 3 dropped".
export function deliverySummary(delivery) {
  const d = delivery || {};
  const drops = dropTotal(d);
  return h('span', {class: 'delivery'},
    `${count(d.events_sent ?? 0)} sent`,
    d.events_spooled ? ` · ${count(d.events_spooled)} spooled` : '',
    drops ? h('span', {class: 'drop', title: 'Events were lost: open the agent to see why'}, ` · ${count(drops)} dropped`) : h('span', {class: 'muted', text: ' · no drops'}));
}

// The full table for an agent's page.
export function deliveryTable(delivery) {
  const d = delivery || {};
  const rows = [
    ['events_queued', 'produced'],
    ['events_sent', 'sent to the server'],
    ['events_spooled', 'spooled to disk (waiting to be sent)'],
  ].map(([k, label]) => h('tr', {}, h('th', {scope: 'row', text: label}), h('td', {class: 'num', text: count(d[k] ?? 0)}), h('td')));
  for (const [k, label, why] of DROPS) {
    const n = d[k] ?? 0;
    rows.push(h('tr', {class: n ? 'drop-row' : null}, h('th', {scope: 'row', text: label}), h('td', {class: 'num', text: count(n)}),
      h('td', {class: n ? 'drop' : 'muted', text: n ? why : 'none'})));
  }
  rows.push(h('tr', {}, h('th', {scope: 'row', text: 'spool'}), h('td', {class: 'num', text: `${count(d.spool_batches ?? 0)} batches`}), h('td', {text: bytes(d.spool_bytes ?? 0)})));
  return h('table', {class: 'delivery-table'}, h('caption', {text: 'Event delivery (since the agent started)'}), h('tbody', {}, rows));
}
