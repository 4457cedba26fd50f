// Catalog cards (home page, creator pages, library) and paging through /api/catalog-shaped
// answers: {videos, next_offset}. The next page loads when the "More" button scrolls into view
// (or is clicked).
import { api } from './api.js';
import { el, formatDuration } from './dom.js';
import { formatMoney, priceInDisplayCurrency } from './money.js';

export function posterView(video) {
  if (!video.poster_url) {
    return el('div', { className: 'poster none', 'aria-hidden': 'true' }, [...(video.title || '?')][0]);
  }
  return el('img', { className: 'poster', src: video.poster_url, alt: '', loading: 'lazy' });
}

export function priceView(video) {
  const { money, converted } = priceInDisplayCurrency(video);
  return el('span', { className: 'price', title: converted ? `${formatMoney(video.price)} (converted, approximate)` : '' },
    `${converted ? '≈ ' : ''}${formatMoney(money)}`);
}

// extra: nodes after the meta line (library: the progress bar).
export function card(video, { href = `/v/${video.id}`, extra = [], showCreator = true } = {}) {
  const who = showCreator ? `${video.creator} · ` : '';
  return el('li', { className: 'card', dataset: { videoId: video.id } },
    el('a', { href },
      posterView(video),
      el('span', { className: 'title' }, video.title),
      el('span', { className: 'meta' },
        el('span', {}, `${who}${formatDuration(video.duration_ms || 0)}`),
        priceView(video)),
      ...extra));
}

// Pages through `path` (a URL with its query; offset and limit are added) into `list`.
export class CatalogPager {
  constructor({ list, more, empty, onError, pageSize = 24, cardOptions = {} }) {
    Object.assign(this, { list, more, empty, onError, pageSize, cardOptions });
    this.videos = [];
    this.loading = false;
    more.addEventListener('click', () => this.next());
    // Scrolling to the button loads the next page without a click.
    if ('IntersectionObserver' in window) {
      new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting) && !this.more.hidden) this.next();
      }, { rootMargin: '200px' }).observe(more);
    }
  }

  reset(path) {
    this.path = path;
    this.videos = [];
    this.nextOffset = 0;
    this.generation = (this.generation || 0) + 1;
    this.render();
    return this.next();
  }

  async next() {
    if (this.loading || this.nextOffset === null) return;
    this.loading = true;
    this.more.disabled = true;
    const generation = this.generation;
    try {
      const sep = this.path.includes('?') ? '&' : '?';
      const reply = await api('GET', `${this.path}${sep}limit=${this.pageSize}&offset=${this.nextOffset}`);
      if (generation !== this.generation) return; // a newer search replaced this one
      this.videos.push(...reply.videos);
      this.nextOffset = reply.next_offset ?? null;
      this.onPage?.(reply);
      this.render();
    } catch (error) {
      this.onError(error);
    } finally {
      this.loading = false;
      this.more.disabled = false;
    }
  }

  render() {
    this.list.replaceChildren(...this.videos.map((v) => card(v, this.cardOptions)));
    this.list.dataset.count = String(this.videos.length);
    this.more.hidden = this.nextOffset === null || this.nextOffset === undefined || this.videos.length === 0;
    if (this.empty) this.empty.hidden = !(this.videos.length === 0 && this.nextOffset === null);
  }
}
