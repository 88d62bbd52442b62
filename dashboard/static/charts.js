// Hand-written SVG line charts: axes with readable ticks, a legend, hover
// and keyboard read-out of each bucket, and a table of the numbers for
// screen readers. No library: a chart is one function of its data.
import {h, svg} from './dom.js';
import {clockTime, dateTime} from './format.js';

const W = 600;
const H = 220;
const M = {left: 52, right: 14, top: 12, bottom: 28};
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

// times: bucket start times (ms); series: [{name, values, cls}] with one
// value (or null: no data) per bucket; format: value -> text.
export function lineChart({title, times, bucketMs, series, format = String, description, integer = false}) {
  const n = times.length;
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  const yMax = niceMax(values.length ? Math.max(...values) : 0, integer);
  const slot = PLOT_W / Math.max(n, 1);
  const x = (i) => M.left + slot * (i + 0.5);
  const y = (v) => M.top + PLOT_H - (v / yMax) * PLOT_H;
  const spansDays = n > 1 && times[n - 1] - times[0] >= 86400000;

  const root = svg('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', tabindex: '0',
    'aria-label': `${title}. ${description || ''} Use the arrow keys to read each time bucket.`});

  // Grid and y axis.
  const axis = svg('g', {class: 'axis'});
  for (const tick of yTicks(yMax, integer)) {
    axis.append(
      svg('line', {x1: M.left, x2: W - M.right, y1: y(tick), y2: y(tick), class: tick === 0 ? 'baseline' : 'grid'}),
      svg('text', {x: M.left - 6, y: y(tick) + 4, 'text-anchor': 'end', text: format(tick)}));
  }
  // x axis: at most about six labels, on round times (every 10 min, 1 h...).
  for (const i of timeTicks(times, bucketMs)) {
    axis.append(
      svg('line', {x1: x(i), x2: x(i), y1: M.top + PLOT_H, y2: M.top + PLOT_H + 4, class: 'tick'}),
      svg('text', {x: x(i), y: H - 8, 'text-anchor': 'middle', text: clockTime(times[i], spansDays)}));
  }
  root.append(axis);

  // One path per series, broken where there is no data; lone points get a dot.
  for (const s of series) {
    let d = '';
    let pen = false;
    const dots = svg('g', {class: `dots ${s.cls}`});
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
      const prev = s.values[i - 1];
      const next = s.values[i + 1];
      if ((prev === null || prev === undefined) && (next === null || next === undefined)) {
        dots.append(svg('circle', {cx: x(i), cy: y(v), r: 2.5}));
      }
    });
    root.append(svg('path', {d, class: `line ${s.cls}`, 'data-series': s.name}), dots);
  }

  // Hover / keyboard read-out.
  const guide = svg('line', {class: 'guide', y1: M.top, y2: M.top + PLOT_H, visibility: 'hidden'});
  const markers = series.map((s) => svg('circle', {r: 4, class: `marker ${s.cls}`, visibility: 'hidden'}));
  const overlay = svg('rect', {x: M.left, y: M.top, width: PLOT_W, height: PLOT_H, class: 'overlay'});
  root.append(guide, ...markers, overlay);
  const tip = h('div', {class: 'chart-tip', hidden: true, 'aria-live': 'polite'});
  let current = -1;

  const show = (i) => {
    if (!n) return;
    current = Math.min(n - 1, Math.max(0, i));
    const cx = x(current);
    guide.setAttribute('x1', cx);
    guide.setAttribute('x2', cx);
    guide.setAttribute('visibility', 'visible');
    series.forEach((s, k) => {
      const v = s.values[current];
      if (v === null || v === undefined) {
        markers[k].setAttribute('visibility', 'hidden');
        return;
      }
      markers[k].setAttribute('cx', cx);
      markers[k].setAttribute('cy', y(v));
      markers[k].setAttribute('visibility', 'visible');
    });
    const end = bucketMs ? ` – ${clockTime(times[current] + bucketMs)}` : '';
    tip.replaceChildren(
      h('div', {class: 'tip-time', text: `${dateTime(times[current])}${end}`}),
      ...series.map((s) => h('div', {class: 'tip-row'}, h('span', {class: `swatch ${s.cls}`, 'aria-hidden': 'true'}),
        `${s.name}: `, h('strong', {text: s.values[current] === null || s.values[current] === undefined ? 'no data' : format(s.values[current])}))));
    tip.hidden = false;
    // Keep the tip inside the chart: left of the cursor on the right half.
    const pct = (cx / W) * 100;
    tip.style.left = pct < 55 ? `calc(${pct}% + 12px)` : '';
    tip.style.right = pct < 55 ? '' : `calc(${100 - pct}% + 12px)`;
  };
  const hide = () => {
    current = -1;
    tip.hidden = true;
    guide.setAttribute('visibility', 'hidden');
    markers.forEach((m) => m.setAttribute('visibility', 'hidden'));
  };
  overlay.addEventListener('pointermove', (e) => {
    const box = root.getBoundingClientRect();
    const sx = ((e.clientX - box.left) / box.width) * W;
    show(Math.floor((sx - M.left) / slot));
  });
  overlay.addEventListener('pointerleave', hide);
  root.addEventListener('blur', hide);
  // Focus starts at the newest bucket that has data (the current bucket is
  // often still empty).
  const newest = () => {
    for (let i = n - 1; i >= 0; i--) if (series.some((s) => s.values[i])) return i;
    return n - 1;
  };
  root.addEventListener('focus', () => show(newest()));
  root.addEventListener('keydown', (e) => {
    const moves = {ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10};
    if (e.key in moves) show((current < 0 ? newest() : current) + moves[e.key]);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(n - 1);
    else if (e.key === 'Escape') hide();
    else return;
    e.preventDefault();
  });

  return h('figure', {class: 'chart'},
    h('figcaption', {}, h('span', {class: 'chart-title', text: title}),
      h('ul', {class: 'legend'}, series.map((s) => h('li', {}, h('span', {class: `swatch ${s.cls}`, 'aria-hidden': 'true'}), s.name)))),
    h('div', {class: 'chart-body'}, root, tip),
    dataTable(title, times, series, format));
}

// The same numbers as a table, folded away: for screen readers and for
// anyone who wants the exact values.
function dataTable(title, times, series, format) {
  const rows = times.map((t, i) => ({t, i})).filter(({i}) => series.some((s) => s.values[i]));
  return h('details', {class: 'chart-data'}, h('summary', {text: 'Numbers'}),
    rows.length ? h('table', {},
      h('caption', {class: 'visually-hidden', text: title}),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col', text: 'time'}), series.map((s) => h('th', {scope: 'col', text: s.name})))),
      h('tbody', {}, rows.slice(-120).map(({t, i}) => h('tr', {}, h('td', {text: dateTime(t)}),
        series.map((s) => h('td', {class: 'num', text: s.values[i] === null || s.values[i] === undefined ? '—' : format(s.values[i])}))))))
      : h('p', {class: 'muted', text: 'No data in this period.'}));
}

// The smallest 1/2/5 x 10^k at or above max, so ticks are round numbers.
// Counts (integer) never get fractional ticks.
export function niceMax(max, integer) {
  if (!(max > 0)) return integer ? 4 : 1;
  const step = niceStep(max / 4, integer);
  return Math.ceil(max / step) * step;
}

function niceStep(rough, integer) {
  if (integer && rough <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= rough) return m * pow;
  return 10 * pow;
}

function yTicks(yMax, integer) {
  const step = niceStep(yMax / 4, integer);
  const ticks = [];
  for (let v = 0; v <= yMax + step / 1000; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const TICK_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];

// Indices of the buckets that start on a round local time.
function timeTicks(times, bucketMs) {
  const n = times.length;
  if (!n) return [];
  const span = (times[n - 1] - times[0]) + (bucketMs || 0);
  const minutes = TICK_MINUTES.find((m) => span / (m * 60000) <= 6) || TICK_MINUTES[TICK_MINUTES.length - 1];
  const step = minutes * 60000;
  const ticks = [];
  times.forEach((t, i) => {
    const local = t - new Date(t).getTimezoneOffset() * 60000;
    if (local % step === 0) ticks.push(i);
  });
  // Buckets that never fall on a round time (odd sizes): spread evenly.
  if (ticks.length < 2) {
    const every = Math.max(1, Math.ceil(n / 6));
    return times.map((_, i) => i).filter((i) => i % every === 0);
  }
  return ticks;
}
