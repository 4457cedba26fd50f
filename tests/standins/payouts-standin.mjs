// STAND-IN (a test double, not the real service) for the two payout APIs money out uses:
// Xendit disbursements (POST /disbursements, Basic auth with the secret key, X-IDEMPOTENCY-KEY)
// and PayPal payouts (POST /v1/oauth2/token, POST /v1/payments/payouts, PayPal-Request-Id).
// A repeated idempotency key answers the first payout again (the provider pays once).
// Test controls: POST /_standin/fail {"on": true|false} makes every payout fail with a 400;
// GET /_standin/payouts lists what was paid.
import { serveStandin, basicUser, runFromCommandLine } from './standin-common.mjs';
import { randomBytes } from 'node:crypto';

export async function startPayoutsStandin({ secretKey = 'xnd_payouts', clientId = 'paypal-client', port = 0 } = {}) {
  const payouts = new Map(); // idempotency key -> payout
  const state = { fail: false };
  const server = await serveStandin(async (req, url, raw, reply) => {
    if (req.method === 'POST' && url.pathname === '/_standin/fail') {
      state.fail = JSON.parse(raw || '{}').on === true;
      return reply.json(200, { fail: state.fail });
    }
    if (req.method === 'GET' && url.pathname === '/_standin/payouts') {
      return reply.json(200, { payouts: [...payouts.values()] });
    }
    if (req.method === 'POST' && url.pathname === '/disbursements') {
      if (basicUser(req) !== secretKey) return reply.json(401, { error_code: 'INVALID_API_KEY' });
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
      payouts.set(key, { provider: 'xendit', answer, body });
      return reply.json(200, answer);
    }
    if (req.method === 'POST' && url.pathname === '/v1/oauth2/token') {
      if (basicUser(req) !== clientId) return reply.json(401, { error: 'invalid_client' });
      return reply.json(200, { access_token: 'A21-standin', expires_in: 3600 });
    }
    if (req.method === 'POST' && url.pathname === '/v1/payments/payouts') {
      if (req.headers.authorization !== 'Bearer A21-standin') return reply.json(401, { name: 'AUTHENTICATION_FAILURE' });
      const key = req.headers['paypal-request-id'];
      if (key && payouts.has(key)) return reply.json(201, payouts.get(key).answer);
      if (state.fail) return reply.json(422, { name: 'RECEIVER_UNREGISTERED' });
      const body = JSON.parse(raw);
      const answer = { batch_header: { payout_batch_id: `PB${randomBytes(6).toString('hex').toUpperCase()}`,
        batch_status: 'PENDING', sender_batch_header: body.sender_batch_header } };
      payouts.set(key ?? randomBytes(8).toString('hex'), { provider: 'paypal', answer, body });
      return reply.json(201, answer);
    }
    return reply.json(404, { error: 'not found' });
  }, port);
  return { ...server, name: 'payouts', payouts };
}

await runFromCommandLine(import.meta.url, startPayoutsStandin,
  { '--secret-key': 'secretKey', '--client-id': 'clientId' });
