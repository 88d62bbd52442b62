// An SQL statement as the agent reported it, with the injected part that it
// marked between ⟦ and ⟧ (U+27E6, U+27E7) highlighted and the marks removed.
// The statement is attacker-controlled: it only ever becomes text nodes.
import {h} from './dom.js';

const OPEN = '\u27E6';
const CLOSE = '\u27E7';

// [{text, injected}] pieces, in order. An unclosed ⟦ runs to the end (the
// statement was cut); a ⟧ with no ⟦ before it is dropped.
export function splitMarks(statement) {
  const pieces = [];
  let injected = false;
  let buf = '';
  const flush = () => {
    if (buf) pieces.push({text: buf, injected});
    buf = '';
  };
  for (const ch of String(statement ?? '')) {
    if (ch === OPEN && !injected) {
      flush();
      injected = true;
    } else if (ch === CLOSE) {
      if (injected) {
        flush();
        injected = false;
      }
    } else {
      buf += ch;
    }
  }
  flush();
  return pieces;
}

export function renderStatement(statement) {
  const code = h('code', {});
  for (const piece of splitMarks(statement)) {
    code.append(piece.injected
      ? h('mark', {class: 'injected', title: 'injected by the input', text: piece.text})
      : document.createTextNode(piece.text));
  }
  return h('pre', {class: 'statement'}, code);
}
