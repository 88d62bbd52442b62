// The protections Vigil has, as the server serves them (GET /protections,
// read from the table the agent and the server share): their names and
// labels. Fetched once per page load; the dashboard keeps no list of its own.
import {get} from './api.js';

let cached = null;

// [{name, label, value, params}], in the table's order.
export async function protections() {
  if (!cached) {
    cached = get('/protections').then((r) => r.protections).catch((e) => {
      cached = null;  // try again next time
      throw e;
    });
  }
  return cached;
}

// The label of `name` among `list` ("SQL injection"), or the name itself for
// one this server does not know (an event from a newer agent).
export function protectionLabel(list, name) {
  return (list || []).find((p) => p.name === name)?.label || name;
}
