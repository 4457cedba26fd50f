// The free preview on the video page: the first N seconds, public (no sign-in, no watermark,
// no forensic marks), played with hls.js loaded only when the video has a preview.
import { api } from './api.js';
import { el } from './dom.js';

const HLS_SCRIPT = '/static/vendor/hls.min.js';
let hlsLoading = null;

function loadHls() {
  hlsLoading ??= new Promise((resolve) => {
    if (window.Hls) { resolve(window.Hls); return; }
    const script = el('script', { src: HLS_SCRIPT });
    script.addEventListener('load', () => resolve(window.Hls || null));
    script.addEventListener('error', () => resolve(null));
    document.head.append(script);
  });
  return hlsLoading;
}

// {preview_url, preview_seconds, poster_url} or null when the video has no preview.
export async function previewMedia(videoId) {
  const media = await api('GET', `/api/videos/${videoId}/media`).catch(() => null);
  return media?.preview_url ? media : null;
}

// A labelled player for the preview; the label says how long it is.
export function previewView(media, title) {
  const player = el('video', {
    id: 'preview-player', className: 'poster', controls: true, playsInline: true, preload: 'metadata',
    poster: media.poster_url || undefined, 'aria-label': `Free preview of ${title}`,
  });
  const label = el('figcaption', { id: 'preview-label' },
    el('strong', {}, 'Free preview'), ` — first ${media.preview_seconds} s. Buy to watch the whole video.`);
  attach(player, media.preview_url);
  return el('figure', { className: 'preview', id: 'preview' }, player, label);
}

async function attach(player, url) {
  const Hls = await loadHls();
  if (Hls?.isSupported()) {
    const hls = new Hls({ startLevel: -1 });
    hls.loadSource(url);
    hls.attachMedia(player);
  } else if (player.canPlayType('application/vnd.apple.mpegurl')) {
    player.src = url; // Safari plays HLS itself
  }
}
