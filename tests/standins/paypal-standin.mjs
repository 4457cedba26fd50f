// STAND-IN for PayPal's REST API (Orders v2), for tests only: this machine cannot reach PayPal.
// It follows PayPal's public documentation closely enough for Reelgate: OAuth client
// credentials, create an order (PayPal-Request-Id honoured) with a payer-action link, an
// approval page the browser can use, capture (only an APPROVED order; COMPLETED once), order
// and capture lookups, refunds (GET /v2/payments/refunds/{id} with the capture's cumulative
// seller_payable_breakdown.total_refunded_amount and an "up" link to the capture), disputes
// (GET /v1/customer/disputes/{id}), and webhooks (CHECKOUT.ORDER.APPROVED,
// PAYMENT.CAPTURE.COMPLETED, PAYMENT.CAPTURE.REFUNDED, CUSTOMER.DISPUTE.CREATED/RESOLVED)
// whose transmission headers only the verify-webhook-signature endpoint can vouch for. Test
// controls under /_standin/: deliver an event with faults (a forged signature, a tampered
// body, copies); /_standin/captures/{id}/(refund|dispute|resolve) act as PayPal's dashboard
// and its dispute desk would.
import { createHmac, randomBytes } from 'node:crypto';
import {
  basicUser, controlRoute, deliverWithRetries, payPage, runFromCommandLine, serveStandin,
} from './standin-common.mjs';

const newId = (length = 17) => randomBytes(length).toString('hex').slice(0, length).toUpperCase();

export async function startPayPalStandin({ clientId, clientSecret, webhookId, webhookUrl = '', port = 0 }) {
  const orders = new Map();
  const captures = new Map();
  const tokens = new Set();
  const idempotent = new Map();
  const refunds = new Map();
  const disputes = new Map();
  const transmissions = new Map(); // transmission id -> the event body sent
  const signingKey = randomBytes(32); // the stand-in's private signing key
  const state = { webhookUrl };
  const sign = (id, time) => createHmac('sha256', signingKey).update(`${id}|${time}|${webhookId}`).digest('base64');

  function captureOf(order) {
    return order.purchase_units[0].payments?.captures?.[0];
  }

  function sendEvent(type, resource, faults = {}) {
    const event = {
      id: `WH-${newId(20)}`, event_version: '1.0', create_time: new Date().toISOString(),
      resource_type: type.startsWith('CHECKOUT') ? 'checkout-order'
        : type.startsWith('CUSTOMER.DISPUTE') ? 'dispute' : type.endsWith('REFUNDED') ? 'refund' : 'capture',
      event_type: type,
      summary: type, resource,
    };
    const body = JSON.stringify(event);
    const id = randomBytes(16).toString('hex');
    const time = new Date().toISOString();
    transmissions.set(id, body);
    const sent = faults.tamper ? body.replace(/"value":"([0-9.]+)"/, '"value":"0.01"') : body;
    return deliverWithRetries(() => fetch(state.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', 'paypal-auth-algo': 'SHA256withRSA',
        'paypal-cert-url': 'https://api.paypal.invalid/v1/notifications/certs/CERT-STANDIN',
        'paypal-transmission-id': id, 'paypal-transmission-time': time,
        'paypal-transmission-sig': faults.forged ? 'Zm9yZ2Vk' : sign(id, time),
      },
      body: sent,
    }), faults);
  }

  function capture(order) {
    const unit = order.purchase_units[0];
    const c = {
      id: newId(), status: 'COMPLETED', amount: unit.amount, custom_id: unit.custom_id, final_capture: true,
      supplementary_data: { related_ids: { order_id: order.id } }, create_time: new Date().toISOString(),
    };
    captures.set(c.id, c);
    unit.payments = { captures: [c] };
    order.status = 'COMPLETED';
    return c;
  }

  // A refund of `value` (a decimal string; absent: what is left) of capture c, or an error name.
  function refund(c, value) {
    const cents = (v) => Math.round(Number(v) * 100);
    const refunded = c.refunded ?? 0;
    const amount = value === undefined ? (cents(c.amount.value) - refunded) / 100 : Number(value);
    if (!(cents(amount) > 0) || cents(amount) + refunded > cents(c.amount.value)) return null;
    c.refunded = refunded + cents(amount);
    c.status = c.refunded === cents(c.amount.value) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    const money = (v) => ({ currency_code: c.amount.currency_code, value: (v / 100).toFixed(2) });
    const r = {
      id: newId(), status: 'COMPLETED', amount: money(cents(amount)), custom_id: c.custom_id,
      seller_payable_breakdown: { gross_amount: money(cents(amount)), total_refunded_amount: money(c.refunded) },
      links: [{ href: `${server.url}/v2/payments/refunds/`, rel: 'self', method: 'GET' },
        { href: `${server.url}/v2/payments/captures/${c.id}`, rel: 'up', method: 'GET' }],
      create_time: new Date().toISOString(),
    };
    r.links[0].href += r.id;
    refunds.set(r.id, r);
    return r;
  }

  // The dashboard and dispute desk: refund {value}, dispute {value}, resolve {outcome}.
  async function captureControl(c, action, options) {
    const send = async (type, resource) => {
      const statuses = [];
      for (let i = 0; i < (options.copies ?? 1); ++i) statuses.push(...(await sendEvent(type, resource, options)));
      return statuses;
    };
    if (action === 'refund') {
      const r = refund(c, options.value);
      return r ? send('PAYMENT.CAPTURE.REFUNDED', r) : null;
    }
    if (action === 'dispute') {
      const d = {
        dispute_id: `PP-D-${newId(8)}`, reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', status: 'UNDER_REVIEW',
        dispute_amount: options.value ? { currency_code: c.amount.currency_code, value: options.value } : c.amount,
        disputed_transactions: [{ seller_transaction_id: c.id, custom: c.custom_id }],
        create_time: new Date().toISOString(),
      };
      disputes.set(d.dispute_id, d);
      c.dispute = d;
      return send('CUSTOMER.DISPUTE.CREATED', d);
    }
    if (action === 'resolve' && c.dispute) {
      Object.assign(c.dispute, { status: 'RESOLVED', dispute_outcome: { outcome_code: options.outcome ?? 'RESOLVED_BUYER_FAVOUR' } });
      return send('CUSTOMER.DISPUTE.RESOLVED', c.dispute);
    }
    return null;
  }

  const server = await serveStandin(async (req, url, raw, reply) => {
    const bearer = () => tokens.has((req.headers.authorization ?? '').replace('Bearer ', ''));
    const error = (status, name) => reply.json(status, { name, message: name, details: [] });
    if (url.pathname === '/v1/oauth2/token' && req.method === 'POST') {
      const pair = Buffer.from((req.headers.authorization ?? '').slice(6), 'base64').toString('utf8');
      if (basicUser(req) !== clientId || pair !== `${clientId}:${clientSecret}`) return reply.json(401, { error: 'invalid_client' });
      const token = `A21AA${randomBytes(24).toString('hex')}`;
      tokens.add(token);
      return reply.json(200, { scope: 'https://uri.paypal.com/services/payments', access_token: token, token_type: 'Bearer', expires_in: 32400 });
    }
    if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/v2/')) {
      if (!bearer()) return error(401, 'AUTHENTICATION_FAILURE');
      const key = req.headers['paypal-request-id'];
      if (req.method === 'POST' && key && idempotent.has(key)) return reply.json(200, idempotent.get(key));
      const remember = (status, value) => {
        if (key) idempotent.set(key, value);
        return reply.json(status, value);
      };
      if (url.pathname === '/v2/checkout/orders' && req.method === 'POST') {
        const body = JSON.parse(raw);
        const unit = body.purchase_units?.[0];
        if (body.intent !== 'CAPTURE' || !unit?.amount?.value) return error(400, 'INVALID_REQUEST');
        const context = body.payment_source?.paypal?.experience_context ?? {};
        const order = {
          id: newId(), intent: 'CAPTURE', status: 'PAYER_ACTION_REQUIRED',
          purchase_units: [{ reference_id: unit.reference_id, custom_id: unit.custom_id, description: unit.description, amount: unit.amount }],
          return_url: context.return_url, cancel_url: context.cancel_url,
        };
        order.links = [
          { href: `${server.url}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' },
          { href: `${server.url}/checkoutnow?token=${order.id}`, rel: 'payer-action', method: 'GET' },
        ];
        orders.set(order.id, order);
        return remember(200, order);
      }
      const orderPath = url.pathname.match(/^\/v2\/checkout\/orders\/([A-Z0-9]+)(\/capture)?$/);
      if (orderPath) {
        const order = orders.get(orderPath[1]);
        if (!order) return error(404, 'RESOURCE_NOT_FOUND');
        if (!orderPath[2] && req.method === 'GET') return reply.json(200, order);
        if (orderPath[2] && req.method === 'POST') {
          if (order.status === 'COMPLETED') return error(422, 'UNPROCESSABLE_ENTITY');
          if (order.status !== 'APPROVED') return error(422, 'UNPROCESSABLE_ENTITY');
          const c = capture(order);
          await sendEvent('PAYMENT.CAPTURE.COMPLETED', c);
          return remember(201, order);
        }
      }
      const capturePath = url.pathname.match(/^\/v2\/payments\/captures\/([A-Z0-9]+)(\/refund)?$/);
      if (capturePath) {
        const c = captures.get(capturePath[1]);
        if (!c) return error(404, 'RESOURCE_NOT_FOUND');
        if (!capturePath[2] && req.method === 'GET') return reply.json(200, c);
        if (capturePath[2] && req.method === 'POST') {
          const r = refund(c, JSON.parse(raw || '{}').amount?.value);
          if (!r) return error(422, 'UNPROCESSABLE_ENTITY');
          // PayPal confirms with PAYMENT.CAPTURE.REFUNDED, after answering.
          setTimeout(() => sendEvent('PAYMENT.CAPTURE.REFUNDED', r), 10);
          return remember(201, { id: r.id, status: r.status, links: r.links });
        }
      }
      const refundPath = url.pathname.match(/^\/v2\/payments\/refunds\/([A-Z0-9]+)$/);
      if (refundPath && req.method === 'GET') {
        const r = refunds.get(refundPath[1]);
        return r ? reply.json(200, r) : error(404, 'RESOURCE_NOT_FOUND');
      }
      const disputePath = url.pathname.match(/^\/v1\/customer\/disputes\/([A-Z0-9-]+)$/);
      if (disputePath && req.method === 'GET') {
        const d = disputes.get(disputePath[1]);
        return d ? reply.json(200, d) : error(404, 'RESOURCE_NOT_FOUND');
      }
      if (url.pathname === '/v1/notifications/verify-webhook-signature' && req.method === 'POST') {
        const body = JSON.parse(raw);
        const sent = transmissions.get(body.transmission_id);
        const ok = sent !== undefined && body.webhook_id === webhookId
          && body.transmission_sig === sign(body.transmission_id, body.transmission_time)
          && JSON.stringify(body.webhook_event) === JSON.stringify(JSON.parse(sent));
        return reply.json(200, { verification_status: ok ? 'SUCCESS' : 'FAILURE' });
      }
      return error(404, 'NOT_FOUND');
    }
    if (url.pathname === '/checkoutnow') {
      const order = orders.get(url.searchParams.get('token'));
      if (!order) return error(404, 'RESOURCE_NOT_FOUND');
      if (req.method === 'POST') {
        order.status = 'APPROVED';
        await sendEvent('CHECKOUT.ORDER.APPROVED', { id: order.id, status: 'APPROVED', purchase_units: order.purchase_units });
        const sep = order.return_url.includes('?') ? '&' : '?';
        return reply.redirect(`${order.return_url}${sep}token=${order.id}&PayerID=STANDINPAYER`);
      }
      const amount = order.purchase_units[0].amount;
      return reply.html(200, payPage({
        provider: 'PayPal', amountText: `${amount.value} ${amount.currency_code}`,
        description: order.purchase_units[0].description, cancelUrl: order.cancel_url,
      }));
    }
    const control = url.pathname.match(/^\/_standin\/captures\/([A-Z0-9]+)\/(refund|dispute|resolve)$/);
    if (control && req.method === 'POST') {
      const c = captures.get(control[1]);
      const statuses = c && await captureControl(c, control[2], raw ? JSON.parse(raw) : {});
      return statuses ? reply.json(200, { statuses }) : reply.json(422, { error: 'cannot do that to this capture' });
    }
    const act = (order, action) => {
      if (action === 'approve') order.status = 'APPROVED';
    };
    const notify = (order, options) => (captureOf(order)
      ? sendEvent('PAYMENT.CAPTURE.COMPLETED', captureOf(order), options)
      : sendEvent('CHECKOUT.ORDER.APPROVED', { id: order.id, status: order.status, purchase_units: order.purchase_units }, options));
    if (await controlRoute({ req, url, raw, reply, state, kind: 'orders', items: orders, act, notify })) return;
    return reply.json(404, { error: 'not found' });
  }, port);
  return { ...server, name: 'paypal', orders, captures, setWebhookUrl(u) { state.webhookUrl = u; } };
}

await runFromCommandLine(import.meta.url, startPayPalStandin, {
  '--client-id': 'clientId', '--client-secret': 'clientSecret', '--webhook-id': 'webhookId', '--webhook-url': 'webhookUrl',
});
