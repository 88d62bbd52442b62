// How times, counts and durations read on the page.

// Server clock minus this browser's clock, so "3 s ago" is right even when
// the laptop's clock is off. Set from /api/v1/status.
let clockSkewMs = 0;
export function setServerTime(serverTimeMs) {
  if (Number.isFinite(serverTimeMs)) clockSkewMs = serverTimeMs - Date.now();
}
export function serverNow() {
  return Date.now() + clockSkewMs;
}

export function relativeTime(ms) {
  if (ms === null || ms === undefined) return 'never';
  const s = Math.round((serverNow() - ms) / 1000);
  if (s < -5) return 'in the future';
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function dateTime(ms) {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function clockTime(ms, withDate) {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

export function count(n) {
  if (n === null || n === undefined) return '—';
  return Number(n).toLocaleString('en-US');
}

// Compact numbers for chart axes: 1.2k, 3.4M.
export function compact(n) {
  if (n === null || n === undefined) return '—';
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}G`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

// Nanoseconds as ns / µs / ms / s.
export function duration(ns) {
  if (ns === null || ns === undefined) return '—';
  const a = Math.abs(ns);
  if (a >= 1e9) return `${trim(ns / 1e9)} s`;
  if (a >= 1e6) return `${trim(ns / 1e6)} ms`;
  if (a >= 1e3) return `${trim(ns / 1e3)} µs`;
  return `${trim(ns)} ns`;
}

function trim(x) {
  return String(Number(x.toFixed(x >= 100 || x <= -100 ? 0 : 1)));
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  if (n >= 1 << 30) return `${trim(n / (1 << 30))} GiB`;
  if (n >= 1 << 20) return `${trim(n / (1 << 20))} MiB`;
  if (n >= 1 << 10) return `${trim(n / (1 << 10))} KiB`;
  return `${n} B`;
}
