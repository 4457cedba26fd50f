// Reports where the viewer is in a video, so it opens there again on any device: every 15 s
// while playing, and when playback pauses, ends or the page goes away (fetch with keepalive,
// which outlives the page and, unlike sendBeacon, carries the CSRF header).
import { api } from './api.js';

export const REPORT_INTERVAL_MS = 15000;

function csrf() {
  return document.cookie.split('; ').find((c) => c.startsWith('rg_csrf='))?.slice(8) || '';
}

export class PlaybackProgress {
  constructor(video, videoId) {
    this.video = video;
    this.path = `/api/videos/${videoId}/progress`;
    this.lastSentMs = -1;
  }

  // The saved position ({position_ms, duration_ms}) or null.
  async saved() {
    try {
      return await api('GET', this.path);
    } catch {
      return null;
    }
  }

  positionMs() {
    return Math.max(0, Math.floor(this.video.currentTime * 1000));
  }

  send({ leaving = false } = {}) {
    // Nothing to say before the viewer played or moved: a page left while still loading must
    // not overwrite the saved position with 0.
    if (!this.engaged) return;
    const positionMs = this.positionMs();
    if (positionMs === this.lastSentMs || !Number.isFinite(positionMs)) return;
    this.lastSentMs = positionMs;
    fetch(this.path, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
      body: JSON.stringify({ position_ms: positionMs }),
      credentials: 'same-origin',
      keepalive: leaving,
    }).then((r) => { if (r.ok) this.video.dataset.savedMs = String(positionMs); }, () => {});
  }

  start() {
    const engage = () => { this.engaged = true; };
    this.video.addEventListener('playing', engage);
    this.video.addEventListener('seeked', engage);
    this.timer = setInterval(() => { if (!this.video.paused) this.send(); }, REPORT_INTERVAL_MS);
    this.video.addEventListener('pause', () => this.send());
    this.video.addEventListener('ended', () => this.send());
    this.video.addEventListener('seeked', () => { if (this.video.paused) this.send(); });
    window.addEventListener('pagehide', () => this.send({ leaving: true }));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.send({ leaving: true });
    });
  }
}
