// The player overlay's pure parts (resources/web/static/js/watermarkOverlay.js): the mark's text,
// the picture rectangle inside a letterboxed video element, sizes, and placement by the shared
// motion function (checked against tests/data/watermark_vectors.json).
// Run: node --test tests/web/watermark_overlay.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  markMetrics, markPosition, renderMarkText, videoContentRect, withDefaults,
} from '../../resources/web/static/js/watermarkOverlay.js';

const vectors = JSON.parse(
  readFileSync(new URL('../data/watermark_vectors.json', import.meta.url), 'utf8'));

test('the text names the viewer and the UTC wall clock', () => {
  const now = new Date(Date.UTC(2025, 0, 31, 4, 5, 6, 789));
  assert.equal(renderMarkText('{username} {time}', 'mia', now), 'mia 04:05:06');
  assert.equal(renderMarkText('{date} {time} · {username}/{username}', 'a.b', now),
               '2025-01-31 04:05:06 · a.b/a.b');
  assert.equal(renderMarkText('no fields', 'mia', now), 'no fields');
});

test('the picture rectangle leaves the bars out', () => {
  // 16:9 stream in a 16:9 element: all of it.
  assert.deepEqual(videoContentRect(1280, 720, 640, 360), { left: 0, top: 0, width: 1280, height: 720 });
  // Wider element: bars left and right.
  assert.deepEqual(videoContentRect(1000, 360, 640, 360), { left: 180, top: 0, width: 640, height: 360 });
  // Taller element (a phone): bars top and bottom.
  assert.deepEqual(videoContentRect(375, 400, 640, 360), { left: 0, top: 94, width: 375, height: 211 });
  // 4:3 stream in a 16:9 element.
  assert.deepEqual(videoContentRect(1280, 720, 640, 480), { left: 160, top: 0, width: 960, height: 720 });
  // Nothing known yet.
  assert.deepEqual(videoContentRect(1280, 720, 0, 0), { left: 0, top: 0, width: 0, height: 0 });
});

test('font, margin and padding follow the picture height', () => {
  const spec = withDefaults({ font_size_pct: 3.5, margin_pct: 3 });
  assert.deepEqual(markMetrics(spec, 720), { fontPx: 25, marginPx: 22, paddingPx: 6 });
  assert.deepEqual(markMetrics(spec, 211), { fontPx: 7, marginPx: 6, paddingPx: 2 });
  assert.equal(markMetrics(spec, 10).fontPx, 1); // never zero
});

test('placement agrees with every test vector', () => {
  for (const c of vectors.cases) {
    assert.deepEqual(
      markPosition({ seed: c.seed, interval_ms: c.interval_ms }, c.t_ms, c.frame_w, c.frame_h,
                   c.box_w, c.box_h, c.margin_px),
      { slot: c.slot, x: c.x, y: c.y }, JSON.stringify(c));
  }
});

test('a fractional playback time counts as its whole millisecond', () => {
  const spec = { seed: 7, interval_ms: 5000 };
  assert.equal(markPosition(spec, 4999.9, 1280, 720, 200, 40, 20).slot, 0);
  assert.equal(markPosition(spec, 5000, 1280, 720, 200, 40, 20).slot, 1);
});
