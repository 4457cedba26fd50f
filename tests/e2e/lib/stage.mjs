// What a store test file starts with: the real server, Chromium and a clip package of two
// renditions; stop() ends all three (whatever of them started).
import { startServer } from './server.mjs';
import { launchBrowser, TWO_RENDITIONS } from './browser.mjs';
import { makeClipPackage } from './clip.mjs';

export async function startStage({ seconds }) {
  const stage = { server: null, browser: null, clip: null };
  stage.stop = async () => {
    await stage.browser?.close();
    await stage.server?.stop();
    stage.clip?.remove();
  };
  stage.clip = makeClipPackage({ seconds, renditions: TWO_RENDITIONS });
  stage.server = await startServer();
  stage.browser = await launchBrowser();
  return stage;
}
