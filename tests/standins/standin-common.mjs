// Shared pieces of the payment-provider STAND-INS (test doubles, not the providers): an HTTP
// server with JSON helpers, the hosted "pay" page, notification delivery with the retries a
// provider makes after a non-2xx, and the command-line entry (prints "listening on URL").
import { createServer } from 'node:http';

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// handler(req, url, rawBody, reply) where reply.json(status, value), reply.html(status, text),
// reply.redirect(location). Returns {url, close}.
export async function serveStandin(handler, port = 0) {
  let base = '';
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, base);
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const reply = {
      json(status, value) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      },
      html(status, text) {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(text);
      },
      redirect(location) {
        res.writeHead(303, { location });
        res.end();
      },
    };
    try {
      await handler(req, url, raw, reply);
    } catch (error) {
      reply.json(500, { error: String(error) });
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// The provider's hosted payment page: a Pay button (POST to the same URL) and a way back.
export function payPage({ provider, amountText, description, cancelUrl }) {
  return `<!doctype html><meta name="viewport" content="width=device-width">
<title>${escapeHtml(provider)} stand-in checkout</title><link rel="icon" href="data:,">
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<p><strong>${escapeHtml(provider)} stand-in</strong> (test double, not ${escapeHtml(provider)})</p>
<h1>Pay ${escapeHtml(amountText)}</h1>
<p>${escapeHtml(description ?? '')}</p>
<form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.4rem">Pay</button></form>
${cancelUrl ? `<p><a href="${escapeHtml(cancelUrl)}">Cancel and go back</a></p>` : ''}</body>`;
}

// Sends one notification until a 2xx (a few quick attempts, as providers retry); returns the
// statuses the receiver answered.
export async function deliverWithRetries(send, { attempts = 5, noRetry = false } = {}) {
  const statuses = [];
  for (let attempt = 0; attempt < attempts; ++attempt) {
    const response = await send();
    await response.text();
    statuses.push(response.status);
    if ((response.status >= 200 && response.status < 300) || noRetry) break;
    await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
  }
  return statuses;
}

export function basicUser(req) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  return Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
}

// `node <standin>.mjs --flag value ...`: starts it and prints its address.
export async function runFromCommandLine(importMetaUrl, start, flags) {
  if (importMetaUrl !== `file://${process.argv[1]}`) return;
  const options = {};
  for (const [flag, key] of Object.entries(flags)) {
    const at = process.argv.indexOf(flag);
    if (at >= 0) options[key] = process.argv[at + 1];
  }
  const standin = await start(options);
  console.log(`${standin.name} stand-in listening on ${standin.url}`);
}

// The test controls every stand-in offers: POST /_standin/config {url fields} and
// POST /_standin/<kind>/<id>/<action> {copies, ...faults}, where act(item, action, options)
// changes the item's state and notify(item, options) delivers one notification. Returns true
// when it answered.
export async function controlRoute({ req, url, raw, reply, state, kind, items, act, notify }) {
  if (req.method !== 'POST' || !url.pathname.startsWith('/_standin/')) return false;
  if (url.pathname === '/_standin/config') {
    Object.assign(state, JSON.parse(raw));
    reply.json(200, {});
    return true;
  }
  const match = url.pathname.match(new RegExp(`^/_standin/${kind}/([^/]+)/([a-z]+)$`));
  const item = match && items.get(decodeURIComponent(match[1]));
  if (!item) {
    reply.json(404, { error: `no such ${kind}` });
    return true;
  }
  const options = raw ? JSON.parse(raw) : {};
  if (act(item, match[2], options) === 'quiet') {
    reply.json(200, { statuses: [] });
    return true;
  }
  const statuses = [];
  for (let i = 0; i < (options.copies ?? 1); ++i) statuses.push(...(await notify(item, options)));
  reply.json(200, { statuses });
  return true;
}
