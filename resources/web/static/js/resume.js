// Where a video should start again: the saved position, unless it is too close to the start to
// matter or so near the end that the viewer finished it (then from the beginning: null).
const MIN_RESUME_MS = 5000;
const END_MARGIN_MS = 5000;

export function resumePosition(positionMs, durationMs) {
  if (!positionMs || positionMs < MIN_RESUME_MS) return null;
  if (durationMs && positionMs > durationMs - END_MARGIN_MS) return null;
  return positionMs;
}
