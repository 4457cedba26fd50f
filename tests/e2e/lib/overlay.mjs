// Reading the watch page's watermark overlay, and where it should be, computed here with the
// player's motion module (the twin of the C++ one) but with this file's own geometry.
import { motionAt, placeMark } from '../../../resources/web/static/js/watermarkMotion.js';

// Pauses nothing; call it on a paused player so time and position belong together.
export async function readOverlay(page) {
  return page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const video = document.getElementById('player');
    const mark = document.getElementById('watermark');
    const v = video.getBoundingClientRect();
    const m = mark.getBoundingClientRect();
    return {
      slot: Number(mark.dataset.slot),
      x: Number(mark.dataset.x),
      y: Number(mark.dataset.y),
      text: mark.textContent,
      fontPx: parseFloat(getComputedStyle(mark).fontSize),
      tMs: Math.floor(video.currentTime * 1000),
      elementW: video.clientWidth,
      elementH: video.clientHeight,
      videoW: video.videoWidth,
      videoH: video.videoHeight,
      boxW: mark.offsetWidth,
      boxH: mark.offsetHeight,
      left: m.left - v.left,
      top: m.top - v.top,
      fullscreen: document.fullscreenElement?.id ?? null,
      visible: !mark.closest('[hidden]') && m.width > 0,
    };
  });
}

// The picture inside an object-fit: contain element, computed independently of the page.
function picture(state) {
  const scale = Math.min(state.elementW / state.videoW, state.elementH / state.videoH);
  const width = Math.round(state.videoW * scale);
  const height = Math.round(state.videoH * scale);
  return { left: (state.elementW - width) / 2, top: (state.elementH - height) / 2, width, height };
}

// What the overlay must show for `state` under the overlay spec from POST /play.
export function expectedOverlay(spec, state) {
  const frame = picture(state);
  const marginPx = Math.round((spec.margin_pct / 100) * frame.height);
  const point = motionAt(spec.seed, state.tMs, spec.interval_ms);
  const at = placeMark(point, frame.width, frame.height, state.boxW, state.boxH, marginPx);
  return {
    frame,
    slot: point.slot,
    x: at.x,
    y: at.y,
    fontPx: Math.max(1, Math.round((spec.font_size_pct / 100) * frame.height)),
  };
}
