// The wallet page for money out, in Chromium against the real server: a creator whose sales
// passed their hold sees available and pending money and the rule that deposited money cannot
// be withdrawn, saves payout details (shown masked, password required), withdraws, and sees the
// withdrawal in the history (1366x768); a buyer's wallet fits a phone (390x844).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchErrors, snapshot } from './lib/browser.mjs';
import { publishSample } from './lib/payments.mjs';
import { signedInContext, pageApi } from './lib/accounts.mjs';

let server;
let browser;
let creator;
let buyer;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await signedInContext(browser, server, 'Money_Boss');
  assert.equal(server.command(['admin', 'grant', 'Money_Boss']).code, 0);
  const adminPage = await admin.newPage();
  await adminPage.goto(`${server.url}/account`);
  const set = await pageApi(adminPage, 'PATCH', '/api/admin/settings',
    { earnings_hold_days: 0, withdrawal_min_minor: { USD: 500 }, withdrawal_fee_minor: { USD: 50 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  await admin.close();
  creator = await signedInContext(browser, server, 'Wally_Maker', { creator: true });
  buyer = await signedInContext(browser, server, 'Wally_Buyer');
  const videoId = publishSample(server, {
    creator: 'Wally_Maker', title: 'Wallet Feature', price: '12.00', currency: 'USD', affiliateBps: 0,
  });
  assert.equal(server.command(['credit', 'Wally_Buyer', '20.00', 'USD']).code, 0);
  assert.equal(server.command(['credit', 'Wally_Maker', '3.00', 'USD']).code, 0);
  const page = await buyer.newPage();
  await page.goto(`${server.url}/wallet`);
  const bought = await pageApi(page, 'POST', `/api/videos/${videoId}/purchase`, {},
    { 'Idempotency-Key': 'wallet-e2e-1' });
  assert.equal(bought.status, 201, JSON.stringify(bought.body));
  await page.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a creator withdraws earnings from the wallet page', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies(await creator.cookies());
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wallet`);
  const usd = page.locator('#balances li[data-currency=USD]');
  await usd.waitFor();
  // 12.00 - 10 % fee = 10.80 earned (available at once: no hold) + 3.00 deposited.
  assert.match(await usd.textContent(), /13\.80/);
  assert.match(await usd.textContent(), /10\.80.*withdrawable/);
  assert.match(await page.locator('#deposited-note').textContent(), /can be spent here but not withdrawn/);

  // Payout details: a wrong password changes nothing; the right one saves them, masked.
  const form = page.locator('#payout-form');
  await form.locator('[name=account_name]').fill('Wally Maker');
  await form.locator('[name=bank_name]').fill('BCA');
  await form.locator('[name=account_number]').fill('1234567890');
  await form.locator('[name=password]').fill('not my password');
  await form.locator('button[type=submit]').click();
  await form.locator('.message.error').waitFor();
  await form.locator('[name=account_number]').fill('1234567890');
  await form.locator('[name=password]').fill('Wally_Maker long password');
  await form.locator('button[type=submit]').click();
  await form.locator('.message.ok').waitFor();
  const shown = await page.locator('#payout-current').textContent();
  assert.match(shown, /\*{6}7890/);
  assert.doesNotMatch(await page.content(), /1234567890/);

  // More than the earnings is refused; then 6.00 is held at once.
  await page.locator('#withdraw-amount').fill('12.00');
  await page.locator('#withdraw-submit').click();
  await page.locator('#withdraw-form .message.error').waitFor();
  await page.locator('#withdraw-amount').fill('6.00');
  await page.locator('#withdraw-submit').click();
  await page.locator('#withdraw-form .message.ok').waitFor();
  const row = page.locator('#withdrawals tbody tr[data-status=requested]');
  await row.waitFor();
  assert.match(await row.textContent(), /6\.00/);
  assert.match(await row.textContent(), /5\.50/);
  assert.match(await usd.textContent(), /6\.00.*in withdrawals/);
  assert.equal(await page.locator('#statement-month').inputValue(), new Date().toISOString().slice(0, 7));
  await snapshot(page, 'wallet-money-out-desktop');
  // The two refusals above (403 wrong password, 402 too much) are the only failed loads.
  assert.deepEqual(errors.filter((e) => !/status of 40[23]/.test(e)), []);
  await context.close();
});

test("a buyer's wallet fits a phone", async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.addCookies(await buyer.cookies());
  const page = await phone.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wallet`);
  await page.locator('#balances li[data-currency=USD]').waitFor();
  assert.match(await page.locator('#balances').textContent(), /8\.00/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide`);
  await snapshot(page, 'wallet-money-out-phone');
  assert.deepEqual(errors, []);
  await phone.close();
});
