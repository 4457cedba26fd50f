// Money-in helpers for browser tests: publish a small sample package, read a USD balance, and
// pay for a video at checkout on a provider STAND-IN's page, coming back to the video.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { publish } from './media.mjs';
import { samplePackage } from './package.mjs';
import { pageApi } from './accounts.mjs';
import { watchErrors, snapshot } from './browser.mjs';

// Publishes samplePackage() (no transcoding); returns the video id.
export function publishSample(server, fields) {
  const root = mkdtempSync(join(tmpdir(), 'reelgate-pay-pkg-'));
  try {
    for (const [name, data] of samplePackage()) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), data);
    }
    return publish(server, root, fields);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function usd(page) {
  const reply = await pageApi(page, 'GET', '/api/wallet');
  return reply.body.balances.find((b) => b.currency === 'USD')?.amount_minor ?? 0;
}

// On a phone-sized page: the video's pay-with button for `provider`, the stand-in's page
// (whose heading must match `heading`), Pay, back on the video until it shows as owned.
export async function payAtCheckout(context, { server, videoId, provider, standinPages, heading, shots }) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const errors = watchErrors(page);
  await page.goto(`${server.url}/v/${videoId}`);
  const pay = page.locator(`#pay-with button[data-provider=${provider}]`);
  await pay.waitFor();
  await snapshot(page, `${shots}-panel-phone`);
  await pay.click();
  await page.waitForURL(standinPages);
  assert.match(await page.locator('h1').textContent(), heading);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(new RegExp(`/v/${videoId}\\?deposit=`));
  await page.locator('#owned').waitFor({ timeout: 15000 });
  await snapshot(page, `${shots}-unlocked-phone`);
  assert.deepEqual(errors, []);
  return page;
}
