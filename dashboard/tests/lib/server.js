// A real vigil-server for one test file: its own SQLite database and key in
// a temporary directory, on a free loopback port; users, applications and
// keys created with the server's command line, as an operator would.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {freePort, startProcess, run} from './process.js';

export function buildDir() {
  return process.env.VIGIL_BUILD_DIR || path.resolve(import.meta.dirname, '../../../build');
}

export async function startServer({heartbeatSeconds = 10, newsSeconds = 1} = {}) {
  const bin = path.join(buildDir(), 'bin', 'vigil-server');
  await fs.access(bin).catch(() => {
    throw new Error(`${bin} does not exist: build vigil-server first (or pass the build directory)`);
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-dashboard-test-'));
  const db = `sqlite:${path.join(dir, 'vigil.db')}`;
  const keyFile = path.join(dir, 'signing.key');
  const cli = (args, input) => run(bin, args, {input});
  await cli(['keygen', '--key-file', keyFile]);
  await cli(['migrate', '--db', db]);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serve = () => startProcess(bin, ['serve', '--db', db, '--key-file', keyFile, '--listen', `127.0.0.1:${port}`,
    '--heartbeat-seconds', String(heartbeatSeconds), '--news-seconds', String(newsSeconds)],
  {readyUrl: `${url}/healthz`, name: 'vigil-server'});
  let proc = await serve();

  return {
    url,
    port,
    dir,
    get proc() { return proc; },
    // Stops the server process (SIGTERM: a clean stop) and keeps its
    // database and key, so that start() brings the same server back.
    async halt() {
      return proc.stop();
    },
    // Starts the server again on the same port, database and key.
    async start() {
      proc = await serve();
    },
    async publicKey() {
      const res = await fetch(`${url}/api/v1/signing-key`);
      return (await res.json()).public_key;
    },
    createUser(username, password, role = 'admin') {
      return cli(['admin', 'create', '--db', db, '--username', username, '--role', role, '--password-stdin'], `${password}\n`);
    },
    async createApp(name) {
      return Number((await cli(['app', 'create', name, '--db', db])).trim());
    },
    async createKey(appName) {
      return (await cli(['key', 'create', '--app', appName, '--db', db])).trim();
    },
    async stop() {
      await proc.stop();
      if (!process.env.VIGIL_KEEP_TMP) await fs.rm(dir, {recursive: true, force: true});
    },
  };
}
