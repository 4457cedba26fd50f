// /library: what the viewer bought or was given, with where they stopped; "Continue watching"
// lists the started, unfinished ones, most recent first.
import { api } from '../api.js';
import { el, formatDuration, showMessage } from '../dom.js';
import { renderHeader } from '../header.js';
import { card } from '../catalogCards.js';
import { resumePosition } from '../resume.js';

function progress(video) {
  const resume = resumePosition(video.position_ms, video.duration_ms);
  if (!resume) return el('span', { className: 'meta' }, video.position_ms > 0 ? 'Watched' : 'Not started');
  const percent = Math.min(100, Math.round((100 * resume) / Math.max(1, video.duration_ms)));
  const filled = el('span');
  filled.style.width = `${percent}%`; // CSSOM, which the page's style-src allows
  return el('span', { className: 'progress-line' },
    el('span', { className: 'progress', role: 'progressbar', 'aria-valuenow': String(percent), 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': 'Watched' },
      filled),
    el('span', { className: 'meta resume-at' }, `Continue from ${formatDuration(resume)}`));
}

function entry(video) {
  const label = video.access === 'allowlisted' ? 'Shared with you' : 'Bought';
  return card(video, {
    href: video.available ? `/watch/${video.id}` : `/v/${video.id}`,
    extra: [el('span', { className: 'meta' }, el('span', { className: 'badge' }, label)), progress(video)],
  });
}

const user = await renderHeader();
if (!user) {
  location.href = '/signin?next=/library';
} else {
  try {
    const { videos } = await api('GET', '/api/me/library');
    const started = videos.filter((v) => resumePosition(v.position_ms, v.duration_ms));
    document.getElementById('continue').replaceChildren(...started.map(entry));
    document.getElementById('continue-section').hidden = started.length === 0;
    document.getElementById('library').replaceChildren(...videos.map(entry));
    document.getElementById('library').dataset.count = String(videos.length);
    document.getElementById('library-empty').hidden = videos.length > 0;
  } catch (error) {
    showMessage(document.getElementById('library-error'), 'error', error.message);
  }
}
