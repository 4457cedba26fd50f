// Talking to the Reelgate API from the pages: JSON in and out, the CSRF token on every
// state change, and errors turned into Error objects carrying the server's message.

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return '';
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// extraHeaders: e.g. {'Idempotency-Key': ...} for requests that move money.
export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = cookie('rg_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    throw new ApiError(response.status, error.code || 'error',
      error.message || `The server answered ${response.status}.`);
  }
  return data;
}

// A random UUID (v4) for Idempotency-Key; crypto.randomUUID needs a secure context, a plain
// http:// address on a LAN is not one.
export function randomUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Wires a <form>: disables its button while busy, shows errors in its [role=alert] element.
export function handleForm(form, submit) {
  const message = form.querySelector('[role=alert]');
  const button = form.querySelector('button[type=submit]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    message.className = 'message';
    button.disabled = true;
    try {
      const done = await submit(new FormData(form));
      if (done) {
        message.textContent = done;
        message.className = 'message ok';
      }
    } catch (error) {
      message.textContent = error.message;
      message.className = 'message error';
    } finally {
      button.disabled = false;
    }
  });
}

// Only a path on this site is followed after sign-in (no open redirects). The URL parser
// decides, not a prefix test: "/\host" and "/<tab>/host" look like paths but resolve to
// another host. The parsed path is returned, so the browser cannot read it differently.
export function nextPath(fallback = '/') {
  const next = new URLSearchParams(location.search).get('next') || '';
  if (!next.startsWith('/')) return fallback;
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : fallback;
  } catch {
    return fallback;
  }
}
