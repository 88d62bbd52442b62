// The vigil-server JSON API (docs/server-api.md), as the dashboard uses it.
// The session lives in an HttpOnly cookie the page cannot read; the CSRF
// token lives here, in memory only, and goes with every state-changing
// request.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// An error answer of the server, with its code (`bad_request`, `forbidden`,
// ...) and its precise message, which the pages show as they are.
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

const listeners = new Set();
// Called with the error when the session has ended (401 on anything but
// the login itself), so the page can go back to the login form.
export function onSessionLost(fn) {
  listeners.add(fn);
}

export async function request(method, path, {body, query, raw} = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    // `raw`: a text the user wrote (a ruleset), sent byte for byte so the
    // server's error message points into what they see.
    payload = raw ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, {method, headers, body: payload, credentials: 'same-origin'});
  } catch (e) {
    throw new ApiError(0, 'network', `The server cannot be reached (${e.message}).`);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data?.error, data?.message || res.statusText,
                             Number(res.headers.get('Retry-After')) || undefined);
    if (res.status === 401 && path !== '/session') listeners.forEach((fn) => fn(err));
    throw err;
  }
  return data ?? {};
}

export const get = (path, query) => request('GET', path, {query});
export const post = (path, body) => request('POST', path, {body});
export const put = (path, body) => request('PUT', path, {body});
export const patch = (path, body) => request('PATCH', path, {body});
export const del = (path) => request('DELETE', path);
