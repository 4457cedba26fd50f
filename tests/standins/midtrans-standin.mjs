// STAND-IN for Midtrans (Snap and the Core API status endpoint), for tests only: this machine
// cannot reach Midtrans. It follows Midtrans's public documentation closely enough for
// Reelgate: POST /snap/v1/transactions (Basic auth with the server key) answers a token and a
// redirect_url; the hosted page settles the transaction and sends the HTTP notification with
// signature_key = SHA-512(order_id + status_code + gross_amount + server key);
// GET /v2/{order_id}/status answers the transaction; POST /v2/{order_id or transaction_id}/refund
// {refund_key, amount, reason} refunds all or part of a settled one (transaction_status
// partial_refund, then refund; refund_amount is the cumulative total, refunds[] each one) and
// sends the refund notification. A refund_key Midtrans has seen on the transaction marks a retry
// of that refund: the answer is the first refund's, and nothing is refunded again. Test controls
// under /_standin/: notify with faults (wrong signature, a status that the status API
// contradicts, copies); refund {amount} from the dashboard; config {holdNotifications: true}
// drops every notification (lost ones) until it is false again and a notify control sends
// the state.
import { createHash, randomUUID } from 'node:crypto';
import {
  basicUser, controlRoute, deliverWithRetries, payPage, runFromCommandLine, serveStandin,
} from './standin-common.mjs';

export async function startMidtransStandin({ serverKey, notificationUrl = '', port = 0 }) {
  const transactions = new Map(); // order_id -> transaction
  const state = { notificationUrl };
  const sign = (t, statusCode) => createHash('sha512')
    .update(`${t.order_id}${statusCode}${t.gross_amount}${serverKey}`).digest('hex');

  function statusBody(t) {
    const statusCode = ['settlement', 'refund', 'partial_refund'].includes(t.transaction_status) ? '200'
      : t.transaction_status === 'pending' ? '201' : '202';
    const refunded = t.refunds?.length
      ? { refund_amount: `${t.refunded}.00`, refunds: t.refunds } : {};
    return {
      status_code: statusCode, status_message: 'Success, transaction is found',
      transaction_id: t.transaction_id, order_id: t.order_id, gross_amount: t.gross_amount,
      currency: 'IDR', payment_type: 'qris', transaction_time: t.transaction_time,
      transaction_status: t.transaction_status, fraud_status: 'accept', merchant_id: 'G000STANDIN',
      signature_key: sign(t, statusCode), ...refunded,
    };
  }

  // Refunds `amount` whole rupiah (absent: what is left) of a settled transaction, or null.
  function refund(t, amount, reason = '', refundKey = '') {
    const earlier = refundKey && (t.refunds ?? []).find((r) => r.refund_key === refundKey);
    if (earlier) return { ...earlier, retried: true };
    const gross = Number.parseInt(t.gross_amount, 10);
    const before = t.refunded ?? 0;
    const value = amount ?? gross - before;
    if (!['settlement', 'partial_refund'].includes(t.transaction_status) || !Number.isInteger(value)
      || value <= 0 || value + before > gross) return null;
    t.refunded = before + value;
    t.transaction_status = t.refunded === gross ? 'refund' : 'partial_refund';
    const record = {
      refund_chargeback_id: (t.refunds ?? []).length + 1, refund_amount: `${value}.00`,
      created_at: new Date().toISOString().replace('T', ' ').slice(0, 19), reason,
      refund_key: refundKey || randomUUID(),
    };
    (t.refunds ??= []).push(record);
    return record;
  }

  function notify(t, faults = {}) {
    if (state.holdNotifications) return Promise.resolve([]);
    const body = { ...statusBody(t), ...(faults.overrides ?? {}) };
    body.signature_key = faults.wrongSignature ? 'f'.repeat(128) : sign(body, body.status_code);
    return deliverWithRetries(() => fetch(state.notificationUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }), faults);
  }

  const server = await serveStandin(async (req, url, raw, reply) => {
    if (url.pathname === '/snap/v1/transactions' && req.method === 'POST') {
      if (basicUser(req) !== serverKey) return reply.json(401, { error_messages: ['Access denied'] });
      const body = JSON.parse(raw);
      const details = body.transaction_details ?? {};
      if (!details.order_id || !Number.isInteger(details.gross_amount) || details.gross_amount <= 0)
        return reply.json(400, { error_messages: ['transaction_details is required'] });
      if (transactions.has(details.order_id))
        return reply.json(400, { error_messages: ['order_id has already been taken'] });
      const t = {
        order_id: details.order_id, gross_amount: `${details.gross_amount}.00`, token: randomUUID(),
        transaction_id: randomUUID(), transaction_status: 'pending',
        transaction_time: new Date().toISOString().replace('T', ' ').slice(0, 19),
        finish: body.callbacks?.finish ?? '', name: body.item_details?.[0]?.name ?? '',
      };
      transactions.set(t.order_id, t);
      return reply.json(201, { token: t.token, redirect_url: `${server.url}/snap/v2/vtweb/${t.token}` });
    }
    const page = url.pathname.match(/^\/snap\/v2\/vtweb\/([0-9a-f-]+)$/);
    if (page) {
      const t = [...transactions.values()].find((x) => x.token === page[1]);
      if (!t) return reply.json(404, { error_messages: ['token not found'] });
      if (req.method === 'POST') {
        t.transaction_status = 'settlement';
        await notify(t);
        const sep = t.finish.includes('?') ? '&' : '?';
        return reply.redirect(`${t.finish}${sep}order_id=${encodeURIComponent(t.order_id)}&status_code=200&transaction_status=settlement`);
      }
      return reply.html(200, payPage({
        provider: 'Midtrans', amountText: `Rp ${t.gross_amount.replace('.00', '')}`, description: t.name,
      }));
    }
    const status = url.pathname.match(/^\/v2\/([^/]+)\/status$/);
    if (status && req.method === 'GET') {
      if (basicUser(req) !== serverKey) return reply.json(401, { status_code: '401', status_message: 'Unauthorized' });
      const t = transactions.get(decodeURIComponent(status[1]));
      return t ? reply.json(200, statusBody(t)) : reply.json(404, { status_code: '404', status_message: "Transaction doesn't exist." });
    }
    const refundPath = url.pathname.match(/^\/v2\/([^/]+)\/refund$/);
    if (refundPath && req.method === 'POST') {
      if (basicUser(req) !== serverKey) return reply.json(401, { status_code: '401', status_message: 'Unauthorized' });
      const key = decodeURIComponent(refundPath[1]);
      const t = transactions.get(key) ?? [...transactions.values()].find((x) => x.transaction_id === key);
      if (!t) return reply.json(404, { status_code: '404', status_message: "Transaction doesn't exist." });
      const body = JSON.parse(raw || '{}');
      const record = refund(t, body.amount, body.reason ?? '', body.refund_key ?? '');
      if (!record) return reply.json(412, { status_code: '412', status_message: 'Merchant cannot modify the status of the transaction' });
      if (!record.retried) setTimeout(() => notify(t), 10); // the notification follows
      return reply.json(200, {
        ...statusBody(t), status_message: 'Success, refund request is approved',
        refund_chargeback_id: record.refund_chargeback_id, refund_amount: record.refund_amount,
        refund_key: record.refund_key,
      });
    }
    const act = (t, action, options) => {
      if (action === 'refund') return refund(t, options.amount, 'dashboard') ? 'notify' : 'quiet';
      if (action === 'pay') t.transaction_status = 'settlement';
      if (action !== 'set') return 'notify';
      t.transaction_status = options.status;
      return 'quiet';
    };
    if (await controlRoute({ req, url, raw, reply, state, kind: 'orders', items: transactions, act, notify })) return;
    return reply.json(404, { error: 'not found' });
  }, port);
  return { ...server, name: 'midtrans', transactions, setNotificationUrl(u) { state.notificationUrl = u; } };
}

await runFromCommandLine(import.meta.url, startMidtransStandin,
  { '--server-key': 'serverKey', '--notification-url': 'notificationUrl' });
