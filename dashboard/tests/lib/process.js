// Starting the processes a browser test needs (vigil-server, and later the
// protected demo service) and waiting until they are ready. Every process
// started here is stopped by the test that started it, by its pid.
import {spawn} from 'node:child_process';
import net from 'node:net';
import {setTimeout as sleep} from 'node:timers/promises';

// A loopback port nobody listens on right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Starts `command args` and resolves once it is ready:
//   readyUrl:  an HTTP GET of it answers 2xx, or
//   readyLine: a line of its stdout/stderr matches the RegExp.
// Fails with the process's output when it exits first or the timeout passes.
export async function startProcess(command, args, {env, cwd, readyUrl, readyLine, timeoutMs = 20000, name} = {}) {
  const label = name || command.split('/').pop();
  const child = spawn(command, args, {env: {...process.env, ...env}, cwd, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  let exited = null;
  const onData = (chunk) => {
    output += chunk.toString();
    if (output.length > 1 << 20) output = output.slice(-(1 << 19));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = {code, signal};
    resolve(exited);
  }));

  const handle = {
    child,
    pid: child.pid,
    output: () => output,
    // SIGTERM, then SIGKILL after a grace period.
    async stop(graceMs = 5000) {
      if (exited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, graceMs);
      const result = await exitPromise;
      clearTimeout(timer);
      return result;
    },
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${label} exited (${JSON.stringify(exited)}) before it was ready:\n${output}`);
    if (readyLine && readyLine.test(output)) return handle;
    if (readyUrl) {
      try {
        const res = await fetch(readyUrl);
        if (res.ok) return handle;
      } catch {
        // Not listening yet.
      }
    }
    if (!readyUrl && !readyLine) return handle;
    await sleep(50);
  }
  await handle.stop();
  throw new Error(`${label} was not ready within ${timeoutMs} ms:\n${output}`);
}

// Runs a command to completion; resolves with its stdout, fails with its
// stderr on a non-zero exit.
export function run(command, args, {input, env} = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env: {...process.env, ...env}, stdio: ['pipe', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', reject);
    child.on('exit', (code) => code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${err}${out}`)));
    // A command that does not read its input may exit before the write
    // reaches it (EPIPE); its exit status says how it went.
    child.stdin.on('error', (e) => { if (e.code !== 'EPIPE') reject(e); });
    child.stdin.end(input ?? '');
  });
}
