// A simulated Vigil agent speaking the agent protocol (docs/protocol.md)
// over loopback: login with a hook-point inventory, heartbeats with metrics
// and delivery counters, batches of events. Enough for the dashboard to
// show everything a real agent would make it show.
import crypto from 'node:crypto';

export class SimulatedAgent {
  constructor({url, apiKey, appName = 'shop', host = 'web-3', pid = 4242}) {
    this.url = url;
    this.apiKey = apiKey;
    this.appName = appName;
    this.host = host;
    this.pid = pid;
    this.agentId = crypto.randomBytes(16).toString('hex');
    this.seq = 0;
    this.eventSeq = 0;
    this.batchSeq = 0;
    this.settingsVersion = 0;
    this.rulesetVersion = '2026.11.1';
    this.mode = 'monitor';
    this.delivery = {events_queued: 0, events_sent: 0, events_spooled: 0, dropped_queue_full: 0,
      dropped_spool_full: 0, rejected: 0, spool_batches: 0, spool_bytes: 0};
  }

  async call(method, path, body) {
    const res = await fetch(`${this.url}/api/agent/v1${path}`, {
      method,
      headers: {
        'Authorization': `Bearer ${this.apiKey}`,
        'Content-Type': 'application/json',
        'Vigil-Protocol': '1',
        'User-Agent': 'vigil-agent/0.1.0',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  login({hookPoints = defaultHookPoints(120)} = {}) {
    return this.call('POST', '/login', {
      protocol: 1, agent_id: this.agentId, app_name: this.appName, host: this.host, pid: this.pid,
      exe: '/srv/shop/bin/shop', started_at: Date.now() - 5000, agent_version: '0.1.0', runtime_version: '0.1.0',
      mode: this.mode, ruleset_version: this.rulesetVersion, settings_version: this.settingsVersion,
      hook_points: hookPoints, hook_points_total: hookPoints.length,
    });
  }

  heartbeat({metrics = emptyMetrics(), actionResults = []} = {}) {
    return this.call('POST', '/heartbeat', {
      agent_id: this.agentId, seq: ++this.seq, time: Date.now(), ruleset_version: this.rulesetVersion,
      settings_version: this.settingsVersion, mode: this.mode, status: 'running', last_error: '',
      metrics, delivery: this.delivery, action_results: actionResults,
    });
  }

  async news() {
    const q = new URLSearchParams({agent_id: this.agentId, ruleset_version: this.rulesetVersion, settings_version: String(this.settingsVersion)});
    return this.call('GET', `/news?${q}`);
  }

  async batch(events) {
    this.delivery.events_queued += events.length;
    this.delivery.events_sent += events.length;
    return this.call('POST', '/batch', {
      agent_id: this.agentId,
      batch_id: `${this.agentId}-${String(++this.batchSeq).padStart(12, '0')}`,
      events,
    });
  }

  // An attack event as the agent's SQL-injection protection reports it.
  attack({outcome = 'blocked', value = "' OR 1=1 --", key = 'query.q', source = 'query',
    statement = "SELECT * FROM items WHERE name = '\u27E6' OR 1=1 --\u27E7'", path = '/search', time = Date.now()} = {}) {
    return {
      id: `${this.agentId}-${(++this.eventSeq).toString(16).padStart(16, '0')}`,
      agent_id: this.agentId, type: 'attack', time, protection: 'sql_injection', rule: 'sqli-001',
      hook_point: 'sqlite3_prepare_v2', outcome,
      input: {source, key, value},
      sink: {kind: 'sql', value: statement, dialect: 'sqlite'},
      reason: 'input changes the statement: adds OR, comparison, comment',
      stack: ['#0 0x55d0c0 Shop::Search(std::string const&) src/shop.cc:88', '#1 0x55d1a0 main src/main.cc:12'],
      request: {id: '0b7c01', method: 'GET', path, query: `q=${encodeURIComponent(value)}`, route: path,
        client_ip: '203.0.113.9', user_agent: 'curl/7.88.1', framework: 'cpp-httplib', status: outcome === 'blocked' ? 403 : 200,
        headers: {Host: 'shop.example', Authorization: '[redacted]'}},
    };
  }
}

export function defaultHookPoints(n) {
  const points = [{name: 'sqlite3_prepare_v2', symbol: 'sqlite3_prepare_v2', signature: 'FiP7sqlite3PKciPP12sqlite3_stmtPS1_E',
    kind: 'call', file: 'src/db.cc', line: 42, image: '/srv/shop/bin/shop'}];
  for (let i = 1; i < n; i++) {
    points.push({name: `Shop::Handler${i}`, symbol: `_ZN4Shop8Handler${i}Ev`, signature: 'FvPN4ShopE', kind: 'definition',
      file: `src/handlers/h${i}.cc`, line: 10 + i, image: '/srv/shop/bin/shop'});
  }
  return points;
}

export function emptyMetrics() {
  return {interval_ms: 10000, counters: [], histograms: [], overflow: 0};
}

// What a busy minute looks like.
export function busyMetrics({allowed = 900, blocked = 3, monitored = 1} = {}) {
  return {
    interval_ms: 10000,
    counters: [
      {name: 'requests', label: 'allowed', value: allowed},
      {name: 'requests', label: 'blocked', value: blocked},
      {name: 'requests', label: 'monitored', value: monitored},
      {name: 'rule_checks', label: 'sqli-001', value: 1500},
    ],
    histograms: [
      {name: 'protection_ns', label: 'sqli-001', count: 1500, sum: 1800000, max: 41000, p50: 900, p90: 2100, p99: 6000,
        buckets: [[1024, 800], [2048, 600], [4096, 90], [8192, 10]]},
      {name: 'hook_ns', label: 'sqlite3_prepare_v2', count: 4000, sum: 2000000, max: 9000, p50: 400, p90: 900, p99: 2000,
        buckets: [[512, 3000], [1024, 900], [2048, 100]]},
      {name: 'request_protection_ns', label: 'all', count: 904, sum: 1800000, max: 41000, p50: 1800, p90: 3000, p99: 12000,
        buckets: [[2048, 800], [4096, 90], [16384, 14]]},
    ],
    overflow: 0,
  };
}

// Verifies a signed action the way the agent does (protocol.md §6) and
// returns its parsed payload.
export function verifyAction(action, publicKeyBase64) {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  if (raw.length !== 32) throw new Error(`public key is ${raw.length} bytes, not 32`);
  const key = crypto.createPublicKey({key: {kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url')}, format: 'jwk'});
  const ok = crypto.verify(null, Buffer.from(action.payload, 'utf8'), key, Buffer.from(action.signature, 'base64'));
  if (!ok) throw new Error(`signature of action ${action.id} does not verify`);
  const payload = JSON.parse(action.payload);
  if (payload.id !== action.id || payload.type !== action.type) throw new Error('payload relabelled by its envelope');
  return payload;
}
