// /: the catalog with search (?q=), order (?sort=) and pages that load as the buyer scrolls.
import { el, showMessage, clearMessage } from '../dom.js';
import { renderHeader } from '../header.js';
import { CURRENCY_EVENT } from '../money.js';
import { CatalogPager } from '../catalogCards.js';

const form = document.getElementById('catalog-search');
const search = document.getElementById('search');
const sort = document.getElementById('sort');
const empty = document.getElementById('catalog-empty');
const alert = document.querySelector('main [role=alert]');
const pager = new CatalogPager({
  list: document.getElementById('catalog'),
  more: document.getElementById('catalog-more'),
  empty,
  onError: (error) => showMessage(alert, 'error', error.message),
});

function load() {
  clearMessage(alert);
  const params = new URLSearchParams(location.search);
  search.value = params.get('q') || '';
  sort.value = ['newest', 'popular', 'price_low', 'price_high'].includes(params.get('sort')) ? params.get('sort') : 'newest';
  empty.textContent = search.value ? `Nothing matches “${search.value}”.` : 'No videos are published yet.';
  const query = new URLSearchParams({ sort: sort.value });
  if (search.value) query.set('q', search.value);
  pager.reset(`/api/catalog?${query}`);
}

// The search lives in the address, so Back and a shared link show the same list.
function apply() {
  const params = new URLSearchParams();
  if (search.value.trim()) params.set('q', search.value.trim());
  if (sort.value !== 'newest') params.set('sort', sort.value);
  const query = params.toString();
  history.pushState(null, '', query ? `/?${query}` : '/');
  load();
}

const user = await renderHeader();
if (user) {
  document.getElementById('greeting').textContent = user.isNew
    ? `Welcome to Reelgate, ${user.username}! Your account is ready: pick a video, buy it once, and it stays in your Library.`
    : `Welcome back, ${user.username}.`;
  document.getElementById('welcome-links').replaceChildren(
    el('a', { href: '/library' }, 'Your library'),
    el('a', { href: '/wallet' }, 'Your wallet'));
}
form.addEventListener('submit', (event) => {
  event.preventDefault();
  apply();
});
sort.addEventListener('change', apply);
window.addEventListener('popstate', load);
window.addEventListener(CURRENCY_EVENT, () => pager.render());
load();
