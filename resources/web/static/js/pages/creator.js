// /c/{username}: the creator's name, avatar, bio and links, then their videos page by page.
import { api } from '../api.js';
import { el, showMessage } from '../dom.js';
import { renderHeader } from '../header.js';
import { CURRENCY_EVENT } from '../money.js';
import { CatalogPager } from '../catalogCards.js';
import { paintAvatar } from '../avatar.js';

const username = decodeURIComponent(location.pathname.split('/')[2] || '');
const errorBox = document.getElementById('creator-error');

function showProfile(creator) {
  document.title = `${creator.display_name} · Reelgate`;
  document.getElementById('creator-name').textContent = creator.display_name;
  document.getElementById('creator-handle').textContent = `@${creator.username}`;
  paintAvatar(document.getElementById('avatar'), creator.display_name);
  document.getElementById('bio').replaceChildren(...(creator.bio || '').split(/\n{2,}/)
    .filter((p) => p.trim()).map((p) => el('p', {}, p)));
  // The server accepts http(s) links only; check again before making them clickable.
  document.getElementById('links').replaceChildren(...(creator.links || [])
    .filter((l) => /^https?:\/\//i.test(l.url))
    .map((l) => el('li', {}, el('a', { href: l.url, rel: 'nofollow noopener noreferrer', target: '_blank' }, l.label))));
  document.getElementById('creator').hidden = false;
}

renderHeader();
const pager = new CatalogPager({
  list: document.getElementById('catalog'),
  more: document.getElementById('catalog-more'),
  empty: document.getElementById('catalog-empty'),
  onError: (error) => showMessage(errorBox, 'error', error.message),
  cardOptions: { showCreator: false },
});
let shown = false;
pager.onPage = (reply) => {
  if (!shown) showProfile(reply.creator);
  shown = true;
};
window.addEventListener(CURRENCY_EVENT, () => pager.render());
pager.reset(`/api/creators/${encodeURIComponent(username)}?sort=newest`);
