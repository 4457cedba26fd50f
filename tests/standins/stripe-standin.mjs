// STAND-IN for Stripe's API, for tests only: this machine cannot reach Stripe. It follows
// Stripe's public API documentation closely enough for Reelgate's use: Checkout Sessions
// (create with form-encoded line_items, retrieve), refunds, a hosted page a browser can "pay"
// on, and webhook events signed the way Stripe signs them (Stripe-Signature: t=..,v1=..,
// HMAC-SHA256 over "t.body" keyed by the whsec_ secret), delivered again after a non-2xx.
// Test controls under /_standin/: deliver an event with faults (duplicates, stale timestamp,
// wrong secret, tampered body, wrong amount; charge.refunded, charge.dispute.created and
// charge.dispute.closed), pay without notifying (a lost notification), change what a session
// lookup answers, read the delivery log. Refunds honour Idempotency-Key the way Stripe documents
// it: the same key answers the first refund again (nothing more is refunded), the same key with
// other parameters is refused (400 idempotency_error). Config {holdRefundEvents: true} keeps
// the charge.refunded events (a lost notification) until POST /_standin/refund-events/release.
//
// Use from node: const s = await startStripeStandin({ secretKey, webhookSecret, webhookUrl });
// or as a program: node stripe-standin.mjs --secret-key sk_.. --webhook-secret whsec_..
//   --webhook-url URL   (prints "stripe stand-in listening on http://127.0.0.1:PORT")
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const id = (prefix) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

// Stripe's form encoding: a[b][0][c]=v -> nested objects/arrays.
function parseForm(text) {
  const out = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) node[part] = value;
      else node = node[part] ??= {};
    });
  }
  return out;
}

export function signPayload(body, secret, timestamp = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startStripeStandin({ secretKey, webhookSecret, webhookUrl = '', port = 0 }) {
  const sessions = new Map();
  const idempotent = new Map();
  const refundKeys = new Map(); // Idempotency-Key -> {raw, refund}
  const heldRefundEvents = [];
  const deliveries = []; // {event, type, status, attempt}
  let base = '';
  const state = { webhookUrl, failNext: 0 };

  async function postEvent(event, faults = {}) {
    let body = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000) - (faults.stale ? 3600 : 0);
    let header = signPayload(body, faults.wrongSecret ? 'whsec_not_the_right_one' : webhookSecret, timestamp);
    if (faults.tamper) body = body.replace('"livemode":false', '"livemode":true ');
    const response = await fetch(state.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
      body,
    });
    await response.text();
    deliveries.push({ event: event.id, type: event.type, status: response.status });
    return response.status;
  }

  // Stripe retries a delivery that did not get a 2xx; here a few quick attempts. An event
  // that never got one (the receiver crashed) stays owed until /_standin/redeliver.
  const owed = new Map();
  async function deliver(event, faults = {}) {
    const statuses = [];
    for (let attempt = 0; attempt < (faults.attempts ?? 5); ++attempt) {
      const status = await postEvent(event, faults).catch(() => 0); // 0: no answer
      statuses.push(status);
      if (status >= 200 && status < 300) break;
      if (faults.noRetry) break;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
    if (statuses.at(-1) >= 200 && statuses.at(-1) < 300) owed.delete(event.id);
    else if (!faults.stale && !faults.wrongSecret && !faults.tamper) owed.set(event.id, event);
    return statuses;
  }

  function sessionEvent(session, type, overrides = {}) {
    return {
      id: id('evt'),
      object: 'event',
      api_version: '2024-06-20',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      type,
      data: { object: { ...session, ...overrides } },
    };
  }

  // charge.refunded carries the charge (cumulative amount_refunded); charge.dispute.* the dispute.
  function chargeEvent(session, type, overrides = {}) {
    const object = type === 'charge.refunded'
      ? { id: id('ch'), object: 'charge', payment_intent: session.payment_intent, amount: session.amount_total,
        amount_refunded: session.amount_total, refunded: true, currency: session.currency, metadata: session.metadata }
      : { id: id('dp'), object: 'dispute', charge: id('ch'), payment_intent: session.payment_intent,
        amount: session.amount_total, currency: session.currency, reason: 'fraudulent',
        // charge.dispute.closed: won, lost or warning_closed (an inquiry); lost unless told.
        status: type === 'charge.dispute.closed' ? 'lost' : 'needs_response' };
    return { ...sessionEvent(session, type), data: { object: { ...object, ...overrides } } };
  }

  function pay(session) {
    session.payment_status = 'paid';
    session.status = 'complete';
    session.payment_intent ??= id('pi');
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, base);
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const json = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const apiError = (status, message) => json(status, { error: { type: 'invalid_request_error', message } });
    try {
      if (url.pathname.startsWith('/v1/')) {
        if (req.headers.authorization !== `Bearer ${secretKey}`) return apiError(401, 'Invalid API Key provided');
        const key = req.headers['idempotency-key'];
        if (req.method === 'POST' && key && idempotent.has(key)) return json(200, idempotent.get(key));
        if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
          const form = parseForm(raw);
          const item = form.line_items?.['0'];
          const amount = Number(item?.price_data?.unit_amount);
          if (form.mode !== 'payment' || !item || !Number.isInteger(amount) || amount <= 0 || !form.success_url)
            return apiError(400, 'Missing required param');
          const session = {
            id: id('cs'),
            object: 'checkout.session',
            mode: 'payment',
            amount_total: amount * Number(item.quantity ?? 1),
            currency: item.price_data.currency,
            client_reference_id: form.client_reference_id ?? null,
            customer_email: form.customer_email ?? null,
            metadata: form.metadata ?? {},
            payment_status: 'unpaid',
            status: 'open',
            payment_intent: null,
            success_url: form.success_url,
            cancel_url: form.cancel_url,
            product: item.price_data.product_data?.name ?? '',
          };
          session.url = `${base}/pay/${session.id}`;
          sessions.set(session.id, session);
          if (key) idempotent.set(key, session);
          return json(200, session);
        }
        const match = url.pathname.match(/^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)$/);
        if (req.method === 'GET' && match) {
          const session = sessions.get(match[1]);
          return session ? json(200, session) : apiError(404, 'No such checkout.session');
        }
        if (req.method === 'POST' && url.pathname === '/v1/refunds') {
          const first = key && refundKeys.get(key);
          if (first && first.raw !== raw)
            return json(400, { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
          if (first) return json(200, first.refund);
          const form = parseForm(raw);
          const session = [...sessions.values()].find((s) => s.payment_intent && s.payment_intent === form.payment_intent);
          if (!session) return apiError(404, 'No such payment_intent');
          const amount = Number(form.amount ?? session.amount_total - (session.amount_refunded ?? 0));
          if (!(amount > 0) || amount > session.amount_total - (session.amount_refunded ?? 0))
            return apiError(400, 'Refund amount is greater than unrefunded amount on charge');
          session.amount_refunded = (session.amount_refunded ?? 0) + amount;
          // Stripe confirms with charge.refunded (cumulative amount_refunded), after answering.
          const event = chargeEvent(session, 'charge.refunded', { amount_refunded: session.amount_refunded });
          if (state.holdRefundEvents) heldRefundEvents.push(event);
          else setTimeout(() => deliver(event), 10);
          const refund = { id: id('re'), object: 'refund', amount, payment_intent: session.payment_intent, status: 'succeeded' };
          if (key) refundKeys.set(key, { raw, refund });
          return json(200, refund);
        }
        return apiError(404, 'Unrecognized request URL');
      }
      // The hosted payment page.
      const page = url.pathname.match(/^\/pay\/([A-Za-z0-9_]+)$/);
      if (page) {
        const session = sessions.get(page[1]);
        if (!session) return apiError(404, 'No such session');
        if (req.method === 'POST') {
          pay(session);
          await deliver(sessionEvent(session, 'checkout.session.completed'));
          res.writeHead(303, { location: session.success_url });
          return res.end();
        }
        const amount = (session.amount_total / 100).toFixed(2);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><meta name="viewport" content="width=device-width">
<title>Stripe stand-in checkout</title><link rel="icon" href="data:,">
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<p><strong>Stripe stand-in</strong> (test double, not Stripe)</p>
<h1>Pay ${escapeHtml(amount)} ${escapeHtml(session.currency.toUpperCase())}</h1>
<p>${escapeHtml(session.product)}</p>
<form method="post"><button type="submit" style="font-size:1.2rem;padding:.6rem 1.4rem">Pay</button></form>
<p><a href="${escapeHtml(session.cancel_url)}">Cancel and go back</a></p></body>`);
      }
      // Test controls.
      if (url.pathname === '/_standin/deliveries') return json(200, deliveries);
      if (url.pathname === '/_standin/refund-events/release' && req.method === 'POST') {
        const statuses = [];
        for (const event of heldRefundEvents.splice(0)) statuses.push(...(await deliver(event)));
        return json(200, { statuses });
      }
      if (url.pathname === '/_standin/redeliver' && req.method === 'POST') {
        const statuses = [];
        for (const event of [...owed.values()]) statuses.push(...(await deliver(event)));
        return json(200, { statuses });
      }
      const control = url.pathname.match(/^\/_standin\/sessions\/([A-Za-z0-9_]+)\/(pay|deliver)$/);
      if (control && req.method === 'POST') {
        const session = sessions.get(control[1]);
        if (!session) return apiError(404, 'No such session');
        const options = raw ? JSON.parse(raw) : {};
        if (control[2] === 'pay') pay(session);
        Object.assign(session, options.session ?? {}); // what Stripe's own records then say
        if (options.silent) return json(200, { statuses: [] }); // paid, notification lost
        const type = options.type ?? 'checkout.session.completed';
        const event = (type.startsWith('charge.') ? chargeEvent : sessionEvent)(session, type, options.overrides ?? {});
        const statuses = [];
        for (let i = 0; i < (options.copies ?? 1); ++i) statuses.push(...(await deliver(event, options)));
        return json(200, { event: event.id, statuses });
      }
      if (url.pathname === '/_standin/config' && req.method === 'POST') {
        Object.assign(state, JSON.parse(raw));
        return json(200, { ok: true });
      }
      return apiError(404, 'Not found');
    } catch (error) {
      return apiError(500, String(error));
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    sessions,
    deliveries,
    setWebhookUrl(url) { state.webhookUrl = url; },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
  const standin = await startStripeStandin({
    secretKey: arg('--secret-key'),
    webhookSecret: arg('--webhook-secret'),
    webhookUrl: process.argv.includes('--webhook-url') ? arg('--webhook-url') : '',
  });
  console.log(`stripe stand-in listening on ${standin.url}`);
}
