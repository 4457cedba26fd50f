// Money in, against the real server and the Stripe STAND-IN (tests/standins): Stripe's own
// library (the official `stripe` package) judges our webhook signature check, and in Chromium
// a buyer tops up on the stand-in's page and buys with the wallet (desktop size), another pays
// at checkout and comes back to the video unlocked (phone size), a third gets bank-transfer
// instructions that an admin then approves, a fourth tops up by bank transfer and buys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchErrors, snapshot } from './lib/browser.mjs';
import { payAtCheckout, publishSample, usd } from './lib/payments.mjs';
import { signedInContext, pageApi } from './lib/accounts.mjs';
import { startStripeStandin, signPayload } from '../standins/stripe-standin.mjs';

const SECRET_KEY = 'sk_test_e2e_standin';
const WEBHOOK_SECRET = 'whsec_e2e_current';
const OLD_WEBHOOK_SECRET = 'whsec_e2e_previous';
const BANK_TEXT = 'Reelgate Ltd, IBAN XX00 1111 2222 3333';
const stripe = new Stripe(SECRET_KEY);

let standin;
let server;
let browser;
let videoId;

before(async () => {
  standin = await startStripeStandin({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET });
  server = await startServer(['--demo', '--stripe-secret-key', SECRET_KEY,
    '--stripe-webhook-secret', `${OLD_WEBHOOK_SECRET},${WEBHOOK_SECRET}`,
    '--stripe-api-url', standin.url, '--bank-transfer', BANK_TEXT]);
  standin.setWebhookUrl(`${server.url}/api/payments/stripe/webhook`);
  browser = await launchBrowser();
  const creator = await signedInContext(browser, server, 'Payee_Pat', { creator: true });
  await creator.close();
  videoId = publishSample(server, {
    creator: 'Payee_Pat', title: 'Paid Feature', price: '4.99', currency: 'USD', affiliateBps: 0,
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await standin?.close();
});

function postWebhook(payload, signature) {
  return fetch(`${server.url}/api/payments/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
}

test("Stripe's library signs webhooks the server accepts; tampered, stale and wrong-secret ones credit nothing", async () => {
  const context = await signedInContext(browser, server, 'Lib_Judge');
  const page = await context.newPage();
  await page.goto(`${server.url}/wallet`);
  const created = await pageApi(page, 'POST', '/api/wallet/deposits',
    { provider: 'stripe', amount: '6.00', currency: 'USD' }, { 'Idempotency-Key': 'judge-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const sessionId = created.body.deposit.redirect_url.split('/').pop();
  const session = standin.sessions.get(sessionId);
  assert.ok(session, 'the stand-in holds the session the server created');
  assert.equal(session.amount_total, 600);
  const payload = JSON.stringify({
    id: 'evt_judge_1', object: 'event', type: 'checkout.session.completed',
    data: { object: { ...session, payment_status: 'paid', status: 'complete', payment_intent: 'pi_judge' } },
  });
  const now = Math.floor(Date.now() / 1000);

  const refused = [
    ['stale', payload, stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: now - 301 })],
    ['future', payload, stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: now + 400 })],
    ['wrong secret', payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' })],
    ['tampered', payload.replace('"amount_total":600', '"amount_total":60000'),
      stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })],
    ['no v1', payload, `t=${now}`],
  ];
  for (const [what, body, signature] of refused) {
    const response = await postWebhook(body, signature);
    assert.equal(response.status, 400, `${what} webhook must be refused`);
  }
  assert.equal(await usd(page), 0);

  // Signed by the library with the previous secret (a rotation in progress): accepted, once.
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: OLD_WEBHOOK_SECRET });
  const accepted = await postWebhook(payload, header);
  assert.equal(accepted.status, 200);
  assert.equal((await accepted.json()).outcome, 'posted');
  assert.equal((await postWebhook(payload, header)).status, 200); // a redelivery
  assert.equal(await usd(page), 600);

  // The stand-in's own signatures pass the library's check (so the stand-in is faithful).
  const event = stripe.webhooks.constructEvent(payload, signPayload(payload, WEBHOOK_SECRET), WEBHOOK_SECRET);
  assert.equal(event.id, 'evt_judge_1');
  await context.close();
});

test('a buyer tops up on the Stripe page and buys with the wallet (desktop)', async () => {
  const context = await signedInContext(browser, server, 'Topup_Tia');
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wallet`);
  await page.locator('#topup').waitFor();
  await page.fill('#topup-amount', '10.00');
  await page.selectOption('#topup-currency', 'USD');
  await page.check('input[name=provider][value=stripe]');
  await snapshot(page, 'payments-wallet-topup-desktop');
  await page.click('#topup-submit');
  await page.waitForURL(`${standin.url}/pay/**`);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(/\/wallet\?deposit=/);
  await page.locator('.payment-status[data-status=posted]').waitFor({ timeout: 15000 });
  await page.locator('#balances li[data-currency=USD]').filter({ hasText: '10.00' }).waitFor();
  await page.locator('#deposits tbody tr[data-status=posted]').waitFor();
  assert.equal(await page.locator('#deposits tbody tr').count(), 1);
  await snapshot(page, 'payments-wallet-returned-desktop');

  await page.goto(`${server.url}/v/${videoId}`);
  await page.click('#buy');
  await page.click('#confirm-buy');
  await page.locator('#owned').waitFor();
  assert.equal(await usd(page), 1000 - 499);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a buyer pays at checkout and comes back to the video unlocked (phone)', async () => {
  const context = await signedInContext(browser, server, 'Checkout_Cy');
  const page = await payAtCheckout(context, {
    server, videoId, provider: 'stripe', standinPages: `${standin.url}/pay/**`, heading: /Pay 4\.99 USD/,
    shots: 'payments-stripe',
  });
  assert.equal(await page.locator('#pay-with').isHidden(), true);
  assert.equal(await page.locator('#watch').getAttribute('href'), `/watch/${videoId}`);
  assert.equal(await page.locator('.payment-status').getAttribute('data-status'), 'posted');
  assert.equal(await usd(page), 0); // paid by card: the wallet was never touched
  await context.close();
});

test('bank transfer: instructions with a reference, then an admin approves', async () => {
  const context = await signedInContext(browser, server, 'Bank_Bo');
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${server.url}/v/${videoId}`);
  await page.locator('#pay-with button[data-provider=bank]').click();
  const reference = await page.locator('#pay-details .reference').textContent();
  assert.match(reference, /^RG-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  assert.match(await page.locator('#pay-details pre').textContent(), /IBAN XX00 1111 2222 3333/);
  await snapshot(page, 'payments-bank-instructions-phone');

  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await adminPage.goto(`${server.url}/signin`);
  const login = await pageApi(adminPage, 'POST', '/api/auth/login', { login: 'admin', password: 'demo-admin-password' });
  assert.equal(login.status, 200);
  const pending = await pageApi(adminPage, 'GET', '/api/admin/deposits?filter=pending');
  const deposit = pending.body.deposits.find((d) => d.reference === reference);
  assert.ok(deposit, 'the admin sees the pending transfer');
  const approved = await pageApi(adminPage, 'POST', `/api/admin/deposits/${deposit.id}/approve`, { note: 'statement line 7' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  await admin.close();

  // The open page hears of the approval (its event stream) and unlocks without a reload.
  await page.locator('#owned').waitFor();
  await context.close();
});

test('bank transfer: a wallet top-up an admin approves, then a purchase with the wallet', async () => {
  const context = await signedInContext(browser, server, 'Bank_Wallet');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wallet`);
  await page.locator('#topup').waitFor();
  await page.check('input[name=provider][value=bank]');
  await page.selectOption('#topup-currency', 'USD');
  await page.fill('#topup-amount', '5.00');
  await page.click('#topup-submit');
  const reference = await page.locator('#topup-details .reference').textContent();
  assert.match(reference, /^RG-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  assert.equal(await usd(page), 0);

  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await adminPage.goto(`${server.url}/signin`);
  assert.equal((await pageApi(adminPage, 'POST', '/api/auth/login', { login: 'admin', password: 'demo-admin-password' })).status, 200);
  const pending = await pageApi(adminPage, 'GET', '/api/admin/deposits?filter=pending');
  const deposit = pending.body.deposits.find((d) => d.reference === reference);
  assert.equal((await pageApi(adminPage, 'POST', `/api/admin/deposits/${deposit.id}/approve`, { note: 'line 9' })).status, 200);
  await admin.close();

  // The open wallet page hears of the approval and shows the money without a reload.
  await page.locator('#topup-details .payment-status[data-status=posted]').waitFor();
  await page.locator('#balances li[data-currency=USD]').filter({ hasText: '5.00' }).waitFor();
  await page.goto(`${server.url}/v/${videoId}`);
  await page.click('#buy');
  await page.click('#confirm-buy');
  await page.locator('#owned').waitFor();
  assert.equal(await usd(page), 500 - 499);
  assert.deepEqual(errors, []);
  await context.close();
});
