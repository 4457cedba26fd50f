// PayPal and the Indonesian gateways against the real server and their STAND-INS
// (tests/standins); for each, in Chromium, a buyer tops up and buys with the wallet and
// another pays at checkout: PayPal Orders (approve on its page, the server captures; webhooks only
// through PayPal's verify API),
// Midtrans Snap (a USD top-up charged in rupiah at the admin's rate, shown before paying;
// signature_key checked, then the status API believed over the notification) and Xendit
// Invoices (pay at checkout on a phone; x-callback-token checked, then the invoice fetched);
// refunds and disputes of PayPal, Xendit and Midtrans reversed in the ledger, a disputed sale
// revoked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchErrors, snapshot } from './lib/browser.mjs';
import { payAtCheckout, publishSample, usd } from './lib/payments.mjs';
import { signedInContext, pageApi } from './lib/accounts.mjs';
import { startMidtransStandin } from '../standins/midtrans-standin.mjs';
import { startXenditStandin } from '../standins/xendit-standin.mjs';
import { startPayPalStandin } from '../standins/paypal-standin.mjs';

const MIDTRANS_KEY = 'SB-Mid-server-standin';
const XENDIT_KEY = 'xnd_development_standin';
const XENDIT_TOKEN = 'callback-token-standin';

let midtrans;
let xendit;
let paypal;
const PAYPAL = { clientId: 'standin-client', clientSecret: 'standin-secret', webhookId: 'WH-ID-STANDIN' };
let server;
let browser;
let videoId;

before(async () => {
  midtrans = await startMidtransStandin({ serverKey: MIDTRANS_KEY });
  xendit = await startXenditStandin({ secretKey: XENDIT_KEY, callbackToken: XENDIT_TOKEN });
  paypal = await startPayPalStandin(PAYPAL);
  server = await startServer(['--demo', '--midtrans-server-key', MIDTRANS_KEY, '--midtrans-api-url', midtrans.url,
    '--paypal-client-id', PAYPAL.clientId, '--paypal-client-secret', PAYPAL.clientSecret,
    '--paypal-webhook-id', PAYPAL.webhookId, '--paypal-api-url', paypal.url,
    '--xendit-secret-key', XENDIT_KEY, '--xendit-callback-token', XENDIT_TOKEN, '--xendit-api-url', xendit.url]);
  midtrans.setNotificationUrl(`${server.url}/api/payments/midtrans/webhook`);
  xendit.setCallbackUrl(`${server.url}/api/payments/xendit/webhook`);
  paypal.setWebhookUrl(`${server.url}/api/payments/paypal/webhook`);
  browser = await launchBrowser();

  const admin = await browser.newContext();
  const page = await admin.newPage();
  await page.goto(`${server.url}/signin`);
  assert.equal((await pageApi(page, 'POST', '/api/auth/login', { login: 'admin', password: 'demo-admin-password' })).status, 200);
  const settings = await pageApi(page, 'PUT', '/api/admin/settings', {
    display_currencies: ['USD', 'IDR'], rates: [{ base: 'USD', quote: 'IDR', rate: '15800' }],
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  await admin.close();

  const creator = await signedInContext(browser, server, 'Gateway_Gia', { creator: true });
  await creator.close();
  videoId = publishSample(server, { creator: 'Gateway_Gia', title: 'Rupiah Reel', price: '2.50', currency: 'USD' });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await midtrans?.close();
  await xendit?.close();
  await paypal?.close();
});

// The settings snapshot is cached for a few seconds: wait until the rate is in force.
async function rateInForce(page) {
  for (let i = 0; i < 100; i++) {
    const q = await pageApi(page, 'GET', '/api/payments/quote?provider=midtrans&amount=1.00&currency=USD');
    if (q.status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail('the USD->IDR rate never came into force');
}

test('Midtrans: a USD top-up is charged in rupiah at the shown rate and credited once (desktop)', async () => {
  const context = await signedInContext(browser, server, 'Midi_Mo');
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wallet`);
  await rateInForce(page);
  await page.reload();
  await page.locator('#topup').waitFor();
  await page.check('input[name=provider][value=midtrans]');
  await page.selectOption('#topup-currency', 'USD');
  await page.fill('#topup-amount', '10.00');
  await page.locator('#topup-quote').filter({ hasText: '158000.00 IDR' }).waitFor();
  assert.match(await page.locator('#topup-quote').textContent(), /1 USD = 15800 IDR/);
  await snapshot(page, 'payments-midtrans-quote-desktop');
  await page.click('#topup-submit');
  await page.waitForURL(`${midtrans.url}/snap/**`);
  assert.match(await page.locator('h1').textContent(), /Rp 158000/);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(/\/wallet\?deposit=/);
  await page.locator('.payment-status[data-status=posted]').waitFor({ timeout: 15000 });
  assert.equal(await usd(page), 1000);
  const deposits = (await pageApi(page, 'GET', '/api/wallet/deposits')).body.deposits;
  assert.equal(deposits[0].charge.amount_minor, 15800000);
  assert.equal(deposits[0].exchange_rate, '15800');
  assert.deepEqual(errors, []);
  await context.close();
});

// In Chromium: a buyer tops up 3.00 USD with `provider` on the wallet page, pays on the
// stand-in's page, comes back credited, and buys the video with the wallet.
async function topUpAndBuy(name, provider, standinPages) {
  const context = await signedInContext(browser, server, name);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wallet`);
  await rateInForce(page);
  await page.reload();
  await page.locator('#topup').waitFor();
  await page.check(`input[name=provider][value=${provider}]`);
  await page.selectOption('#topup-currency', 'USD');
  await page.fill('#topup-amount', '3.00');
  await page.click('#topup-submit');
  await page.waitForURL(standinPages);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(/\/wallet\?deposit=/);
  await page.locator('.payment-status[data-status=posted]').waitFor({ timeout: 15000 });
  assert.equal(await usd(page), 300);
  await page.goto(`${server.url}/v/${videoId}`);
  await page.click('#buy');
  await page.click('#confirm-buy');
  await page.locator('#owned').waitFor();
  assert.equal(await usd(page), 300 - 250);
  assert.deepEqual(errors, []);
  await context.close();
}

test('Midtrans: a buyer tops up and buys with the wallet; another pays at checkout (phone)', async () => {
  await topUpAndBuy('Midi_Wallet', 'midtrans', `${midtrans.url}/snap/**`);
  const context = await signedInContext(browser, server, 'Midi_Checkout');
  await payAtCheckout(context, {
    server, videoId, provider: 'midtrans', standinPages: `${midtrans.url}/snap/**`, heading: /Rp 39500/,
    shots: 'payments-midtrans',
  });
  await context.close();
});

test('Xendit: a buyer tops up and buys with the wallet', async () => {
  await topUpAndBuy('Xeni_Wallet', 'xendit', `${xendit.url}/web/**`);
});

test('PayPal: a buyer tops up and buys with the wallet', async () => {
  await topUpAndBuy('Pal_Wallet', 'paypal', `${paypal.url}/checkoutnow**`);
});

test('Midtrans: a wrong signature_key is refused; a signed notification the status API contradicts credits nothing', async () => {
  const context = await signedInContext(browser, server, 'Midi_Sig');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  const created = await pageApi(page, 'POST', '/api/wallet/deposits',
    { provider: 'midtrans', amount: '5.00', currency: 'USD' }, { 'Idempotency-Key': 'midi-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const orderId = created.body.deposit.reference;
  const control = (action, body) => fetch(`${midtrans.url}/_standin/orders/${orderId}/${action}`, {
    method: 'POST', body: JSON.stringify(body),
  }).then((r) => r.json());

  assert.deepEqual((await control('notify', { wrongSignature: true, noRetry: true,
    overrides: { transaction_status: 'settlement', status_code: '200' } })).statuses, [400]);
  // Correctly signed but saying "settlement" while Midtrans still has it pending.
  assert.deepEqual((await control('notify', { overrides: { transaction_status: 'settlement', status_code: '200' } })).statuses, [200]);
  assert.equal(await usd(page), 0);
  // Really paid, the notification delivered three times: credited once.
  assert.deepEqual((await control('pay', { copies: 3 })).statuses, [200, 200, 200]);
  assert.equal(await usd(page), 500);
  await context.close();
});

test('Midtrans: a refund through its API and two from its dashboard (partial, then the rest) reverse the top-up once each', async () => {
  const context = await signedInContext(browser, server, 'Midi_Refund');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  await rateInForce(page);
  const created = await pageApi(page, 'POST', '/api/wallet/deposits',
    { provider: 'midtrans', amount: '2.00', currency: 'USD' }, { 'Idempotency-Key': 'midi-refund-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const control = (action, body) => fetch(`${midtrans.url}/_standin/orders/${created.body.deposit.reference}/${action}`, {
    method: 'POST', body: JSON.stringify(body),
  }).then((r) => r.json());
  assert.deepEqual((await control('pay', {})).statuses, [200]);
  assert.equal(await usd(page), 200);
  const admin = await signedInAdmin();
  const path = `/api/admin/deposits/${created.body.deposit.id}/refund`;
  assert.equal((await pageApi(admin.page, 'POST', path, { amount: '15800', currency: 'IDR' })).status, 200);
  await until(() => usd(page), 100, 'the balance after a 15800 IDR refund (partial_refund)');
  // A notification with a wrong signature_key is refused. A second partial refund from
  // Midtrans's dashboard (partial_refund again, cumulative 23700) is a new event; the rest
  // (refund, cumulative 31600), notified twice, is reversed once.
  assert.deepEqual((await control('notify', { wrongSignature: true, noRetry: true })).statuses, [400]);
  assert.deepEqual((await control('refund', { amount: 7900 })).statuses, [200]);
  assert.equal(await usd(page), 50);
  assert.deepEqual((await control('refund', { copies: 2 })).statuses, [200, 200]);
  assert.equal(await usd(page), 0);
  const after = await pageApi(page, 'GET', `/api/wallet/deposits/${created.body.deposit.id}`);
  assert.equal(after.body.deposit.status, 'refunded');
  assert.equal((await pageApi(admin.page, 'POST', path, {})).status, 409); // nothing left
  await admin.context.close();
  await context.close();
});

test('Xendit: a buyer pays at checkout in rupiah and comes back to the video unlocked (phone)', async () => {
  const context = await signedInContext(browser, server, 'Xeni_Xu');
  await payAtCheckout(context, {
    server, videoId, provider: 'xendit', standinPages: `${xendit.url}/web/**`, heading: /39500 IDR/,
    shots: 'payments-xendit',
  });
  await context.close();
});

test('Xendit: a wrong callback token is refused; a callback the invoice contradicts credits nothing; expiry voids', async () => {
  const context = await signedInContext(browser, server, 'Xeni_Tok');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  const created = await pageApi(page, 'POST', '/api/wallet/deposits',
    { provider: 'xendit', amount: '3.00', currency: 'USD' }, { 'Idempotency-Key': 'xeni-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const invoiceId = created.body.deposit.redirect_url.split('/').pop();
  const control = (action, body) => fetch(`${xendit.url}/_standin/invoices/${invoiceId}/${action}`, {
    method: 'POST', body: JSON.stringify(body),
  }).then((r) => r.json());
  assert.deepEqual((await control('notify', { wrongToken: true, noRetry: true, overrides: { status: 'PAID' } })).statuses, [400]);
  assert.deepEqual((await control('notify', { overrides: { status: 'PAID' } })).statuses, [200]);
  assert.equal(await usd(page), 0);
  assert.deepEqual((await control('expire', {})).statuses, [200]);
  const deposit = await pageApi(page, 'GET', `/api/wallet/deposits/${created.body.deposit.id}`);
  assert.equal(deposit.body.deposit.status, 'voided');
  await context.close();
});

test('PayPal: the buyer approves, the server captures, the video is unlocked (phone)', async () => {
  const context = await signedInContext(browser, server, 'Pal_Pia');
  const page = await payAtCheckout(context, {
    server, videoId, provider: 'paypal', standinPages: `${paypal.url}/checkoutnow**`, heading: /2\.50 USD/,
    shots: 'payments-paypal',
  });
  const deposits = (await pageApi(page, 'GET', '/api/wallet/deposits')).body.deposits;
  assert.equal(deposits[0].status, 'posted');
  await context.close();
});

test('PayPal: only webhooks the verify API vouches for count; an approved order is captured once', async () => {
  const context = await signedInContext(browser, server, 'Pal_Sig');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  const created = await pageApi(page, 'POST', '/api/wallet/deposits',
    { provider: 'paypal', amount: '4.00', currency: 'USD' }, { 'Idempotency-Key': 'pal-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const orderId = new URL(created.body.deposit.redirect_url).searchParams.get('token');
  const control = (action, body) => fetch(`${paypal.url}/_standin/orders/${orderId}/${action}`, {
    method: 'POST', body: JSON.stringify(body),
  }).then((r) => r.json());
  // Not approved yet: a genuine webhook changes nothing; a forged one is refused.
  assert.deepEqual((await control('notify', {})).statuses, [200]);
  assert.deepEqual((await control('notify', { forged: true, noRetry: true })).statuses, [400]);
  assert.equal(await usd(page), 0);
  // Approved (the buyer's return never came): the APPROVED webhook, tampered, is refused; the
  // genuine one, delivered twice, captures and credits once.
  assert.deepEqual((await control('approve', { tamper: true, noRetry: true })).statuses, [400]);
  assert.deepEqual((await control('notify', { copies: 2 })).statuses, [200, 200]);
  assert.equal(await usd(page), 400);
  assert.equal(paypal.orders.get(orderId).status, 'COMPLETED');
  await context.close();
});

// Refunds and disputes: each becomes a new reversing ledger transaction (as Stripe's do), up
// to the cumulative amount the provider reports, and a disputed checkout loses its access.
async function signedInAdmin() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/signin`);
  assert.equal((await pageApi(page, 'POST', '/api/auth/login', { login: 'admin', password: 'demo-admin-password' })).status, 200);
  return { context, page };
}

async function until(read, expected, what) {
  for (let i = 0; i < 100; i++) {
    if (await read() === expected) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what} never became ${expected} (last: ${await read()})`);
}

async function paidPayPalDeposit(page, path, body, key) {
  const created = await pageApi(page, 'POST', path, body, { 'Idempotency-Key': key });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const orderId = new URL(created.body.deposit.redirect_url).searchParams.get('token');
  const approved = await fetch(`${paypal.url}/_standin/orders/${orderId}/approve`, { method: 'POST', body: '{}' });
  assert.deepEqual((await approved.json()).statuses, [200]);
  const captureId = paypal.orders.get(orderId).purchase_units[0].payments.captures[0].id;
  return { deposit: created.body.deposit, captureId };
}

const paypalDesk = (captureId, action, body) => fetch(`${paypal.url}/_standin/captures/${captureId}/${action}`, {
  method: 'POST', body: JSON.stringify(body),
}).then((r) => r.json());

test('PayPal: refunds (ours and from its dashboard) reverse the top-up up to what PayPal says was refunded', async () => {
  const context = await signedInContext(browser, server, 'Pal_Refund');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  const { deposit, captureId } = await paidPayPalDeposit(page, '/api/wallet/deposits',
    { provider: 'paypal', amount: '4.00', currency: 'USD' }, 'pal-refund-1');
  assert.equal(await usd(page), 400);
  const admin = await signedInAdmin();
  const path = `/api/admin/deposits/${deposit.id}/refund`;
  assert.equal((await pageApi(page, 'POST', path, { amount: '1.00', currency: 'USD' })).status, 403);
  assert.equal((await pageApi(admin.page, 'POST', path, { amount: '-1.00', currency: 'USD' })).status, 400);
  assert.equal((await pageApi(admin.page, 'POST', path, { amount: '1.00', currency: 'USD' })).status, 200);
  // The ledger follows PayPal's PAYMENT.CAPTURE.REFUNDED, not our request.
  await until(() => usd(page), 300, 'the balance after a 1.00 refund');
  // A second refund of the same amount is a new refund, not a retry of the first.
  assert.equal((await pageApi(admin.page, 'POST', path, { amount: '1.00', currency: 'USD' })).status, 200);
  await until(() => usd(page), 200, 'the balance after a second 1.00 refund');
  // A forged refund webhook is refused; the rest refunded on PayPal's side, delivered twice,
  // takes the rest once.
  assert.deepEqual(await paypalDesk(captureId, 'refund', { value: '0.50', forged: true, noRetry: true }), { statuses: [400] });
  assert.equal(await usd(page), 200);
  assert.deepEqual(await paypalDesk(captureId, 'refund', { copies: 2 }), { statuses: [200, 200] });
  assert.equal(await usd(page), 0);
  const after = await pageApi(page, 'GET', `/api/wallet/deposits/${deposit.id}`);
  assert.equal(after.body.deposit.status, 'refunded');
  assert.equal((await pageApi(admin.page, 'POST', path, {})).status, 409); // nothing left to refund
  await admin.context.close();
  await context.close();
});

test('PayPal: a disputed checkout is reversed and its access revoked; a dispute the buyer loses is flagged for the admin', async () => {
  const context = await signedInContext(browser, server, 'Pal_Dispute');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  const { deposit, captureId } = await paidPayPalDeposit(page, `/api/videos/${videoId}/checkout`,
    { provider: 'paypal' }, 'pal-dispute-1');
  const purchases = async () => (await pageApi(page, 'GET', '/api/me/purchases')).body.purchases.length;
  assert.equal(await purchases(), 1);
  assert.deepEqual(await paypalDesk(captureId, 'dispute', {}), { statuses: [200] });
  assert.equal(await purchases(), 0);
  const disputed = (await pageApi(page, 'GET', `/api/wallet/deposits/${deposit.id}`)).body.deposit;
  assert.equal(disputed.status, 'disputed');
  assert.equal(disputed.flagged, true);
  assert.deepEqual(await paypalDesk(captureId, 'resolve', { outcome: 'RESOLVED_SELLER_FAVOUR' }), { statuses: [200] });
  const admin = await signedInAdmin();
  const detail = await pageApi(admin.page, 'GET', `/api/admin/deposits/${deposit.id}`);
  assert.equal(detail.status, 200, JSON.stringify(detail.body));
  const outcomes = detail.body.deposit.events.map((e) => e.outcome);
  assert.deepEqual(outcomes.slice(-2), ['reversed', 'dispute_won']);
  assert.equal(await purchases(), 0); // the admin decides; nothing is re-granted by itself
  await admin.context.close();
  await context.close();
});

test('Xendit: a refund through its Refunds API and one from its dashboard reverse the top-up once each', async () => {
  const context = await signedInContext(browser, server, 'Xeni_Refund');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  await rateInForce(page);
  const created = await pageApi(page, 'POST', '/api/wallet/deposits',
    { provider: 'xendit', amount: '3.00', currency: 'USD' }, { 'Idempotency-Key': 'xeni-refund-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const invoiceId = created.body.deposit.redirect_url.split('/').pop();
  const control = (action, body) => fetch(`${xendit.url}/_standin/invoices/${invoiceId}/${action}`, {
    method: 'POST', body: JSON.stringify(body),
  }).then((r) => r.json());
  assert.deepEqual((await control('pay', {})).statuses, [200]);
  assert.equal(await usd(page), 300);
  const admin = await signedInAdmin();
  const path = `/api/admin/deposits/${created.body.deposit.id}/refund`;
  assert.equal((await pageApi(admin.page, 'POST', path, { amount: '15800', currency: 'IDR' })).status, 200);
  await until(() => usd(page), 200, 'the balance after a 15800 IDR refund');
  // Refunded from the dashboard: a callback with a wrong token is refused; the next refund's
  // callback (cumulative: both) takes the rest, delivered twice, once.
  assert.deepEqual((await control('refund', { amount: 15800, wrongToken: true, noRetry: true })).statuses, [400]);
  assert.equal(await usd(page), 200);
  assert.deepEqual((await control('refund', { copies: 2 })).statuses, [200, 200]);
  assert.equal(await usd(page), 0);
  const after = await pageApi(page, 'GET', `/api/wallet/deposits/${created.body.deposit.id}`);
  assert.equal(after.body.deposit.status, 'refunded');
  await admin.context.close();
  await context.close();
});
