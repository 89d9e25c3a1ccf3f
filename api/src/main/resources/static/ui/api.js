// The API client: HTTP Basic on every request, credentials kept in memory for this tab only.

let credentials = null;
const listeners = new Set();

export const session = {
  user: null,
  canDeploy: false,
  canAudit: false,
  canActOnVms: true,
  isAdmin: false,
};

export function signIn(user, password) {
  credentials = 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + password)));
  session.user = user;
}

export function signOut(message) {
  credentials = null;
  session.user = null;
  listeners.forEach(listener => listener(message));
}

/** Called with a message whenever the server refuses the credentials (401) or the user signs out. */
export function onSignedOut(listener) {
  listeners.add(listener);
}

export function authHeaders(extra = {}) {
  // X-Requested-With: the server leaves out its Basic challenge, so the browser shows no password dialog of its own
  return { Authorization: credentials, 'X-Requested-With': 'XMLHttpRequest', ...extra };
}

/**
 * fetch() with the credentials. Answers {ok, status, body}; body is the parsed JSON (a problem for errors) or text.
 * A 401 signs the tab out.
 */
export async function call(path, { method = 'GET', body, type, signal } = {}) {
  const headers = authHeaders({ Accept: 'application/json, application/problem+json' });
  let payload = body;
  if (body !== undefined && type === undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  } else if (type) {
    headers['Content-Type'] = type;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return { ok: false, status: 0, body: { detail: 'the server cannot be reached' } };
  }
  const text = await response.text();
  let parsed = text;
  if ((response.headers.get('Content-Type') || '').includes('json') && text) {
    try { parsed = JSON.parse(text); } catch { parsed = text; }
  }
  if (response.status === 401 && credentials) {
    signOut('Your user name or password was not accepted. Please sign in again.');
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** One sentence for a failed call, from the problem's detail where there is one. */
export function problemText(result) {
  if (result.status === 403) return 'You may not do this (403).';
  const body = result.body;
  if (body && typeof body === 'object' && body.detail) return body.detail;
  return `The request failed (${result.status || 'no answer'}).`;
}

/** The problem's errors[] ({field, message}), empty when it has none. */
export function problemErrors(result) {
  const body = result.body;
  return body && typeof body === 'object' && Array.isArray(body.errors) ? body.errors : [];
}
