// Accounts for browser tests: a browser context signed in as a new user (the cookies land in
// the context, as after signing up on the page), and API calls made from inside a page with
// that page's cookies and CSRF token.

import { watchErrors } from './browser.mjs';

export async function signedInContext(browser, server, username, { creator = false, options = {} } = {}) {
  const context = await browser.newContext(options);
  const password = `${username} long password`;
  const reply = await context.request.post(`${server.url}/api/auth/register`, {
    data: { username, email: `${username.toLowerCase()}@example.com`, password },
  });
  if (reply.status() !== 201) throw new Error(`sign-up of ${username}: ${reply.status()} ${await reply.text()}`);
  if (creator) {
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    const made = await pageApi(page, 'POST', '/api/me/creator', {});
    if (made.status !== 200) throw new Error(`creator mode for ${username}: ${JSON.stringify(made)}`);
    await page.close();
  }
  return context;
}

// A page at one of SIZES (lib/browser.mjs), signed in as a new user `username` when given,
// with the page's errors watched.
export async function sizedPage(browser, server, size, username) {
  const options = { viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch };
  const context = username
    ? await signedInContext(browser, server, username, { options })
    : await browser.newContext(options);
  const page = await context.newPage();
  return { context, page, errors: watchErrors(page) };
}

// fetch() inside the page: its cookies, plus the CSRF header the pages send. Never throws for
// an HTTP error; returns {status, body} (body is text when the answer is not JSON).
export function pageApi(page, method, path, body, headers = {}) {
  return page.evaluate(async ({ method, path, body, headers }) => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('rg_csrf='))?.slice(8);
    const all = { ...headers };
    if (csrf && method !== 'GET') all['X-CSRF-Token'] = csrf;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: response.status, body: parsed };
  }, { method, path, body, headers });
}
