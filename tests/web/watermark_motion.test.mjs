// Checks the web player's watermark motion (resources/web/static/js/watermarkMotion.js) against the
// test vectors shared with the C++ implementation (tests/data/watermark_vectors.json).
// Run: node --test tests/web/watermark_motion.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { MOTION_SCALE, mix32, motionAt, placeMark } from '../../resources/web/static/js/watermarkMotion.js';

const vectors = JSON.parse(
  readFileSync(new URL('../data/watermark_vectors.json', import.meta.url), 'utf8'));

test('vector file is the expected format', () => {
  assert.equal(vectors.format_version, 1);
  assert.ok(vectors.cases.length >= 50, `only ${vectors.cases.length} cases`);
  for (const c of vectors.cases) {
    for (const [key, value] of Object.entries(c)) {
      assert.ok(Number.isSafeInteger(value), `${key} = ${value} is not exact in JavaScript`);
    }
  }
});

test('mix32 matches known values', () => {
  // Same values as tst_watermarkmotion.cpp (computed independently in Python).
  assert.equal(mix32(0), 0);
  assert.equal(mix32(1), 1753845952);
  assert.equal(mix32(2), 3507691905);
  assert.equal(mix32(0xffffffff), 1734902346);
  assert.equal(mix32(0x80000000), 3427483940);
  assert.equal(mix32(0x12345678), 4125564054);
  assert.equal(mix32(0x9e3779b9), 33350994);
});

test('every vector matches the C++ implementation', () => {
  for (const [index, c] of vectors.cases.entries()) {
    const where = `case ${index}: ${JSON.stringify(c)}`;
    const point = motionAt(c.seed, c.t_ms, c.interval_ms);
    assert.deepEqual(point, { slot: c.slot, ux: c.ux, uy: c.uy }, where);
    const pixel = placeMark(point, c.frame_w, c.frame_h, c.box_w, c.box_h, c.margin_px);
    assert.deepEqual(pixel, { x: c.x, y: c.y }, where);
  }
});

test('BigInt times give the same answer as Numbers', () => {
  for (const c of vectors.cases) {
    assert.deepEqual(motionAt(c.seed, BigInt(c.t_ms), BigInt(c.interval_ms)),
                     motionAt(c.seed, c.t_ms, c.interval_ms));
  }
  // Beyond Number's exact range only BigInt works; slot 2^64/1 mod 2^32 is 0.
  assert.equal(motionAt(5, 2n ** 64n, 1n).slot, 0);
  assert.equal(motionAt(5, 2n ** 63n - 1n, 1n).slot, 0xffffffff);
});

test('the last millisecond of a slot stays in that slot', () => {
  const t = Number.MAX_SAFE_INTEGER;
  const interval = 7919;
  const expected = Number((BigInt(t) / BigInt(interval)) % 2n ** 32n);
  assert.equal(motionAt(0, t, interval).slot, expected);
  assert.equal(motionAt(0, 5000 * 1000 - 1, 5000).slot, 999);
  assert.equal(motionAt(0, 5000 * 1000, 5000).slot, 1000);
});

test('positions stay inside the frame and honour the margins', () => {
  const [frameW, frameH, boxW, boxH, margin] = [1920, 1080, 360, 64, 32];
  for (let slot = 0; slot < 2000; ++slot) {
    const { x, y } = placeMark(motionAt(0xfeed, slot, 1), frameW, frameH, boxW, boxH, margin);
    assert.ok(x >= margin && x + boxW + margin <= frameW, `x = ${x} at slot ${slot}`);
    assert.ok(y >= margin && y + boxH + margin <= frameH, `y = ${y} at slot ${slot}`);
  }
  assert.deepEqual(placeMark({ slot: 0, ux: MOTION_SCALE, uy: MOTION_SCALE }, frameW, frameH,
                             boxW, boxH, margin),
                   { x: frameW - boxW - margin, y: frameH - boxH - margin });
});

test('invalid input is refused', () => {
  assert.throws(() => motionAt(1, 0, 0), RangeError);
  assert.throws(() => motionAt(1, -1, 5000), RangeError);
  assert.throws(() => motionAt(1, 0.5, 5000), RangeError);
  assert.throws(() => motionAt(1, 2 ** 53, 5000), RangeError); // not exact as a Number
  assert.throws(() => motionAt(1, '1000', 5000), RangeError);
  assert.throws(() => motionAt(-1, 0, 5000), RangeError);
  assert.throws(() => motionAt(2 ** 32, 0, 5000), RangeError);
  const point = { slot: 0, ux: 10, uy: 10 };
  assert.throws(() => placeMark(point, -1, 180, 10, 10, 0), RangeError);
  assert.throws(() => placeMark(point, 320, 180, 10, 10, 1.5), RangeError);
  assert.throws(() => placeMark({ slot: 0, ux: 10001, uy: 0 }, 320, 180, 10, 10, 0), RangeError);
});
