// Visible-watermark motion for the web player: where the moving "username + time" mark sits at a
// given playback time. Twin of shared/core/include/reelgate/core/WatermarkMotion.h -- the studio
// preview, the server burn-in and this file must agree on every pixel, so the algorithm is pure
// 32-bit integer arithmetic and both sides are checked against tests/data/watermark_vectors.json.
// Change it only together with the C++ version and the vector file.
//
//   slot = floor(tMs / intervalMs) mod 2^32
//   h1 = mix32(seed ^ mix32(slot)); h2 = mix32(h1 ^ 0x9e3779b9)
//   ux = h1 % 10001; uy = h2 % 10001          (position in 1/10000 of the free range)
//   x = m + floor(ux * max(0, W - w - 2m) / 10000), y likewise with H, h and uy

export const MOTION_SCALE = 10000;
const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 2n ** 32n;

// 32-bit integer mixer. Math.imul gives the low 32 bits of the product, like uint32 wraparound
// in C++; `>>> 0` turns the signed result back into an unsigned 32-bit number.
export function mix32(x) {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function toBigInt(value, name) {
  if (typeof value === 'bigint') {
    return value;
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be a safe integer or a BigInt, got ${value}`);
  }
  return BigInt(value);
}

// Position in free-range units at playback time tMs (milliseconds). The position holds for a
// whole slot of intervalMs and jumps at every multiple of intervalMs.
// tMs and intervalMs may be Numbers (safe integers) or BigInts. The division is done in BigInt
// so that it is exact integer division for every input, like the int64 division in C++.
// Returns {slot, ux, uy}; throws RangeError for tMs < 0, intervalMs < 1 or a bad seed.
export function motionAt(seed, tMs, intervalMs) {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in 0..2^32-1, got ${seed}`);
  }
  const t = toBigInt(tMs, 'tMs');
  const interval = toBigInt(intervalMs, 'intervalMs');
  if (interval < 1n) {
    throw new RangeError(`intervalMs must be at least 1, got ${intervalMs}`);
  }
  if (t < 0n) {
    throw new RangeError(`tMs must not be negative, got ${tMs}`);
  }
  const slot = Number((t / interval) % TWO_POW_32);
  const h1 = mix32(seed ^ mix32(slot));
  const h2 = mix32(h1 ^ GOLDEN_GAMMA);
  return { slot, ux: h1 % (MOTION_SCALE + 1), uy: h2 % (MOTION_SCALE + 1) };
}

function requireSize(value, name) {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

function placeOnAxis(u, framePx, boxPx, marginPx) {
  const freePx = Math.max(0, framePx - boxPx - 2 * marginPx);
  // u * freePx can exceed 2^31 (so no `| 0` here) but stays far below 2^53, so a plain
  // multiplication is exact and Math.floor matches the C++ integer division.
  return marginPx + Math.floor((u * freePx) / MOTION_SCALE);
}

// Top-left pixel {x, y} of a boxW x boxH mark in a frameW x frameH frame, marginPx away from
// every edge, for a point returned by motionAt(). When box and margins do not fit, the mark
// sits at (marginPx, marginPx).
export function placeMark(point, frameW, frameH, boxW, boxH, marginPx) {
  requireSize(frameW, 'frameW');
  requireSize(frameH, 'frameH');
  requireSize(boxW, 'boxW');
  requireSize(boxH, 'boxH');
  requireSize(marginPx, 'marginPx');
  for (const axis of ['ux', 'uy']) {
    const u = point[axis];
    if (!Number.isInteger(u) || u < 0 || u > MOTION_SCALE) {
      throw new RangeError(`point.${axis} must be an integer in 0..${MOTION_SCALE}, got ${u}`);
    }
  }
  return {
    x: placeOnAxis(point.ux, frameW, boxW, marginPx),
    y: placeOnAxis(point.uy, frameH, boxH, marginPx),
  };
}
