// The real protected service for end-to-end tests: the demo shop
// (examples/shop/shop.cpp, built with vigil-c++), its agent configured for a
// vigil-server, and a small client for the dashboard's JSON API.
import fs from 'node:fs';
import path from 'node:path';
import {buildDir} from './server.js';
import {freePort, startProcess} from './process.js';

export function shopBinary() {
  return path.join(buildDir(), 'examples', 'shop', 'shop');
}

// Why the shop cannot run here, or null when it can.
export function shopMissing() {
  try {
    fs.accessSync(shopBinary(), fs.constants.X_OK);
    return null;
  } catch {
    return `${shopBinary()} is missing: build it (cmake --build build --target vigil_demo_shop)`;
  }
}

// Starts the shop (SQLite in memory) on a free port with its agent reporting
// to `server` under `apiKey`. Events are delivered every second; the spool
// directory survives the process (a restart with the same one sends what
// the previous process could not).
export async function startShop({serverUrl, apiKey, serverKey, spoolDir, mode = 'monitor'}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess(shopBinary(), ['--port', String(port)], {
    env: {
      VIGIL_SERVER: serverUrl,
      VIGIL_API_KEY: apiKey,
      VIGIL_SERVER_KEY: serverKey,
      VIGIL_APP_NAME: 'shop',
      VIGIL_MODE: mode,
      VIGIL_SPOOL_DIR: spoolDir,
      VIGIL_BATCH_SECONDS: '1',
      VIGIL_EVENTS: 'off',
      VIGIL_LOG_LEVEL: 'info',
    },
    readyUrl: `${url}/health`,
    name: 'shop',
  });
  return {
    url,
    port,
    proc,
    pid: proc.pid,
    // One attack on the search (q is pasted into the statement); resolves
    // with the status, or 0 when the shop did not answer.
    async attack(q = "' OR 1=1 --") {
      try {
        const res = await fetch(`${url}/search?q=${encodeURIComponent(q)}`,
          {headers: {'User-Agent': 'vigil-e2e'}, signal: AbortSignal.timeout(10000)});
        await res.arrayBuffer();
        return res.status;
      } catch {
        return 0;
      }
    },
    stop: () => proc.stop(),
    // No clean-up chance: what is not on disk is gone.
    async kill() {
      proc.child.kill('SIGKILL');
      await new Promise((resolve) => {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) resolve();
        else proc.child.on('exit', resolve);
      });
    },
  };
}

// Events the agent has sealed into its spool and not delivered yet
// (recorder/src/spool: files named <seq>-<events>.batch.gz).
export function spooledEvents(spoolDir) {
  let n = 0;
  let names = [];
  try {
    names = fs.readdirSync(spoolDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^[0-9a-f]{16}-(\d+)\.batch\.gz$/.exec(name);
    if (m) n += Number(m[1]);
  }
  return n;
}

// The dashboard's JSON API with a session of its own (docs/server-api.md).
export class Api {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = '';
  }

  async logIn(username, password) {
    const res = await fetch(`${this.baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({username, password}),
    });
    if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.get('set-cookie').split(';')[0];
  }

  async get(p, query = {}) {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null)).toString();
    const res = await fetch(`${this.baseUrl}/api/v1${p}${qs ? `?${qs}` : ''}`, {headers: {Cookie: this.cookie}});
    if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  // Every attack matching `query`, paging through the feed (newest first).
  async allAttacks(query = {}) {
    const out = [];
    let cursor = null;
    do {
      const page = await this.get('/attacks', {...query, limit: 200, cursor});
      out.push(...page.attacks);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  }
}

// Polls `check` (async, truthy when done) every `intervalMs` until it holds
// or `timeoutMs` passes; resolves with its last value, or throws with `what`.
export async function waitUntil(check, {timeoutMs = 30000, intervalMs = 200, what = 'condition'} = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
