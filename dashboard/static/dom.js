// Building DOM nodes without HTML strings. Everything the agents report is
// attacker-controlled (inputs, statements, headers, stack frames), so the
// dashboard never parses markup from data: text goes into text nodes only.

// h('a', {href: '#/apps', class: 'nav'}, 'Applications', child, [more...])
// Attributes: `class`, `text` (text content), `on<event>` (listener),
// `dataset` (object), boolean `true`/`false`/null for presence; everything
// else through setAttribute.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

// The same for SVG elements (charts).
const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

function applyAttrs(node, attrs) {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (name === 'text') node.textContent = String(value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'value' && 'value' in node) node.value = value;
    else if (name === 'checked' || name === 'disabled' || name === 'selected' || name === 'readOnly') node[name] = Boolean(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

// Appends children: nodes, strings/numbers (as text), arrays, null (skipped).
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export function replace(node, ...children) {
  clear(node);
  return append(node, children);
}

// <option>s from [value, label] pairs, with `selected` the current value.
export function options(pairs, selected) {
  return pairs.map(([value, label]) => h('option', {value, selected: String(value) === String(selected ?? '')}, label));
}
