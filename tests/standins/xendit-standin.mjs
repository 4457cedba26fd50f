// STAND-IN for Xendit Invoices, for tests only: this machine cannot reach Xendit. It follows
// Xendit's public documentation closely enough for Reelgate: POST /v2/invoices (Basic auth
// with the secret key; x-idempotency-key honoured) answers the invoice with its invoice_url;
// GET /v2/invoices/{id}; the hosted page pays it and sends the invoice callback with the
// x-callback-token header. Refunds API: POST /refunds {invoice_id, amount, currency, reason}
// (x-idempotency-key honoured), GET /refunds/{id}, GET /refunds?invoice_id=..., and the
// refund.succeeded callback {event, business_id, created, data: refund} with the same token.
// Test controls under /_standin/: callbacks with a wrong token, a body that lies about the
// status, copies; /_standin/invoices/{id}/refund {amount} refunds from the dashboard.
// POST /refunds also honours the Refunds API's idempotency-key header as Xendit's refund API
// describes it: a key already used is refused with 409 DUPLICATE_ERROR (nothing is refunded
// again). Config {holdRefundCallbacks: true} keeps refund.succeeded callbacks (a lost
// notification) until POST /_standin/refund-callbacks/release.
import { randomBytes } from 'node:crypto';
import {
  basicUser, controlRoute, deliverWithRetries, payPage, runFromCommandLine, serveStandin,
} from './standin-common.mjs';

export async function startXenditStandin({ secretKey, callbackToken, callbackUrl = '', port = 0 }) {
  const invoices = new Map();
  const idempotent = new Map();
  const refunds = new Map();
  const refundKeys = new Set();
  const heldRefunds = [];
  const state = { callbackUrl };

  function callback(invoice, faults = {}) {
    const body = { ...invoice, paid_amount: invoice.amount, ...(faults.overrides ?? {}) };
    delete body.invoice_url;
    return deliverWithRetries(() => fetch(state.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callback-token': faults.wrongToken ? 'not-the-token' : callbackToken },
      body: JSON.stringify(body),
    }), faults);
  }

  // A refund of `amount` (major units; absent: what is left) of a paid invoice, or null.
  function refund(invoice, amount, reason = 'REQUESTED_BY_CUSTOMER') {
    const refunded = invoice.refunded ?? 0;
    const value = amount ?? invoice.amount - refunded;
    if (invoice.status !== 'PAID' || typeof value !== 'number' || !(value > 0) || value + refunded > invoice.amount)
      return null;
    invoice.refunded = refunded + value;
    const now = new Date().toISOString();
    const r = {
      id: `rfd-${randomBytes(12).toString('hex')}`, payment_id: null, invoice_id: invoice.id, amount: value,
      payment_method_type: 'QR_CODE', channel_code: 'QRIS', currency: invoice.currency, status: 'SUCCEEDED',
      reason, reference_id: `ref-${randomBytes(6).toString('hex')}`, failure_code: null, refund_fee_amount: null,
      created: now, updated: now, metadata: null,
    };
    refunds.set(r.id, r);
    return r;
  }

  function refundCallback(r, faults = {}) {
    const body = { event: `refund.${r.status === 'SUCCEEDED' ? 'succeeded' : 'failed'}`, business_id: 'standin', created: r.updated, data: r };
    return deliverWithRetries(() => fetch(state.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callback-token': faults.wrongToken ? 'not-the-token' : callbackToken },
      body: JSON.stringify(body),
    }), faults);
  }

  const server = await serveStandin(async (req, url, raw, reply) => {
    const api = url.pathname.startsWith('/v2/') || url.pathname.startsWith('/refunds');
    if (api && basicUser(req) !== secretKey)
      return reply.json(401, { error_code: 'INVALID_API_KEY', message: 'API key is not authorized' });
    if (url.pathname === '/v2/invoices' && req.method === 'POST') {
      const key = req.headers['x-idempotency-key'];
      if (key && idempotent.has(key)) return reply.json(200, idempotent.get(key));
      const body = JSON.parse(raw);
      if (!body.external_id || typeof body.amount !== 'number' || body.amount <= 0)
        return reply.json(400, { error_code: 'API_VALIDATION_ERROR', message: 'external_id and amount are required' });
      const id = randomBytes(12).toString('hex');
      const invoice = {
        id, external_id: body.external_id, user_id: 'standin', status: 'PENDING', merchant_name: 'Stand-in',
        amount: body.amount, currency: body.currency ?? 'IDR', description: body.description ?? '',
        payer_email: body.payer_email, success_redirect_url: body.success_redirect_url,
        failure_redirect_url: body.failure_redirect_url, invoice_url: `${server.url}/web/${id}`,
        expiry_date: new Date(Date.now() + 86400000).toISOString(),
      };
      invoices.set(id, invoice);
      if (key) idempotent.set(key, invoice);
      return reply.json(200, invoice);
    }
    const get = url.pathname.match(/^\/v2\/invoices\/([0-9a-f]+)$/);
    if (get && req.method === 'GET') {
      const invoice = invoices.get(get[1]);
      return invoice ? reply.json(200, invoice) : reply.json(404, { error_code: 'INVOICE_NOT_FOUND_ERROR' });
    }
    if (url.pathname === '/refunds' && req.method === 'POST') {
      const key = req.headers['x-idempotency-key'];
      if (key && idempotent.has(key)) return reply.json(200, idempotent.get(key));
      const refundKey = req.headers['idempotency-key'];
      if (refundKey && refundKeys.has(refundKey))
        return reply.json(409, { error_code: 'DUPLICATE_ERROR', message: 'A refund with this idempotency key already exists' });
      const body = JSON.parse(raw);
      const invoice = invoices.get(body.invoice_id);
      if (!invoice) return reply.json(404, { error_code: 'DATA_NOT_FOUND', message: 'invoice not found' });
      if (body.currency && body.currency !== invoice.currency)
        return reply.json(400, { error_code: 'API_VALIDATION_ERROR', message: 'currency does not match' });
      const r = refund(invoice, body.amount, body.reason);
      if (!r) return reply.json(400, { error_code: 'INELIGIBLE_TRANSACTION', message: 'amount is more than what can be refunded' });
      if (key) idempotent.set(key, r);
      if (refundKey) refundKeys.add(refundKey);
      if (state.holdRefundCallbacks) heldRefunds.push(r);
      else setTimeout(() => refundCallback(r), 10); // Xendit confirms with refund.succeeded, after answering
      return reply.json(200, r);
    }
    const refundGet = url.pathname.match(/^\/refunds\/(rfd-[0-9a-f]+)$/);
    if (refundGet && req.method === 'GET') {
      const r = refunds.get(refundGet[1]);
      return r ? reply.json(200, r) : reply.json(404, { error_code: 'DATA_NOT_FOUND' });
    }
    if (url.pathname === '/refunds' && req.method === 'GET') {
      const invoiceId = url.searchParams.get('invoice_id');
      return reply.json(200, { data: [...refunds.values()].filter((r) => r.invoice_id === invoiceId), has_more: false });
    }
    const dashboard = url.pathname.match(/^\/_standin\/invoices\/([0-9a-f]+)\/refund$/);
    if (dashboard && req.method === 'POST') {
      const options = raw ? JSON.parse(raw) : {};
      const r = invoices.has(dashboard[1]) && refund(invoices.get(dashboard[1]), options.amount);
      if (!r) return reply.json(422, { error: 'cannot refund this invoice' });
      const statuses = [];
      for (let i = 0; i < (options.copies ?? 1); ++i) statuses.push(...(await refundCallback(r, options)));
      return reply.json(200, { statuses, refund: r });
    }
    if (url.pathname === '/_standin/refund-callbacks/release' && req.method === 'POST') {
      const statuses = [];
      for (const r of heldRefunds.splice(0)) statuses.push(...(await refundCallback(r)));
      return reply.json(200, { statuses });
    }
    const page = url.pathname.match(/^\/web\/([0-9a-f]+)$/);
    if (page) {
      const invoice = invoices.get(page[1]);
      if (!invoice) return reply.json(404, { error_code: 'INVOICE_NOT_FOUND_ERROR' });
      if (req.method === 'POST') {
        Object.assign(invoice, { status: 'PAID', paid_at: new Date().toISOString(), payment_method: 'QR_CODE' });
        await callback(invoice);
        return reply.redirect(invoice.success_redirect_url);
      }
      return reply.html(200, payPage({
        provider: 'Xendit', amountText: `${invoice.amount} ${invoice.currency}`,
        description: invoice.description, cancelUrl: invoice.failure_redirect_url,
      }));
    }
    const act = (invoice, action) => {
      if (action === 'pay') invoice.status = 'PAID';
      if (action === 'expire') invoice.status = 'EXPIRED';
    };
    if (await controlRoute({ req, url, raw, reply, state, kind: 'invoices', items: invoices, act, notify: callback })) return;
    return reply.json(404, { error: 'not found' });
  }, port);
  return { ...server, name: 'xendit', invoices, setCallbackUrl(u) { state.callbackUrl = u; } };
}

await runFromCommandLine(import.meta.url, startXenditStandin,
  { '--secret-key': 'secretKey', '--callback-token': 'callbackToken', '--callback-url': 'callbackUrl' });
