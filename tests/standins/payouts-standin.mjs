// STAND-IN (a test double, not the real service) for the two payout APIs money out uses:
// Xendit disbursements (POST /disbursements, Basic auth with the secret key, X-IDEMPOTENCY-KEY;
// GET /disbursements?external_id= answers an array, GET /disbursements/{id} one) and PayPal
// payouts (POST /v1/oauth2/token, POST /v1/payments/payouts with PayPal-Request-Id,
// GET /v1/payments/payouts/{batch id}). A repeated idempotency key answers the first payout
// again (the provider pays once); every payout counts its executions (creations) per key.
// Test controls:
//   POST /_standin/fail {"on": true|false}  every new payout is refused (Xendit 400, PayPal 422);
//   POST /_standin/hold {"on": true|false}  a new payout is executed but its answer is held
//        back until hold goes off (a server that dies meanwhile never hears it);
//   POST /_standin/settle {"key", "status"} sets a payout's final state (Xendit COMPLETED or
//        FAILED; PayPal SUCCESS, FAILED, RETURNED ...) as its status API will report it;
//   POST /_standin/sign {event} signs a PayPal webhook event as PayPal would send it: answers
//        the transmission headers that only POST /v1/notifications/verify-webhook-signature
//        (for --webhook-id) vouches for, and only for exactly that event;
//   GET /_standin/payouts lists what was executed: {key, provider, answer, body, executions,
//        held}, and how many OAuth tokens PayPal handed out (tokens).
import { serveStandin, basicUser, runFromCommandLine } from './standin-common.mjs';
import { createHmac, randomBytes } from 'node:crypto';

export async function startPayoutsStandin({ secretKey = 'xnd_payouts', clientId = 'paypal-client',
  webhookId = 'payouts-webhook', port = 0 } = {}) {
  const payouts = new Map(); // idempotency key -> payout
  const transmissions = new Map(); // transmission id -> the event's JSON
  const signingKey = randomBytes(16);
  const sign = (id, time) => createHmac('sha256', signingKey).update(`${id}|${time}`).digest('hex');
  const state = { fail: false, hold: false, tokens: 0 };
  let waiting = []; // answers held back: functions that send them
  const answerLater = (send) => {
    if (!state.hold) return send();
    return new Promise((resolve) => waiting.push(() => {
      try { resolve(send()); } catch { resolve(); } // the caller may be gone
    }));
  };
  const byId = (id) => [...payouts.values()].find((p) =>
    p.answer.id === id || p.answer.batch_header?.payout_batch_id === id);
  const server = await serveStandin(async (req, url, raw, reply) => {
    if (req.method === 'POST' && url.pathname === '/_standin/fail') {
      state.fail = JSON.parse(raw || '{}').on === true;
      return reply.json(200, { fail: state.fail });
    }
    if (req.method === 'POST' && url.pathname === '/_standin/hold') {
      state.hold = JSON.parse(raw || '{}').on === true;
      if (!state.hold) {
        const release = waiting;
        waiting = [];
        for (const send of release) send();
      }
      return reply.json(200, { hold: state.hold });
    }
    if (req.method === 'POST' && url.pathname === '/_standin/settle') {
      const { key, status } = JSON.parse(raw || '{}');
      const payout = payouts.get(key);
      if (!payout) return reply.json(404, { error: 'no such payout' });
      payout.final = status;
      if (payout.provider === 'xendit') payout.answer.status = status;
      return reply.json(200, { key, status });
    }
    if (req.method === 'POST' && url.pathname === '/_standin/sign') {
      const id = randomBytes(8).toString('hex');
      const time = new Date().toISOString();
      transmissions.set(id, JSON.stringify(JSON.parse(raw).event));
      return reply.json(200, { 'PAYPAL-TRANSMISSION-ID': id, 'PAYPAL-TRANSMISSION-TIME': time,
        'PAYPAL-TRANSMISSION-SIG': sign(id, time), 'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
        'PAYPAL-CERT-URL': 'https://api.paypal.invalid/cert' });
    }
    if (req.method === 'GET' && url.pathname === '/_standin/payouts') {
      return reply.json(200, { payouts: [...payouts.entries()].map(([key, p]) => ({ key, ...p })),
        tokens: state.tokens });
    }
    if (url.pathname.startsWith('/disbursements')) {
      if (basicUser(req) !== secretKey) return reply.json(401, { error_code: 'INVALID_API_KEY' });
    }
    if (req.method === 'GET' && url.pathname === '/disbursements') {
      const externalId = url.searchParams.get('external_id');
      return reply.json(200, [...payouts.values()]
        .filter((p) => p.provider === 'xendit' && p.answer.external_id === externalId)
        .map((p) => p.answer));
    }
    if (req.method === 'GET' && url.pathname.startsWith('/disbursements/')) {
      const payout = byId(decodeURIComponent(url.pathname.slice('/disbursements/'.length)));
      if (!payout) return reply.json(404, { error_code: 'DIRECT_DISBURSEMENT_NOT_FOUND_ERROR' });
      return reply.json(200, payout.answer);
    }
    if (req.method === 'POST' && url.pathname === '/disbursements') {
      const key = req.headers['x-idempotency-key'];
      if (!key) return reply.json(400, { error_code: 'API_VALIDATION_ERROR', message: 'idempotency key' });
      if (payouts.has(key)) return reply.json(200, payouts.get(key).answer);
      if (state.fail) return reply.json(400, { error_code: 'RECIPIENT_ACCOUNT_NUMBER_ERROR', message: 'closed account' });
      const body = JSON.parse(raw);
      if (!Number.isInteger(body.amount) || !body.bank_code || !body.account_number) {
        return reply.json(400, { error_code: 'API_VALIDATION_ERROR' });
      }
      const answer = { id: `disb_${randomBytes(8).toString('hex')}`, external_id: body.external_id,
        amount: body.amount, bank_code: body.bank_code, status: 'PENDING' };
      payouts.set(key, { provider: 'xendit', answer, body, executions: 1, held: state.hold });
      return answerLater(() => reply.json(200, answer));
    }
    if (req.method === 'POST' && url.pathname === '/v1/oauth2/token') {
      if (basicUser(req) !== clientId) return reply.json(401, { error: 'invalid_client' });
      state.tokens += 1;
      return reply.json(200, { access_token: 'A21-standin', expires_in: 3600 });
    }
    if (url.pathname.startsWith('/v1/payments/payouts')) {
      if (req.headers.authorization !== 'Bearer A21-standin') return reply.json(401, { name: 'AUTHENTICATION_FAILURE' });
    }
    if (req.method === 'POST' && url.pathname === '/v1/notifications/verify-webhook-signature') {
      if (req.headers.authorization !== 'Bearer A21-standin') return reply.json(401, { name: 'AUTHENTICATION_FAILURE' });
      const body = JSON.parse(raw);
      const sent = transmissions.get(body.transmission_id);
      const ok = sent !== undefined && body.webhook_id === webhookId
        && body.transmission_sig === sign(body.transmission_id, body.transmission_time)
        && JSON.stringify(body.webhook_event) === sent;
      return reply.json(200, { verification_status: ok ? 'SUCCESS' : 'FAILURE' });
    }
    if (req.method === 'GET' && url.pathname.startsWith('/v1/payments/payouts/')) {
      const payout = byId(decodeURIComponent(url.pathname.slice('/v1/payments/payouts/'.length)));
      if (!payout) return reply.json(404, { name: 'INVALID_RESOURCE_ID' });
      return reply.json(200, { batch_header: payout.answer.batch_header,
        items: [{ payout_item_id: payout.itemId, transaction_status: payout.final ?? 'PENDING',
          payout_batch_id: payout.answer.batch_header.payout_batch_id }] });
    }
    if (req.method === 'POST' && url.pathname === '/v1/payments/payouts') {
      const key = req.headers['paypal-request-id'];
      if (key && payouts.has(key)) return reply.json(201, payouts.get(key).answer);
      if (state.fail) return reply.json(422, { name: 'RECEIVER_UNREGISTERED' });
      const body = JSON.parse(raw);
      const answer = { batch_header: { payout_batch_id: `PB${randomBytes(6).toString('hex').toUpperCase()}`,
        batch_status: 'PENDING', sender_batch_header: body.sender_batch_header } };
      payouts.set(key ?? randomBytes(8).toString('hex'), { provider: 'paypal', answer, body,
        itemId: `PI${randomBytes(6).toString('hex').toUpperCase()}`, executions: 1, held: state.hold });
      return answerLater(() => reply.json(201, answer));
    }
    return reply.json(404, { error: 'not found' });
  }, port);
  return { ...server, name: 'payouts', payouts };
}

await runFromCommandLine(import.meta.url, startPayoutsStandin,
  { '--secret-key': 'secretKey', '--client-id': 'clientId', '--webhook-id': 'webhookId' });
