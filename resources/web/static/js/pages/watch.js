// /watch/{id}: starts a playback session, plays its playlist with hls.js (native HLS only where
// Media Source Extensions are missing) and draws the viewer's moving watermark over the picture.
import { api } from '../api.js';
import { el, formatDuration } from '../dom.js';
import { renderHeader } from '../header.js';
import { WatermarkOverlay } from '../watermarkOverlay.js';
import { PlaybackProgress } from '../playbackProgress.js';
import { resumePosition } from '../resume.js';
import { qualityMenu } from '../qualityMenu.js';

const videoId = location.pathname.split('/')[2];
const stage = document.getElementById('stage');
const video = document.getElementById('player');
const playButton = document.getElementById('play');
const message = document.getElementById('player-message');
const playerErrors = []; // every hls.js error event, also counted in stage[data-error-count]
let stopPlayer = () => {}; // ends the player in use (hls.js or native)

function showProblem(...parts) {
  stopPlayer();
  message.replaceChildren(...parts);
  message.hidden = false;
  playButton.hidden = true;
  video.pause();
}

function explainStatus(status) {
  if (status === 401) {
    return ['You are signed out. ', el('a', { href: `/signin?next=${location.pathname}` }, 'Sign in'),
      ' to keep watching.'];
  }
  if (status === 403) {
    return ['This playback session ended: it expired, or this video started playing on other screens. ',
      el('a', { href: location.pathname }, 'Start again')];
  }
  return null;
}

function recordError(data) {
  playerErrors.push(data);
  stage.dataset.errorCount = String(playerErrors.length);
  stage.dataset.lastError = data.details || data.type || 'error';
}

// startMs: where to begin (a saved position), 0 from the start.
function playWithHls(Hls, url, startMs) {
  // startLevel -1: the first rendition follows the measured bandwidth, not the list's first.
  const hls = new Hls({
    enableWorker: true, backBufferLength: 30, startLevel: -1, startPosition: startMs / 1000,
  });
  let mediaRecoveries = 0;
  // hls.js reports the small gaps it jumps itself (say, audio priming before the first video
  // frame) on its error channel; they are recoveries, not failures.
  const recoveries = new Set([Hls.ErrorDetails.BUFFER_SEEK_OVER_HOLE, Hls.ErrorDetails.BUFFER_NUDGE_ON_STALL]);
  hls.on(Hls.Events.ERROR, (event, data) => {
    if (!data.fatal && recoveries.has(data.details)) {
      stage.dataset.recoveries = String(Number(stage.dataset.recoveries || 0) + 1);
      return;
    }
    recordError(data);
    const status = data.response?.code ?? data.networkDetails?.status;
    const explained = explainStatus(status);
    if (explained) {
      showProblem(...explained);
    } else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries++ < 2) {
      hls.recoverMediaError();
    } else if (data.fatal) {
      showProblem(`The video stopped because of a player error (${data.details}). `,
        el('a', { href: location.pathname }, 'Try again'));
    } else {
      console.warn('player:', data.details);
    }
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => qualityMenu(hls, document.getElementById('quality')));
  stopPlayer = () => {
    stopPlayer = () => {};
    hls.destroy();
  };
  hls.loadSource(url);
  hls.attachMedia(video);
}

// Safari and iOS play HLS themselves; their errors do not say the HTTP status, so ask for it.
function playNatively(url, startMs) {
  if (startMs) video.addEventListener('loadedmetadata', () => { video.currentTime = startMs / 1000; }, { once: true });
  video.addEventListener('error', async () => {
    recordError({ type: 'native', details: `media error ${video.error?.code}` });
    const probe = await fetch(url, { credentials: 'same-origin' }).catch(() => null);
    showProblem(...(explainStatus(probe?.status) || [`The video could not be played (media error ${video.error?.code}).`]));
  });
  video.src = url;
}

// The server says at once when a playback session of this user and video ended (the stream
// limit reached on another screen, a refund, lost access; GET /api/me/events): ask whether it was
// this page's, and stop now rather than play on from the buffer for another minute.
function stopWhenEnded(masterUrl) {
  if (typeof EventSource !== 'function') return;
  const events = new EventSource('/api/me/events');
  events.addEventListener('playback_ended', async (event) => {
    let ours = false;
    try { ours = JSON.parse(event.data).video === videoId; } catch { /* not an event of ours */ }
    if (!ours) return;
    const probe = await fetch(masterUrl, { credentials: 'same-origin', cache: 'no-store' }).catch(() => null);
    const explained = explainStatus(probe?.status);
    if (!explained) return; // another screen's session ended, not this one
    events.close();
    stage.dataset.session = 'ended';
    showProblem(...explained);
  });
}

async function tryAutoplay() {
  try {
    await video.play();
  } catch {
    playButton.hidden = false; // the browser wants a click first
  }
}

function toggleFullscreen() {
  // The stage holds the video AND the watermark; the bare video would leave the mark behind.
  if (document.fullscreenElement) document.exitFullscreen();
  else stage.requestFullscreen?.().catch(() => {});
}

function wireControls() {
  playButton.addEventListener('click', () => {
    playButton.hidden = true;
    video.play().catch(() => { playButton.hidden = false; });
  });
  video.addEventListener('play', () => { playButton.hidden = true; });
  const fullscreenButton = document.getElementById('fullscreen');
  fullscreenButton.hidden = !document.fullscreenEnabled; // iPhone: no element full screen
  fullscreenButton.addEventListener('click', toggleFullscreen);
  video.addEventListener('dblclick', (event) => {
    event.preventDefault();
    toggleFullscreen();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'f' && !event.ctrlKey && !event.metaKey && !event.altKey) toggleFullscreen();
  });
  document.addEventListener('fullscreenchange', () => {
    // The bare video full screen (the native controls' button in some browsers) would leave
    // the watermark behind: move full screen to the stage, or leave it.
    if (document.fullscreenElement === video) {
      stage.requestFullscreen().catch(() => document.exitFullscreen());
      return;
    }
    const full = document.fullscreenElement === stage;
    stage.classList.toggle('is-fullscreen', full);
    document.getElementById('fullscreen').textContent = full ? 'Exit full screen' : 'Full screen';
  });
}

function explainPlayError(error) {
  switch (error.code) {
    case 'payment_required':
      return ['You have not bought this video yet. ', el('a', { href: `/v/${videoId}` }, 'Buy it')];
    case 'not_published':
    case 'not_found':
      return ['This video is not available any more.'];
    default:
      return [error.message];
  }
}

// Said once when the video continues where the viewer left it, with a way back to the start.
function showResumeNote(startMs) {
  const note = document.getElementById('resume-note');
  const restart = el('button', { type: 'button', className: 'link-button' }, 'Start from the beginning');
  restart.addEventListener('click', () => {
    video.currentTime = 0;
    note.hidden = true;
  });
  note.replaceChildren(`Continuing from ${formatDuration(startMs)}. `, restart);
  note.hidden = false;
}

async function start() {
  const user = await renderHeader();
  if (!user) {
    location.href = `/signin?next=${encodeURIComponent(location.pathname)}`;
    return;
  }
  document.getElementById('back').href = `/v/${videoId}`;
  document.getElementById('back').textContent = 'Back to the video page';
  api('GET', `/api/videos/${videoId}`).then(({ video: info }) => {
    document.getElementById('title').textContent = info.title;
    document.title = `${info.title} · Reelgate`;
  }, () => {});
  let reply;
  try {
    reply = await api('POST', `/api/videos/${videoId}/play`, {});
  } catch (error) {
    showProblem(...(explainStatus(error.status) || explainPlayError(error)));
    return;
  }
  const overlay = new WatermarkOverlay(video, document.getElementById('watermark-frame'),
    document.getElementById('watermark'), reply.overlay, reply.overlay.username || user.username);
  overlay.start();
  wireControls();
  const url = reply.session.master_url;
  const progress = new PlaybackProgress(video, videoId);
  const saved = await progress.saved();
  const startMs = resumePosition(saved?.position_ms, saved?.duration_ms) || 0;
  if (startMs) showResumeNote(startMs);
  progress.start();
  const Hls = window.Hls;
  if (Hls?.isSupported()) playWithHls(Hls, url, startMs);
  else if (video.canPlayType('application/vnd.apple.mpegurl')) playNatively(url, startMs);
  else {
    showProblem(Hls ? 'This browser cannot play streaming video. Try a current Firefox, Chrome, Edge or Safari.'
      : 'The video player failed to load. Reload the page; if it keeps happening, tell the site operator.');
    return;
  }
  stage.dataset.session = 'started';
  stopWhenEnded(url);
  tryAutoplay();
}

start();
