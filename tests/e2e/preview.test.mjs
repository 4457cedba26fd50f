// The video page before paying, in Chromium against the real server at 1366x768 and 390x844:
// the free preview plays for a visitor who is not signed in (the full video does not), the
// best quality is said, and Buy asks for a confirmation first (Cancel charges nothing, Pay
// buys). Screenshots go to REELGATE_SCREENSHOT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { snapshot, SIZES } from './lib/browser.mjs';
import { publish, credit } from './lib/media.mjs';
import { startStage } from './lib/stage.mjs';
import { signedInContext, pageApi, sizedPage } from './lib/accounts.mjs';

const CREATOR = 'Pre_Creator';
const PREVIEW_S = 10;

let stage; // server, browser and clip (lib/stage.mjs)
let server;
let browser;
let clip;
let videoId;

before(async () => {
  stage = await startStage({ seconds: 30 });
  ({ server, browser, clip } = stage);
  const context = await signedInContext(browser, server, CREATOR, { creator: true });
  videoId = publish(server, clip.packageDir, {
    creator: CREATOR, title: 'Tide pools', price: '4.99', currency: 'USD', description: 'Thirty seconds.',
  });
  // The creator turns the preview on (the studio does the same through this route).
  const page = await context.newPage();
  await page.goto(`${server.url}/account`);
  const set = await pageApi(page, 'PUT', `/api/videos/${videoId}/preview`, { seconds: PREVIEW_S });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  await context.close();
});

after(() => stage?.stop());

function newPage(size, username) {
  return sizedPage(browser, server, size, username);
}

async function walletUsd(page) {
  const wallet = await pageApi(page, 'GET', '/api/wallet');
  return wallet.body.balances.find((b) => b.currency === 'USD')?.amount_minor ?? 0;
}

for (const size of SIZES) {
  test(`${size.name}: the free preview plays without signing in; the full video does not`, async () => {
    const { context, page, errors } = await newPage(size);
    await page.goto(`${server.url}/v/${videoId}`);
    const label = page.locator('#preview-label');
    await label.waitFor();
    assert.match(await label.textContent(), new RegExp(`Free preview — first ${PREVIEW_S} s`));
    assert.match(await page.locator('#best-quality').textContent(), /Up to 480p/);
    await page.waitForFunction(() => document.getElementById('preview-player').readyState >= 1, null, { timeout: 30000 });
    await page.evaluate(() => { const v = document.getElementById('preview-player'); v.muted = true; return v.play(); });
    await page.waitForFunction(() => document.getElementById('preview-player').currentTime >= 2, null, { timeout: 30000 });
    // Nothing past the preview: its playlist ends within the N seconds.
    const length = await page.evaluate(() => document.getElementById('preview-player').duration);
    assert.ok(length <= PREVIEW_S + 0.5, `the preview lasts ${length} s`);
    await snapshot(page, `preview-playing-${size.name}`);

    // The full video: the API refuses a visitor, and the watch page sends them to sign in.
    const play = await pageApi(page, 'POST', `/api/videos/${videoId}/play`, {});
    assert.equal(play.status, 401);
    await page.goto(`${server.url}/watch/${videoId}`);
    await page.waitForURL(/\/signin\?next=/);
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
    await context.close();
  });

  test(`${size.name}: Buy asks first; Cancel charges nothing, Pay buys`, async () => {
    const buyer = `Conf_${size.name}`;
    const { context, page, errors } = await newPage(size, buyer);
    credit(server, buyer, '20.00', 'USD');
    await page.goto(`${server.url}/v/${videoId}`);
    await page.locator('#refund-policy').waitFor();
    await page.locator('#buy').click();
    const confirm = page.locator('#buy-confirm');
    await confirm.waitFor();
    assert.equal(await page.locator('#confirm-buy').textContent(), 'Pay 4.99 USD');
    assert.equal(await confirm.locator('[data-figure="wallet-after"]').textContent(), '15.01 USD');
    assert.match(await confirm.textContent(), /Up to 480p quality/);
    assert.match(await confirm.textContent(), /Refunds: /);
    const box = await page.locator('#confirm-buy').boundingBox();
    assert.ok(box.y + box.height <= size.viewport.height, `Pay ends at ${box.y + box.height}px`);
    await snapshot(page, `buy-confirm-${size.name}`);

    await page.locator('#cancel-buy').click();
    await page.locator('#buy').waitFor();
    assert.equal(await confirm.count(), 0);
    assert.equal(await walletUsd(page), 2000, 'Cancel charged nothing');

    await page.locator('#buy').click();
    await page.locator('#confirm-buy').click();
    await page.locator('#owned').waitFor();
    assert.equal(await walletUsd(page), 2000 - 499);
    await page.getByRole('alert').filter({ hasText: 'Bought for 4.99 USD' }).waitFor();
    await snapshot(page, `buy-confirmed-${size.name}`);
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
    await context.close();
  });
}
