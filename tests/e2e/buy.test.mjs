// Buy and watch, in Chromium against the real server: a buyer signs up on the page, is credited
// by the operator, arrives through an affiliate's link, buys, and watches a real encoded package
// (A/B variants, AES-128) with hls.js while the moving watermark sits where the motion function
// says. The affiliate then sees the commission.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchErrors, snapshot } from './lib/browser.mjs';
import { makePackage, publish, credit } from './lib/media.mjs';
import { signedInContext, pageApi } from './lib/accounts.mjs';
import { readOverlay, expectedOverlay } from './lib/overlay.mjs';

const PRICE_MINOR = 499;
const AFFILIATE_BPS = 2000;
const BUYER = 'Bea_Buyer';
const AFFILIATE = 'Ada.Affiliate';

let server;
let browser;
let media;
let videoId;
let buyer; // the buyer's browser context, signed in by the sign-up page
let affiliate;

before(async () => {
  media = makePackage({ seconds: 12 });
  server = await startServer(['--demo']);
  browser = await launchBrowser();
  const creator = await signedInContext(browser, server, 'Studio_Sam', { creator: true });
  await creator.close();
  affiliate = await signedInContext(browser, server, AFFILIATE);
  videoId = publish(server, media.packageDir, {
    creator: 'Studio_Sam', title: 'Test Pattern Symphony', price: '4.99', currency: 'USD',
    affiliateBps: AFFILIATE_BPS, description: 'Twelve seconds of colour bars and a 440 Hz tone.',
  });

  // The admin shows prices in rupiah too.
  const admin = await browser.newContext();
  const page = await admin.newPage();
  await page.goto(`${server.url}/signin`);
  const login = await pageApi(page, 'POST', '/api/auth/login', { login: 'admin', password: 'demo-admin-password' });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const settings = await pageApi(page, 'PUT', '/api/admin/settings', {
    display_currencies: ['USD', 'IDR'], rates: [{ base: 'USD', quote: 'IDR', rate: '15800' }],
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  await admin.close();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  media?.remove();
});

// Waits until the element's whole text is `text` (pages render after their API calls).
async function showsText(locator, text) {
  await locator.filter({ hasText: text }).waitFor({ timeout: 10000 }).catch(() => {});
  assert.equal(await locator.textContent(), text);
}

// The buyer's USD balance as the server reports it: {amount_minor, currency, formatted}.
async function usd(page) {
  const reply = await pageApi(page, 'GET', '/api/wallet');
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.balances.find((b) => b.currency === 'USD') ?? { amount_minor: 0 };
}

// The settings snapshot is cached for a few seconds; wait until the video has a rupiah price.
async function rupiahPrice(page) {
  for (let i = 0; i < 100; i++) {
    const video = (await pageApi(page, 'GET', `/api/videos/${videoId}`)).body.video;
    const idr = video.display_prices?.find((p) => p.currency === 'IDR');
    if (idr) return idr;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail('the video never got a price in IDR');
}

test('a buyer signs up, arrives through a referral link and buys with the wallet', async () => {
  buyer = await browser.newContext();
  const page = await buyer.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/signup`);
  await page.getByLabel('Username').fill(BUYER);
  await page.getByLabel('Email').fill('bea@example.com');
  await page.getByLabel('Password').fill('bea has a long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.url}/`);
  credit(server, BUYER, '25.00', 'USD');

  // The catalog lists the video with its price.
  const card = page.locator(`.card[data-video-id="${videoId}"]`);
  await page.reload();
  await card.waitFor();
  assert.match(await card.textContent(), /Test Pattern Symphony/);
  assert.match(await card.locator('.price').textContent(), /4\.99/);
  await snapshot(page, 'catalog');

  await page.goto(`${server.url}/v/${videoId}?ref=${AFFILIATE}`);
  const notice = page.locator('#referral');
  await notice.waitFor();
  assert.equal(await notice.textContent(), `You came through ${AFFILIATE}'s link; they earn a commission.`);
  const cookie = (await buyer.cookies()).find((c) => c.name === 'rg_ref');
  assert.equal(cookie?.value, AFFILIATE);
  assert.ok(cookie.httpOnly && cookie.sameSite === 'Lax' && cookie.expires > Date.now() / 1000 + 29 * 86400);
  assert.match(await page.locator('#price').textContent(), /4\.99/);
  const credited = await usd(page);
  assert.equal(credited.amount_minor, 2500);
  assert.equal(await page.locator('#balance').textContent(), credited.formatted);

  // Prices in the viewer's display currency, from the header's selector.
  const rupiah = await rupiahPrice(page);
  await page.reload();
  await page.getByLabel('Display currency').selectOption('IDR');
  await showsText(page.locator('#price-converted'), `≈ ${rupiah.formatted}`);
  await page.goto(`${server.url}/`);
  await showsText(card.locator('.price'), `≈ ${rupiah.formatted}`);
  await page.getByLabel('Display currency').selectOption('USD');
  assert.match(await card.locator('.price').textContent(), /4\.99/);
  await page.goto(`${server.url}/v/${videoId}`);

  // A second tab of the same page, to buy again after the first purchase.
  const second = await buyer.newPage();
  await second.goto(`${server.url}/v/${videoId}`);
  await second.locator('#buy').waitFor();

  await snapshot(page, 'video-before-buying');
  await page.locator('#buy').click();
  await page.locator('#confirm-buy').click();
  await page.locator('#owned').waitFor({ timeout: 10000 }).catch(async () => {
    assert.fail(`not bought: ${await page.locator("#buy-message").textContent()}\n${server.log().slice(-3000)}`);
  });
  const after = await usd(page);
  assert.equal(credited.amount_minor - after.amount_minor, PRICE_MINOR);
  assert.equal(await page.locator('#balance').textContent(), after.formatted);
  assert.match(await page.getByRole('alert').filter({ hasText: 'Bought' }).textContent(), /4\.99/);
  await snapshot(page, 'video-bought');

  await second.locator('#buy').click();
  await second.locator('#confirm-buy').click();
  await second.getByRole('alert').filter({ hasText: 'You already own this video.' }).waitFor();
  await second.locator('#watch').waitFor();
  assert.equal((await usd(page)).amount_minor, after.amount_minor, 'the second click charged nothing');
  await second.close();

  // Expected answers: /api/me before signing up (401), the second tab's purchase (409).
  assert.deepEqual(errors.filter((e) => !/status of (401|409)/.test(e)), []);
});

test('the buyer watches: the video plays, and the watermark is where the motion function puts it', async () => {
  const page = await buyer.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/v/${videoId}`);
  const played = page.waitForResponse((r) => r.url().endsWith(`/api/videos/${videoId}/play`));
  await page.locator('#watch').click();
  await page.waitForURL(`${server.url}/watch/${videoId}`);
  const playReply = await played;
  assert.equal(playReply.status(), 201);
  const { overlay: spec, session } = await playReply.json();
  assert.equal(spec.username, BUYER);
  assert.match(session.master_url, /^\/play\/[^/]+\/master\.m3u8$/);

  const playButton = page.locator('#play');
  await page.waitForFunction(() => document.getElementById('player').readyState >= 1
    || !document.getElementById('play').hidden);
  if (await playButton.isVisible()) await playButton.click();
  await page.waitForFunction(() => document.getElementById('player').currentTime > 3, null, { timeout: 30000 });
  await snapshot(page, 'watch-playing');
  assert.equal(await page.locator('#stage').getAttribute('data-error-count'), null,
    `hls.js reported: ${await page.locator('#stage').getAttribute('data-last-error')}`);
  assert.equal(await page.locator('#player-message').isVisible(), false);

  await page.evaluate(() => document.getElementById('player').pause());
  const checkOverlay = async (where) => {
    const state = await readOverlay(page);
    const expected = expectedOverlay(spec, state);
    assert.ok(state.visible, `${where}: the mark is not shown`);
    assert.match(state.text, new RegExp(`^${BUYER} \\d{2}:\\d{2}:\\d{2}$`), where);
    assert.equal(state.fontPx, expected.fontPx, `${where}: font size`);
    assert.deepEqual({ slot: state.slot, x: state.x, y: state.y },
      { slot: expected.slot, x: expected.x, y: expected.y }, `${where}: ${JSON.stringify(state)}`);
    // And it is drawn there: data-x/y are pixels from the picture's corner.
    assert.ok(Math.abs(state.left - (expected.frame.left + state.x)) <= 1, `${where}: drawn at x ${state.left}`);
    assert.ok(Math.abs(state.top - (expected.frame.top + state.y)) <= 1, `${where}: drawn at y ${state.top}`);
    return state;
  };
  const wide = await checkOverlay('1280x720 window');

  await page.evaluate(() => new Promise((resolve) => {
    const player = document.getElementById('player');
    player.addEventListener('seeked', resolve, { once: true });
    player.currentTime = 11;
  }));
  const later = await checkOverlay('after seeking to 11 s');
  assert.notEqual(later.slot, wide.slot, 'the mark moves to a new slot');

  await page.setViewportSize({ width: 1280, height: 480 }); // bars left and right
  const letterboxed = await checkOverlay('letterboxed');
  assert.ok(expectedOverlay(spec, letterboxed).frame.left > 50, JSON.stringify(letterboxed));
  await snapshot(page, 'watch-letterboxed');

  await page.setViewportSize({ width: 375, height: 740 });
  await checkOverlay('phone');
  await snapshot(page, 'watch-phone');

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('#fullscreen').click();
  await page.waitForFunction(() => document.fullscreenElement?.id === 'stage');
  const full = await checkOverlay('full screen');
  assert.equal(full.fullscreen, 'stage', 'the stage with the mark is full screen, not the bare video');
  await snapshot(page, 'watch-fullscreen');
  await page.evaluate(() => document.exitFullscreen());
  await page.waitForFunction(() => !document.fullscreenElement);

  // The bare video (the native controls' button) never stays full screen without its mark:
  // the page hands full screen to the stage, or leaves it when the browser refuses that.
  await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('fullscreenchange', resolve, { once: true });
    document.getElementById('player').requestFullscreen();
  }));
  await page.waitForFunction(() => document.fullscreenElement?.id !== 'player', null, { timeout: 5000 });
  await page.waitForTimeout(300);
  assert.notEqual(await page.evaluate(() => document.fullscreenElement?.id), 'player');
  await page.evaluate(() => document.fullscreenElement && document.exitFullscreen());

  // The player's own placement code, served to the browser, agrees with the shared test vectors.
  const vectors = JSON.parse(readFileSync(new URL('../data/watermark_vectors.json', import.meta.url), 'utf8'));
  const c = vectors.cases.find((v) => v.interval_ms === 5000 && v.slot > 100 && v.frame_w === 1280);
  assert.ok(c, 'a 1280x720 vector with a 5 s interval');
  const placed = await page.evaluate(async (c) => {
    const { markPosition } = await import('/static/js/watermarkOverlay.js');
    return markPosition({ seed: c.seed, interval_ms: c.interval_ms }, c.t_ms, c.frame_w, c.frame_h,
      c.box_w, c.box_h, c.margin_px);
  }, c);
  assert.deepEqual(placed, { slot: c.slot, x: c.x, y: c.y });

  assert.deepEqual(errors, []);
  await page.close();
});

test('the affiliate sees the commission, the buyer the wallet history', async () => {
  const page = await affiliate.newPage();
  await page.goto(`${server.url}/affiliate`);
  const row = page.locator('#commissions tbody tr').filter({ hasText: 'Test Pattern Symphony' });
  await row.waitFor();
  const mine = (await pageApi(page, 'GET', '/api/me/affiliate')).body;
  const commission = mine.commissions.find((c) => c.video.id === videoId);
  assert.equal(commission.amount.amount_minor, Math.floor((PRICE_MINOR * AFFILIATE_BPS) / 10000));
  assert.match(await row.textContent(), new RegExp(commission.amount.formatted.replace(/[$.]/g, '\\$&')));
  const link = page.locator(`#links li[data-video-id="${videoId}"] input`);
  assert.equal(await link.inputValue(), `${server.url}/v/${videoId}?ref=${AFFILIATE}`);
  await snapshot(page, 'affiliate');
  await page.close();

  const walletPage = await buyer.newPage();
  await walletPage.goto(`${server.url}/wallet`);
  await walletPage.locator('#history tbody tr[data-kind=purchase]').waitFor();
  const purchase = await walletPage.locator('#history tbody tr[data-kind=purchase]').textContent();
  assert.match(purchase, /Test Pattern Symphony/);
  assert.match(purchase, /4\.99/);
  assert.equal(await walletPage.locator('#history tbody tr[data-kind=credit]').count(), 1);
  assert.match(await walletPage.locator('#balances').textContent(), /20\.01/);
  await snapshot(walletPage, 'wallet');
  await walletPage.close();
});

test('the buyer pages fit a phone screen', async () => {
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  await phone.addCookies(await buyer.cookies());
  const page = await phone.newPage();
  const checks = [
    ['/', '.card'], [`/v/${videoId}`, '#watch'], ['/wallet', '#history tbody tr'],
    ['/affiliate', '#links li'], [`/watch/${videoId}`, '#watermark-frame:not([hidden])'],
  ];
  for (const [path, ready] of checks) {
    await page.goto(`${server.url}${path}`);
    await page.locator(ready).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px on a phone`);
    await snapshot(page, `phone-${path.split('/')[1] || 'catalog'}`);
  }
  await phone.close();
});
