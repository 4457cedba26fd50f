// Who may fetch a playback session: only the user it belongs to. Another signed-in user gets
// 403 for the playlists, a segment and the key; a signed-out visitor 401; a user who has not
// paid cannot start a session (402) and sees the Buy button, not Watch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, snapshot } from './lib/browser.mjs';
import { makePackage, publish, credit } from './lib/media.mjs';
import { signedInContext, pageApi } from './lib/accounts.mjs';

let server;
let browser;
let media;
let videoId;
let owner; // {context, page}: bought the video
let other; // {context, page}: signed in, has not paid

before(async () => {
  media = makePackage({ seconds: 6 });
  server = await startServer();
  browser = await launchBrowser();
  const creator = await signedInContext(browser, server, 'maker', { creator: true });
  await creator.close();
  videoId = publish(server, media.packageDir, {
    creator: 'maker', title: 'Private Screening', price: '2.50', currency: 'EUR',
  });
  for (const [name, slot] of [['owner_olga', 'owner'], ['other_oscar', 'other']]) {
    const context = await signedInContext(browser, server, name);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    if (slot === 'owner') owner = { context, page };
    else other = { context, page };
  }
  credit(server, 'owner_olga', '10.00', 'EUR');
  const bought = await pageApi(owner.page, 'POST', `/api/videos/${videoId}/purchase`, {},
    { 'Idempotency-Key': 'access-test-purchase-1' });
  assert.equal(bought.status, 201, JSON.stringify(bought.body));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  media?.remove();
});

function firstUri(playlist, base) {
  const line = playlist.split('\n').find((l) => l && !l.startsWith('#'));
  return new URL(line, `http://x${base}`).pathname;
}

function keyUri(playlist, base) {
  const uri = playlist.match(/#EXT-X-KEY:.*URI="([^"]+)"/)?.[1];
  return uri ? new URL(uri, `http://x${base}`).pathname : null;
}

async function get(page, path) {
  return pageApi(page, 'GET', path);
}

test('a session\'s playlists, segments and key are for its own user only', async () => {
  const play = await pageApi(owner.page, 'POST', `/api/videos/${videoId}/play`, {});
  assert.equal(play.status, 201, JSON.stringify(play.body));
  const master = play.body.session.master_url;

  const masterReply = await get(owner.page, master);
  assert.equal(masterReply.status, 200);
  const mediaPlaylist = firstUri(masterReply.body, master);
  const mediaReply = await get(owner.page, mediaPlaylist);
  assert.equal(mediaReply.status, 200);
  const segment = firstUri(mediaReply.body, mediaPlaylist);
  const key = keyUri(mediaReply.body, mediaPlaylist);
  assert.match(segment, /^\/play\/[^/]+\/[^/]+\/0\.ts$/);
  assert.ok(key, `the playlist names an AES-128 key:\n${mediaReply.body}`);
  assert.equal((await get(owner.page, segment)).status, 200);
  const ownKey = await owner.page.evaluate(async (k) => (await fetch(k)).status, key);
  assert.equal(ownKey, 200);

  for (const path of [master, mediaPlaylist, segment, key]) {
    const reply = await get(other.page, path);
    assert.equal(reply.status, 403, `${path} for another user: ${JSON.stringify(reply.body)}`);
  }
  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(`${server.url}/`);
  for (const path of [master, mediaPlaylist, segment, key]) {
    assert.equal((await get(visitor, path)).status, 401, `${path} signed out`);
  }
  await anonymous.close();
});

test('a user who has not paid cannot play and is offered the Buy button', async () => {
  const play = await pageApi(other.page, 'POST', `/api/videos/${videoId}/play`, {});
  assert.equal(play.status, 402, JSON.stringify(play.body));
  assert.equal(play.body.error.code, 'payment_required');

  await other.page.goto(`${server.url}/v/${videoId}`);
  await other.page.locator('#buy').waitFor();
  assert.equal(await other.page.locator('#watch').count(), 0);
  assert.match(await other.page.locator('#buy').textContent(), /2\.50/);
  await snapshot(other.page, 'video-unpaid');

  // Buying without money says so and points at the wallet.
  await other.page.locator('#buy').click();
  const alert = other.page.getByRole('alert').filter({ hasText: 'does not have enough money' });
  await alert.waitFor();
  assert.equal(await alert.getByRole('link', { name: 'Open your wallet' }).getAttribute('href'), '/wallet');
  await snapshot(other.page, 'video-insufficient-funds');

  // The watch page explains instead of showing a broken player.
  await other.page.goto(`${server.url}/watch/${videoId}`);
  await other.page.locator('#player-message').filter({ hasText: 'not bought this video' }).waitFor();

  await owner.page.goto(`${server.url}/v/${videoId}`);
  await owner.page.locator('#watch').waitFor();
  assert.equal(await owner.page.locator('#buy').count(), 0);
});

test('a signed-out visitor is asked to sign in, and comes back to the video', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/v/${videoId}`);
  const link = page.getByRole('link', { name: 'Sign in to buy' });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), `/signin?next=${encodeURIComponent(`/v/${videoId}`)}`);
  await snapshot(page, 'video-signed-out');
  await link.click();
  await page.getByLabel('Username or email').fill('other_oscar');
  await page.getByLabel('Password').fill('other_oscar long password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/v/${videoId}`);
  await page.locator('#buy').waitFor();
  await context.close();
});

test('the watch page says so when its session ends (two newer screens started)', async () => {
  const page = await owner.context.newPage();
  // Hold the page's segment requests until its session has been replaced.
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await page.route(/\/play\/[^/]+\/[^/]+\/\d+\.ts$/, async (route) => {
    await gate;
    await route.continue();
  });
  const started = page.waitForResponse((r) => r.url().endsWith(`/api/videos/${videoId}/play`));
  await page.goto(`${server.url}/watch/${videoId}`);
  assert.equal((await started).status(), 201);
  for (let i = 0; i < 2; i++) {
    const other = await pageApi(owner.page, 'POST', `/api/videos/${videoId}/play`, {});
    assert.equal(other.status, 201, JSON.stringify(other.body));
  }
  release();
  await page.locator('#player-message').filter({ hasText: 'playback session ended' }).waitFor();
  await snapshot(page, 'watch-session-ended');
  await page.close();
});

test('a watch page whose video is all buffered stops at once when its session ends', async () => {
  const page = await owner.context.newPage();
  await page.goto(`${server.url}/watch/${videoId}`);
  // Everything it needs is in the buffer: no request of its own would notice the end.
  await page.waitForFunction(() => {
    const v = document.getElementById('player');
    return v.duration > 0 && v.buffered.length > 0 && v.buffered.end(v.buffered.length - 1) >= v.duration - 0.5;
  });
  for (let i = 0; i < 2; i++) {
    const other = await pageApi(owner.page, 'POST', `/api/videos/${videoId}/play`, {});
    assert.equal(other.status, 201, JSON.stringify(other.body));
  }
  // The server's event (a session of this video ended) makes the page ask, and stop.
  await page.locator('#player-message').filter({ hasText: 'playback session ended' }).waitFor();
  assert.equal(await page.locator('#stage').getAttribute('data-session'), 'ended');
  await page.close();
});
