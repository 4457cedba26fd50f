// A third-party tus client (tus-js-client, in Node) uploads a package to the real server, which
// publishes it. Resume is part of the protocol: a second client continues a stopped upload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tus from 'tus-js-client';
import { startServer } from './lib/server.mjs';
import { samplePackage, tar } from './lib/package.mjs';

let server;
let token;

async function call(method, path, body) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

async function newVideo(title) {
  const reply = await call('POST', '/api/videos', {
    title,
    price: { amount_minor: 299, currency: 'EUR' },
    affiliate_bps: 1500,
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body.video.id;
}

function upload(file, videoId, options = {}) {
  return new Promise((resolve, reject) => {
    const up = new tus.Upload(file, {
      endpoint: `${server.url}/api/uploads`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { video_id: videoId, filename: 'film.tar' },
      chunkSize: 64 * 1024,
      retryDelays: [],
      onError: reject,
      onSuccess: () => resolve(up),
      ...options,
    });
    if (options.onReady) options.onReady(up);
    up.start();
  });
}

async function waitForState(id, state) {
  for (let i = 0; i < 100; i++) {
    const reply = await call('GET', `/api/videos/${id}`);
    if (reply.body.video.state === state) return reply.body.video;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`video ${id} never reached ${state}`);
}

before(async () => {
  server = await startServer();
  const register = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'tusfan', email: 'tus@example.com', password: 'tus fan password' }),
  });
  assert.equal(register.status, 201);
  const login = await fetch(`${server.url}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'tusfan', password: 'tus fan password', label: 'tus test' }),
  });
  token = (await login.json()).token;
  assert.equal((await call('POST', '/api/me/creator', {})).status, 200);
});

after(async () => {
  await server?.stop();
});

test('tus-js-client uploads a package and the video is published', async () => {
  const id = await newVideo('Uploaded with tus-js-client');
  const archive = tar(samplePackage());
  const done = await upload(archive, id);
  assert.match(done.url, /\/api\/uploads\/[\w-]+$/);
  const video = await waitForState(id, 'published');
  assert.equal(video.price_display, '2.99 EUR');
  const catalog = await (await fetch(`${server.url}/api/catalog`)).json();
  assert.ok(catalog.videos.some((v) => v.id === id));
});

test('a stopped upload is resumed by a new client from the server offset', async () => {
  const id = await newVideo('Resumed');
  const archive = tar(samplePackage({ segments: 6 }));
  let first;
  await new Promise((resolve, reject) => {
    first = new tus.Upload(archive, {
      endpoint: `${server.url}/api/uploads`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { video_id: id },
      chunkSize: 16 * 1024,
      retryDelays: [],
      onError: reject,
      onChunkComplete: (chunk, sent) => {
        if (sent >= 48 * 1024) {
          first.abort().then(resolve);
        }
      },
      onSuccess: () => reject(new Error('should have been stopped')),
    });
    first.start();
  });
  const head = await fetch(first.url, { method: 'HEAD', headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' } });
  const offset = Number(head.headers.get('upload-offset'));
  assert.ok(offset >= 48 * 1024 && offset < archive.length, `offset ${offset}`);

  let firstChunkOffset = -1;
  await upload(archive, id, {
    uploadUrl: first.url,
    onChunkComplete: (chunk, sent) => {
      if (firstChunkOffset < 0) firstChunkOffset = sent - chunk;
    },
  });
  assert.equal(firstChunkOffset, offset, 'the second client continued where the server was');
  await waitForState(id, 'published');
});
