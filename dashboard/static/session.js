// Who is logged in. One place, so every page asks the same question the same
// way ("may this user change things?").
import {get, post, del, setCsrfToken} from './api.js';

let current = null; // {user, auth}

export function user() {
  return current?.user ?? null;
}

export function isAdmin() {
  return current?.user?.role === 'admin';
}

// A reloaded page has no token in memory: /me gives it back for a live
// session cookie. Null when nobody is logged in.
export async function restore() {
  try {
    const me = await get('/me');
    current = me;
    setCsrfToken(me.csrf_token);
    return me.user;
  } catch {
    current = null;
    return null;
  }
}

export async function login(username, password) {
  const answer = await post('/session', {username, password});
  current = {user: answer.user, auth: 'session'};
  setCsrfToken(answer.csrf_token);
  return answer.user;
}

export async function logout() {
  try {
    await del('/session');
  } finally {
    forget();
  }
}

export function forget() {
  current = null;
  setCsrfToken(null);
}
