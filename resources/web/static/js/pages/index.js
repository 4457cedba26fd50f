import { api } from '../api.js';
import { el, formatDuration, showMessage } from '../dom.js';
import { renderHeader } from '../header.js';
import { CURRENCY_EVENT, formatMoney, priceInDisplayCurrency } from '../money.js';

const PAGE_SIZE = 24;
const list = document.getElementById('catalog');
const more = document.getElementById('catalog-more');
const videos = [];

function poster(video) {
  if (!video.poster_url) return el('div', { className: 'poster none', 'aria-hidden': 'true' }, video.title.slice(0, 1));
  return el('img', { className: 'poster', src: video.poster_url, alt: '', loading: 'lazy' });
}

function card(video) {
  const { money, converted } = priceInDisplayCurrency(video);
  return el('li', { className: 'card', dataset: { videoId: video.id } },
    el('a', { href: `/v/${video.id}` },
      poster(video),
      el('span', { className: 'title' }, video.title),
      el('span', { className: 'meta' },
        el('span', {}, `${video.creator} · ${formatDuration(video.duration_ms || 0)}`),
        el('span', { className: 'price', title: converted ? `${formatMoney(video.price)} (converted, approximate)` : '' },
          `${converted ? '≈ ' : ''}${formatMoney(money)}`))));
}

function render() {
  list.replaceChildren(...videos.map(card));
  document.getElementById('catalog-empty').hidden = videos.length > 0;
}

async function load() {
  more.disabled = true;
  try {
    const reply = await api('GET', `/api/catalog?limit=${PAGE_SIZE}&offset=${videos.length}`);
    videos.push(...reply.videos);
    more.hidden = reply.videos.length < PAGE_SIZE;
    render();
  } catch (error) {
    showMessage(document.querySelector('main [role=alert]'), 'error', error.message);
  } finally {
    more.disabled = false;
  }
}

const user = await renderHeader();
if (user) {
  document.getElementById('greeting').textContent = `Welcome back, ${user.username}.`;
  document.getElementById('welcome-links').replaceChildren(
    el('a', { href: '/wallet' }, 'Your wallet'),
    el('a', { href: '/account' }, 'Your account'));
}
more.addEventListener('click', load);
window.addEventListener(CURRENCY_EVENT, render);
load();
