// The visible viewer watermark over the web player, by the rule the studio preview uses
// (studio/watermark/WatermarkPainter.h):
//   H = displayed video height in px (letterboxing excluded); fontPx = round(font_size_pct/100*H);
//   marginPx = round(margin_pct/100*H); box = text + round(0.25*fontPx) padding on each side;
//   top-left = placeMark(motionAt(seed, tMs, interval_ms), W, H, boxW, boxH, marginPx),
// relative to the displayed video's top-left corner, tMs = playback time. The text's alpha is
// `opacity`, the box's `box_opacity` (as in the studio). Text: {username}, {time} (HH:MM:SS UTC
// wall clock), {date} (YYYY-MM-DD UTC).
import { motionAt, placeMark } from './watermarkMotion.js';

const DEFAULTS = {
  template: '{username} {time}', font_size_pct: 3.5, opacity: 0.35, color: '#ffffff',
  box: true, box_color: '#000000', box_opacity: 0.35, interval_ms: 5000, margin_pct: 3.0, seed: 0,
};

export function withDefaults(spec) {
  return { ...DEFAULTS, ...spec };
}

export function renderMarkText(template, username, now = new Date()) {
  const iso = now.toISOString(); // 2025-01-31T12:34:56.789Z
  return template
    .replaceAll('{username}', username)
    .replaceAll('{time}', iso.slice(11, 19))
    .replaceAll('{date}', iso.slice(0, 10));
}

// The rectangle the picture occupies inside a video element of boxW x boxH showing a
// videoW x videoH stream with object-fit: contain (bars left/right or top/bottom).
export function videoContentRect(boxW, boxH, videoW, videoH) {
  if (!boxW || !boxH || !videoW || !videoH) return { left: 0, top: 0, width: 0, height: 0 };
  if (boxW * videoH > boxH * videoW) { // wider than the picture: bars left and right
    const width = Math.round((boxH * videoW) / videoH);
    return { left: Math.floor((boxW - width) / 2), top: 0, width, height: boxH };
  }
  const height = Math.round((boxW * videoH) / videoW);
  return { left: 0, top: Math.floor((boxH - height) / 2), width: boxW, height };
}

export function markMetrics(spec, frameH) {
  const fontPx = Math.max(1, Math.round((spec.font_size_pct / 100) * frameH));
  return {
    fontPx,
    marginPx: Math.max(0, Math.round((spec.margin_pct / 100) * frameH)),
    paddingPx: Math.round(0.25 * fontPx),
  };
}

// {slot, x, y}: where a boxW x boxH mark goes in a frameW x frameH picture at playback tMs.
export function markPosition(spec, tMs, frameW, frameH, boxW, boxH, marginPx) {
  const point = motionAt(spec.seed, Math.max(0, Math.floor(tMs)), Math.max(1, spec.interval_ms));
  return { slot: point.slot, ...placeMark(point, frameW, frameH, boxW, boxH, marginPx) };
}

function rgba(color, alpha) {
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1] || 'ffffff';
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${Math.min(1, Math.max(0, alpha))})`;
}

// Keeps `mark` (inside `frame`, both absolutely positioned in the video's offset parent) on the
// picture of `video`. Checks every animation frame; touches the DOM only when something changed.
// The mark exposes data-slot, data-x and data-y (pixels from the picture's top-left corner).
export class WatermarkOverlay {
  constructor(video, frame, mark, spec, username) {
    this.video = video;
    this.frame = frame;
    this.mark = mark;
    this.spec = withDefaults(spec);
    this.username = username;
    this.last = {};
    this.box = null;
    mark.style.color = rgba(this.spec.color, this.spec.opacity);
    mark.style.background = this.spec.box ? rgba(this.spec.box_color, this.spec.box_opacity) : 'transparent';
    this.tick = () => {
      this.update();
      this.handle = requestAnimationFrame(this.tick);
    };
  }

  start() {
    if (!this.handle) this.handle = requestAnimationFrame(this.tick);
  }

  stop() {
    cancelAnimationFrame(this.handle);
    this.handle = null;
  }

  changed(key, value) {
    if (this.last[key] === value) return false;
    this.last[key] = value;
    return true;
  }

  // Whole pixels, so the box drawn is exactly the box placed.
  measure() {
    const { mark } = this;
    mark.style.width = '';
    mark.style.height = '';
    const size = mark.getBoundingClientRect();
    this.box = { w: Math.ceil(size.width), h: Math.ceil(size.height) };
    mark.style.width = `${this.box.w}px`;
    mark.style.height = `${this.box.h}px`;
  }

  update() {
    const { video, frame, mark, spec } = this;
    const rect = videoContentRect(video.clientWidth, video.clientHeight, video.videoWidth, video.videoHeight);
    frame.hidden = rect.width === 0;
    if (frame.hidden) return;
    const left = video.offsetLeft + rect.left;
    const top = video.offsetTop + rect.top;
    if (this.changed('frame', `${left},${top},${rect.width},${rect.height}`)) {
      Object.assign(frame.style, {
        left: `${left}px`, top: `${top}px`, width: `${rect.width}px`, height: `${rect.height}px`,
      });
    }
    const metrics = markMetrics(spec, rect.height);
    const text = renderMarkText(spec.template, this.username);
    const fontChanged = this.changed('font', metrics.fontPx);
    if (fontChanged) {
      mark.style.fontSize = `${metrics.fontPx}px`;
      mark.style.padding = `${metrics.paddingPx}px`;
    }
    const textChanged = this.changed('text', text);
    if (textChanged) mark.textContent = text;
    if (fontChanged || textChanged || !this.box) this.measure();
    const at = markPosition(spec, video.currentTime * 1000, rect.width, rect.height,
      this.box.w, this.box.h, metrics.marginPx);
    if (this.changed('position', `${at.slot},${at.x},${at.y}`)) {
      mark.style.left = `${at.x}px`;
      mark.style.top = `${at.y}px`;
      Object.assign(mark.dataset, { slot: at.slot, x: at.x, y: at.y });
    }
  }
}
