// /affiliate: a referral link per video, and what the links have earned.
import { api } from '../api.js';
import { el, formatDate, showMessage } from '../dom.js';
import { renderHeader } from '../header.js';
import { formatMoney } from '../money.js';

function percent(bps) {
  return `${(bps / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`;
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (or not a secure context): select the text for the user.
    const field = button.closest('li').querySelector('input');
    field.select();
    document.execCommand?.('copy');
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
}

function linkItem(link) {
  const url = new URL(link.url, location.origin).href;
  const button = el('button', { type: 'button', className: 'secondary' }, 'Copy');
  button.addEventListener('click', () => copy(url, button));
  return el('li', { dataset: { videoId: link.video.id } },
    el('div', { className: 'share-title' },
      el('a', { href: `/v/${link.video.id}` }, link.video.title),
      el('span', { className: 'hint' }, ` · you earn ${percent(link.video.affiliate_bps)} of each sale`)),
    el('div', { className: 'share-row' },
      el('input', { value: url, readOnly: true, 'aria-label': `Referral link for ${link.video.title}` }),
      button));
}

function show(reply) {
  document.getElementById('earnings').replaceChildren(...reply.earnings.map((m) =>
    el('li', { dataset: { currency: m.currency } }, formatMoney(m))));
  document.getElementById('no-earnings').hidden = reply.commissions.length > 0;
  document.getElementById('commissions').hidden = reply.commissions.length === 0;
  document.querySelector('#commissions tbody').replaceChildren(...reply.commissions.map((c) =>
    el('tr', {},
      el('td', {}, formatDate(c.created_at)),
      el('td', {}, el('a', { href: `/v/${c.video.id}` }, c.video.title)),
      el('td', { className: 'amount credit' }, `+${formatMoney(c.amount)}`))));
  document.getElementById('links').replaceChildren(...reply.links.map(linkItem));
  document.getElementById('no-links').hidden = reply.links.length > 0;
}

const user = await renderHeader();
if (!user) {
  location.href = '/signin?next=/affiliate';
} else {
  try {
    show(await api('GET', '/api/me/affiliate'));
  } catch (error) {
    showMessage(document.getElementById('affiliate-error'), 'error', error.message);
  }
}
