// /wallet: balances per currency and the ledger history, newest first, a page at a time.
import { api } from '../api.js';
import { el, formatDate, showMessage } from '../dom.js';
import { renderHeader } from '../header.js';
import { formatMoney } from '../money.js';

const PAGE_SIZE = 20;
const KINDS = {
  credit: 'Credit', purchase: 'Purchase', sale: 'Sale', commission: 'Commission', fee: 'Platform fee',
};
let offset = 0;

function showBalances(balances) {
  document.getElementById('balances').replaceChildren(...balances.map((b) =>
    el('li', { dataset: { currency: b.currency } }, formatMoney(b))));
  document.getElementById('no-balance').hidden = balances.length > 0;
}

// The memo, with the video's title in it turned into a link to the video.
function details(entry) {
  const memo = entry.memo || '';
  if (!entry.video) return el('td', {}, memo);
  const link = el('a', { href: `/v/${entry.video.id}` }, entry.video.title);
  const at = memo.indexOf(entry.video.title);
  if (at < 0) return el('td', {}, memo, memo ? ' · ' : '', link);
  return el('td', {}, memo.slice(0, at), link, memo.slice(at + entry.video.title.length));
}

function row(entry) {
  const negative = entry.amount.amount_minor < 0;
  return el('tr', { dataset: { kind: entry.kind } },
    el('td', {}, formatDate(entry.created_at)),
    el('td', {}, KINDS[entry.kind] || entry.kind),
    details(entry),
    el('td', { className: `amount ${negative ? 'debit' : 'credit'}` },
      `${negative ? '' : '+'}${formatMoney(entry.amount)}`));
}

async function showHistory() {
  const reply = await api('GET', `/api/wallet/history?limit=${PAGE_SIZE}&offset=${offset}`);
  document.querySelector('#history tbody').replaceChildren(...reply.entries.map(row));
  document.getElementById('no-history').hidden = reply.total > 0;
  document.getElementById('history').hidden = reply.total === 0;
  document.getElementById('newer').disabled = offset === 0;
  document.getElementById('older').disabled = offset + PAGE_SIZE >= reply.total;
  document.querySelector('.pager').hidden = reply.total <= PAGE_SIZE && offset === 0;
  document.getElementById('page-info').textContent = reply.total > PAGE_SIZE
    ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, reply.total)} of ${reply.total}` : '';
}

async function run(step) {
  try {
    await step();
  } catch (error) {
    showMessage(document.getElementById('wallet-error'), 'error', error.message);
  }
}

const user = await renderHeader();
if (!user) {
  location.href = '/signin?next=/wallet';
} else {
  document.getElementById('newer').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    run(showHistory);
  });
  document.getElementById('older').addEventListener('click', () => {
    offset += PAGE_SIZE;
    run(showHistory);
  });
  run(async () => showBalances((await api('GET', '/api/wallet')).balances));
  run(showHistory);
}
