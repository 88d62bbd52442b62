// Usage: node shell-commands.mjs SHFMT SCRIPT...
// Prints the commands each shell script runs, one "SCRIPT call LINE NAME" a
// line, and the functions it defines, one "SCRIPT function NAME" a line (or
// "SCRIPT error MESSAGE"), read from the syntax tree that `SHFMT --to-json`
// (Debian's shfmt, a real parser of shell) makes of the script. Only
// names written literally are printed: `"$build/bin/vigil"` or `$cc` are the
// project's own or chosen at run time. Words after the wrappers below are
// read as the command they run (`exec initdb`, `runuser -u nobody -- pg_ctl`).
// Calls of functions the script defines are left out.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

// Each wrapper with its options that take a value.
const kWrappers = new Map([
  ['exec', ['-a']], ['command', []], ['env', ['-u', '-C', '-S']], ['timeout', ['-s', '-k']],
  ['nice', ['-n']], ['nohup', []], ['time', ['-f', '-o']], ['runuser', ['-u', '-g', '-G', '-s']],
  ['xargs', ['-d', '-n', '-I', '-P', '-L', '-s', '-a', '-E']], ['setsid', []], ['stdbuf', []],
  ['unshare', []],
]);

// literal(word): the word's text if it is made of literal parts only.
function literal(word) {
  let text = '';
  for (const part of word.Parts || []) {
    if (part.Type === 'Lit') text += part.Value;
    else if (part.Type === 'SglQuoted') text += part.Value;
    else if (part.Type === 'DblQuoted' && (part.Parts || []).every((p) => p.Type === 'Lit')) {
      text += (part.Parts || []).map((p) => p.Value).join('');
    } else return null;
  }
  return text;
}

// commandOf(args): the literal command a call runs, looking through wrappers.
function commandOf(args) {
  let i = 0;
  while (i < args.length) {
    const name = literal(args[i]);
    if (name === null) return null;
    if (!kWrappers.has(name)) return name;
    i++;
    // Skip the wrapper's options and their values (`-u nobody`, `--`, `VAR=x`, `10s`).
    while (i < args.length) {
      const w = literal(args[i]);
      if (w === null) return null;
      if (w === '--') { i++; break; }
      if (w.startsWith('-')) { i += kWrappers.get(name).includes(w) ? 2 : 1; continue; }
      if (w.includes('=') || /^[0-9.]+[smhd]?$/.test(w)) { i++; continue; }
      if (name === 'command' && i > 0 && literal(args[i - 1]) === '-v') return null;  // a look-up, not a run
      break;
    }
  }
  return null;
}

// report(script, tree): prints what the script defines and runs.
function report(script, tree) {
  const functions = new Set();
  const calls = [];
  (function walk(node) {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    if (node.Type === 'FuncDecl' && node.Name) functions.add(node.Name.Value);
    if (node.Type === 'CallExpr' && node.Args && node.Args.length) {
      const name = commandOf(node.Args);
      if (name) calls.push([node.Pos.Line, name]);
    }
    for (const key of Object.keys(node)) if (key !== 'Pos' && key !== 'End') walk(node[key]);
  })(tree);
  for (const name of functions) console.log(`${script} function ${name}`);
  for (const [line, name] of calls) if (!functions.has(name)) console.log(`${script} call ${line} ${name}`);
}

const [shfmt, ...scripts] = process.argv.slice(2);
for (const script of scripts) {
  let tree;
  try {
    tree = JSON.parse(execFileSync(shfmt, ['--to-json'], {input: readFileSync(script), stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 28}));
  } catch (e) {
    console.log(`${script} error ${String(e.stderr || e.message).split('\n')[0]}`);
    continue;
  }
  report(script, tree);
}
