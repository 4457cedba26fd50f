// The buyer's store in Chromium against the real server, at 1366x768 and on a phone (390x844):
// catalog search and pages that load on scroll, creator pages, the HTML 404 page, the video
// page saying what the buyer gets before the charge, the library, and resume (play to ~20 s,
// reload, continue from there; another device too). Screenshots go to REELGATE_SCREENSHOT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { snapshot, SIZES } from './lib/browser.mjs';
import { publish, credit } from './lib/media.mjs';
import { startStage } from './lib/stage.mjs';
import { signedInContext, pageApi, sizedPage } from './lib/accounts.mjs';

const CREATOR = 'Cora_Creator';
const FILLERS = 25; // more than one page of 24

let stage; // server, browser and clip (lib/stage.mjs)
let server;
let browser;
let clip;
let filmId;
let needleId;

before(async () => {
  stage = await startStage({ seconds: 40 });
  ({ server, browser, clip } = stage);
  const creator = await signedInContext(browser, server, CREATOR, { creator: true });
  const page = await creator.newPage();
  await page.goto(`${server.url}/account`);
  const saved = await pageApi(page, 'PUT', '/api/me/profile', {
    display_name: 'Cora Vega', bio: 'Short films about light.\n\nShot on the coast.',
    links: [{ label: 'Portfolio', url: 'https://example.com/cora' }],
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  await creator.close();
  for (let i = 1; i <= FILLERS; i++) {
    publish(server, clip.packageDir, { creator: CREATOR, title: `Filler reel ${String(i).padStart(2, '0')}`, price: '1.00', currency: 'USD' });
  }
  needleId = publish(server, clip.packageDir, {
    creator: CREATOR, title: 'Haystack', price: '2.00', currency: 'USD', description: 'Somewhere in here is a needle.',
  });
  filmId = publish(server, clip.packageDir, {
    creator: CREATOR, title: 'Light on the Water', price: '4.99', currency: 'USD',
    description: 'Forty seconds of colour bars, a tone and the sea in spirit.',
  });
});

after(() => stage?.stop());

function newPage(size, username) {
  return sizedPage(browser, server, size, username);
}

// What the browser reports besides the expected 401 of /api/me for a visitor.
function real(errors) {
  return errors.filter((e) => !/status of 401/.test(e));
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
}

for (const size of SIZES) {
  test(`${size.name}: the catalog searches, sorts and loads more as the buyer scrolls`, async () => {
    const { context, page, errors } = await newPage(size);
    await page.goto(`${server.url}/`);
    const cards = page.locator('#catalog .card');
    await page.locator('#catalog[data-count="24"]').waitFor();
    await noSidewaysScroll(page, 'the catalog');
    if (size.name === 'phone') {
      // The header is one row: the links wait behind the menu button.
      const header = await page.locator('header.site').boundingBox();
      assert.ok(header.height < 80, `the phone header is ${header.height}px tall`);
      assert.equal(await page.locator('header.site nav').isVisible(), false);
      await snapshot(page, `store-catalog-${size.name}`);
      await page.getByRole('button', { name: /Menu/ }).click();
      await page.locator('header.site nav').getByRole('link', { name: 'Sign in' }).waitFor();
      await snapshot(page, `store-menu-open-${size.name}`);
      await page.getByRole('button', { name: /Menu/ }).click();
    } else {
      await snapshot(page, `store-catalog-${size.name}`);
    }
    // Scrolling to the end brings the next page without a click.
    await page.locator('#catalog-more').scrollIntoViewIfNeeded();
    await page.locator(`#catalog[data-count="${FILLERS + 2}"]`).waitFor();
    assert.equal(await page.locator('#catalog-more').isHidden(), true);

    await page.getByLabel('Search').fill('needle');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#catalog[data-count="1"]').waitFor();
    assert.equal(await cards.first().getAttribute('data-video-id'), needleId);
    assert.match(page.url(), /\?q=needle$/);
    await snapshot(page, `store-search-${size.name}`);

    await page.getByLabel('Search').fill('');
    await page.getByLabel('Sort by').selectOption('price_high');
    await page.locator('#catalog[data-count="24"]').waitFor();
    assert.equal(await cards.first().getAttribute('data-video-id'), filmId);
    await page.getByLabel('Search').fill('no such words here');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#catalog-empty').filter({ hasText: 'Nothing matches' }).waitFor();
    assert.deepEqual(real(errors), []);
    await context.close();
  });

  test(`${size.name}: a creator page shows the name, avatar, bio, links and videos`, async () => {
    const { context, page, errors } = await newPage(size);
    await page.goto(`${server.url}/v/${filmId}`);
    await page.locator('#creator-link').click();
    await page.waitForURL(`${server.url}/c/${CREATOR}`);
    await page.locator('#creator-name').filter({ hasText: 'Cora Vega' }).waitFor();
    assert.equal(await page.locator('#avatar').textContent(), 'CV');
    assert.match(await page.locator('#bio').textContent(), /Short films about light/);
    const link = page.locator('#links a');
    assert.equal(await link.getAttribute('href'), 'https://example.com/cora');
    assert.match(await link.getAttribute('rel'), /noopener/);
    await page.locator('#catalog[data-count="24"]').waitFor();
    await noSidewaysScroll(page, 'the creator page');
    await snapshot(page, `store-creator-${size.name}`);
    assert.deepEqual(real(errors), []);
    await context.close();
  });

  test(`${size.name}: unknown pages and missing videos answer an HTML 404 page`, async () => {
    const { context, page } = await newPage(size);
    for (const path of ['/v/nosuchvideo123', '/this/is/not/here', '/c/nobody_at_all']) {
      const response = await page.goto(`${server.url}${path}`);
      assert.equal(response.status(), 404, path);
      assert.match(response.headers()['content-type'], /text\/html/);
      await page.getByRole('heading', { name: 'We could not find that page' }).waitFor();
      await page.getByRole('link', { name: 'Go to the catalog' }).waitFor();
    }
    await snapshot(page, `store-404-${size.name}`);
    const api = await page.goto(`${server.url}/api/nothing/here`);
    assert.equal(api.status(), 404);
    assert.equal((await api.json()).error.code, 'not_found');
    await context.close();
  });
}

test('a creator edits the creator page on the account page; a script link is refused', async () => {
  const context = await browser.newContext({ viewport: SIZES[1].viewport, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/signin`);
  const login = await pageApi(page, 'POST', '/api/auth/login', { login: CREATOR, password: `${CREATOR} long password` });
  assert.equal(login.status, 200);
  await page.goto(`${server.url}/account`);
  const form = page.locator('#profile-form');
  await form.getByLabel('Display name').waitFor();
  await page.waitForFunction(() => document.querySelector('#profile-form [name=display_name]').value === 'Cora Vega');
  await form.getByLabel('Link address').nth(1).fill('javascript:alert(document.cookie)');
  await form.getByRole('button', { name: 'Save creator page' }).click();
  await form.getByRole('alert').filter({ hasText: 'must start with https:// or http://' }).waitFor();
  await snapshot(page, 'store-account-profile-refused-phone');
  await form.getByLabel('Link address').nth(1).fill('https://example.com/reel');
  await form.getByLabel('Link label').nth(1).fill('Showreel');
  await form.getByLabel('About you').fill('Short films about light and water.');
  await form.getByRole('button', { name: 'Save creator page' }).click();
  await form.getByRole('alert').filter({ hasText: 'Saved' }).waitFor();
  await page.goto(`${server.url}/c/${CREATOR}`);
  await page.locator('#links a').filter({ hasText: 'Showreel' }).waitFor();
  assert.match(await page.locator('#bio').textContent(), /light and water/);
  // The footer leads to the terms, in the admin's words or the default ones.
  await page.locator('footer.site').getByRole('link', { name: 'Terms' }).click();
  await page.waitForURL(`${server.url}/terms`);
  await page.locator('#text-body p').first().waitFor();
  await snapshot(page, 'store-terms-phone');
  await context.close();
});

test('buying: the price and what you get before the charge, then the library and resume', async () => {
  const buyer = 'Pia_Phone';
  const { context, page, errors } = await newPage(SIZES[1], buyer);
  credit(server, buyer, '20.00', 'USD');
  await page.goto(`${server.url}/v/${filmId}`);
  const buy = page.locator('#buy');
  await buy.waitFor();
  // On the phone the Buy button shows without scrolling.
  const box = await buy.boundingBox();
  assert.ok(box.y + box.height <= 844, `the Buy button ends at ${box.y + box.height}px`);
  assert.equal(await buy.textContent(), 'Buy for 4.99 USD');
  assert.match(await page.locator('#buy-summary').textContent(), /wallet, which keeps 15\.01 USD after/);
  const youGet = await page.locator('#you-get').textContent();
  assert.match(youGet, /0:40 long/);
  assert.match(youGet, /up to 2 screens/);
  assert.match(youGet, /watermark/);
  await page.locator('#refund-policy').waitFor();
  await snapshot(page, 'store-video-before-buying-phone');
  await buy.click();
  await page.locator('#confirm-buy').click();
  await page.locator('#owned').waitFor();
  const done = page.getByRole('alert').filter({ hasText: 'Bought' });
  assert.match(await done.textContent(), /4\.99 USD/);
  await snapshot(page, 'store-video-bought-phone');
  await done.getByRole('link', { name: 'Library' }).click();
  await page.waitForURL(`${server.url}/library`);
  await page.locator(`#library .card[data-video-id="${filmId}"]`).waitFor();
  await snapshot(page, 'store-library-new-phone');

  // Watch to ~20 s: the page reports the position when playback pauses.
  await page.goto(`${server.url}/watch/${filmId}`);
  const player = page.locator('#player');
  await page.waitForFunction(() => document.getElementById('player').readyState >= 1, null, { timeout: 30000 });
  await page.evaluate(() => { const v = document.getElementById('player'); v.muted = true; v.currentTime = 18; return v.play(); });
  await page.waitForFunction(() => document.getElementById('player').currentTime >= 20, null, { timeout: 30000 });
  await player.evaluate((v) => v.pause());
  await page.waitForFunction(() => Number(document.getElementById('player').dataset.savedMs) >= 20000, null, { timeout: 10000 });
  // The quality menu offers both renditions; the player's estimate, not the list order, chose.
  const quality = page.locator('#quality');
  assert.deepEqual(await quality.locator('option').allTextContents().then((t) => t.slice(1)), ['240p', '480p']);
  await snapshot(page, 'store-watch-phone');

  await page.reload();
  await page.waitForFunction(() => document.getElementById('player').currentTime >= 19.5, null, { timeout: 30000 });
  await page.locator('#resume-note').filter({ hasText: 'Continuing from 0:2' }).waitFor();
  await snapshot(page, 'store-watch-resumed-phone');

  // Another device: the same account on a desktop continues from there too.
  const desk = await newPage(SIZES[0], null);
  await desk.page.goto(`${server.url}/signin`);
  assert.equal((await pageApi(desk.page, 'POST', '/api/auth/login', { login: buyer, password: `${buyer} long password` })).status, 200);
  await desk.page.goto(`${server.url}/library`);
  const resume = desk.page.locator(`#continue .card[data-video-id="${filmId}"] .resume-at`);
  await resume.filter({ hasText: 'Continue from 0:2' }).waitFor();
  await snapshot(desk.page, 'store-library-desktop');
  await desk.page.locator(`#continue .card[data-video-id="${filmId}"] a`).click();
  await desk.page.waitForURL(`${server.url}/watch/${filmId}`);
  await desk.page.waitForFunction(() => document.getElementById('player').currentTime >= 19.5, null, { timeout: 30000 });
  // While it plays on, the page reports by itself (every 15 s): a position past the resume
  // point and before the end, with no pause, seek or page change to send it.
  await desk.page.evaluate(() => { const v = document.getElementById('player'); v.muted = true; return v.play(); });
  await desk.page.waitForFunction(() => {
    const saved = Number(document.getElementById('player').dataset.savedMs);
    return saved > 21000 && saved < 39500;
  }, null, { timeout: 40000 });
  assert.deepEqual(real(errors), []);
  await desk.context.close();
  await context.close();
});
