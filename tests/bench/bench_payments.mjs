// Load client of bench_payments.sh (never run alone): keep-alive HTTP from node's own http
// module, CONCURRENCY requests in flight, one JSON line of results on stdout.
//   purchases BASE SECONDS CONCURRENCY TOKENS_FILE VIDEOS_FILE
//       wallet purchases (POST /api/videos/{id}/purchase with an Idempotency-Key), each buyer
//       buying videos in its own shuffled order so no pair repeats; for SECONDS.
//   deposits BASE CONCURRENCY TOKENS_FILE PER_BUYER OUT_FILE
//       pending Stripe top-ups through the server (which opens each session at the Stripe
//       stand-in); writes {session, reference, amount_minor} lines for the next mode.
//   webhooks BASE CONCURRENCY DEPOSITS_FILE WEBHOOK_SECRET
//       one signed checkout.session.completed per deposit (Stripe's scheme: HMAC-SHA256 over
//       "t.body"), all delivered as fast as the server answers; counts what it posted.
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

const [mode, base, ...args] = process.argv.slice(2);
const url = new URL(base);

function request(agent, method, path, headers, body) {
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname, port: url.port, method, path, agent,
      headers: { ...headers, 'content-length': Buffer.byteLength(body ?? '') },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', (error) => resolve({ status: 0, text: String(error) }));
    req.end(body ?? '');
  });
}

// Runs `work(i)` on `concurrency` lanes until `next()` says stop; returns the elapsed seconds.
async function lanes(concurrency, next, work) {
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let job = next(); job !== null; job = next()) await work(job);
  }));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const shuffled = (list) => {
  const out = [...list];
  for (let i = out.length - 1; i > 0; --i) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

async function purchases(seconds, concurrency, tokensFile, videosFile) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const tokens = lines(tokensFile);
  const videos = lines(videosFile);
  const orders = tokens.map(() => shuffled(videos));
  const deadline = Date.now() + seconds * 1000;
  let turn = 0;
  const statuses = {};
  const latenciesMs = [];
  const next = () => {
    if (Date.now() >= deadline) return null;
    for (let tries = 0; tries < tokens.length; ++tries) {
      const buyer = turn++ % tokens.length;
      if (orders[buyer].length > 0) return { token: tokens[buyer], video: orders[buyer].pop() };
    }
    return null;
  };
  const elapsed = await lanes(concurrency, next, async ({ token, video }) => {
    const t0 = process.hrtime.bigint();
    const r = await request(agent, 'POST', `/api/videos/${video}/purchase`, {
      authorization: `Bearer ${token}`, 'idempotency-key': randomUUID(),
    });
    latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  });
  agent.destroy();
  latenciesMs.sort((a, b) => a - b);
  const at = (q) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(q * latenciesMs.length))] ?? 0;
  return { ok: statuses[201] ?? 0, statuses, seconds: elapsed, p50_ms: at(0.5), p99_ms: at(0.99) };
}

async function deposits(concurrency, tokensFile, perBuyer, outFile) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const jobs = lines(tokensFile).flatMap((token) => Array.from({ length: perBuyer }, () => token));
  const out = [];
  const statuses = {};
  const elapsed = await lanes(concurrency, () => jobs.pop() ?? null, async (token) => {
    const r = await request(agent, 'POST', '/api/wallet/deposits', {
      authorization: `Bearer ${token}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json',
    }, JSON.stringify({ provider: 'stripe', amount: '1.00', currency: 'USD' }));
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status !== 201) return;
    const d = JSON.parse(r.text).deposit;
    out.push(JSON.stringify({
      session: d.redirect_url.slice(d.redirect_url.lastIndexOf('/') + 1),
      reference: d.reference, amount_minor: d.charge.amount_minor,
    }));
  });
  agent.destroy();
  writeFileSync(outFile, `${out.join('\n')}\n`);
  return { ok: out.length, statuses, seconds: elapsed };
}

async function webhooks(concurrency, depositsFile, secret) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const jobs = lines(depositsFile).map((line, i) => ({ ...JSON.parse(line), i }));
  const statuses = {};
  let posted = 0;
  const elapsed = await lanes(concurrency, () => jobs.pop() ?? null, async (d) => {
    const body = JSON.stringify({
      id: `evt_bench_${d.i}_${d.session}`, object: 'event', type: 'checkout.session.completed',
      data: { object: {
        id: d.session, object: 'checkout.session', client_reference_id: d.reference,
        amount_total: d.amount_minor, currency: 'usd', payment_status: 'paid', status: 'complete',
        payment_intent: `pi_bench_${d.i}`,
      } },
    });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    const r = await request(agent, 'POST', '/api/payments/stripe/webhook', {
      'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}`,
    }, body);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 200 && JSON.parse(r.text).outcome === 'posted') ++posted;
  });
  agent.destroy();
  return { ok: posted, statuses, seconds: elapsed };
}

const n = (text) => Number.parseInt(text, 10);
let result;
if (mode === 'purchases') result = await purchases(n(args[0]), n(args[1]), args[2], args[3]);
else if (mode === 'deposits') result = await deposits(n(args[0]), args[1], n(args[2]), args[3]);
else if (mode === 'webhooks') result = await webhooks(n(args[0]), args[1], args[2]);
else {
  console.error('usage: bench_payments.mjs purchases|deposits|webhooks BASE ...');
  process.exit(2);
}
console.log(JSON.stringify(result));
