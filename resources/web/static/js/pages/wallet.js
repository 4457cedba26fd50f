// /wallet: balances per currency (spendable, available, pending, held), topping up through an
// enabled provider (?deposit=ID after returning from its page), the payments made, withdrawing
// earnings, payout details (masked), the monthly statement, and the ledger history.
import { api, handleForm, randomUuid } from '../api.js';
import { el, formatDate, showMessage } from '../dom.js';
import { platform, renderHeader } from '../header.js';
import { formatMoney } from '../money.js';
import {
  depositStatusView, followDeposit, instructionsView, paymentProviders, quote, quoteText, startPayment,
  statusText,
} from '../payments.js';

const PAGE_SIZE = 20;
const KINDS = {
  credit: 'Credit', purchase: 'Purchase', sale: 'Sale', commission: 'Commission', fee: 'Platform fee',
  deposit: 'Top-up', reversal: 'Refund', hold: 'Withdrawal', release: 'Withdrawal returned',
  transfer: 'Transfer', settlement: 'Paid back what you owed', receivable: 'Owed',
};
const STATUS = {
  requested: 'Waiting for approval', approved: 'Being paid', paid: 'Paid', rejected: 'Rejected',
  failed: 'Payout failed, still held',
};
let providerLabels = {};
let offset = 0;

function balanceParts(b) {
  const parts = [`${formatMoney(b.spendable)} to spend`, `${formatMoney(b.available)} withdrawable`];
  if (b.pending.amount_minor > 0) {
    parts.push(`${formatMoney(b.pending)} pending${b.pending_until ? ` (first on ${formatDate(b.pending_until)})` : ''}`);
  }
  if (b.held.amount_minor > 0) parts.push(`${formatMoney(b.held)} in withdrawals`);
  if (b.owed.amount_minor > 0) parts.push(`${formatMoney(b.owed)} owed, taken from your next earnings`);
  return el('span', { className: 'hint parts' }, ` · ${parts.join(' · ')}`);
}

function showBalances(balances) {
  document.getElementById('balances').replaceChildren(...balances.map((b) =>
    el('li', { dataset: { currency: b.currency } }, el('strong', {}, formatMoney(b)), balanceParts(b))));
  document.getElementById('no-balance').hidden = balances.length > 0;
  const select = document.getElementById('withdraw-currency');
  const codes = balances.map((b) => b.currency);
  select.replaceChildren(...(codes.length ? codes : ['USD']).map((c) => new Option(c, c)));
}

// "12.34" in `currency` -> minor units (no floating point); null when it is not an amount.
function toMinor(text, currency) {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[2] || '').length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number((match[2] || '').padEnd(digits, '0') || 0);
}

async function showWithdrawals() {
  const { withdrawals } = await api('GET', '/api/wallet/withdrawals?limit=50');
  document.getElementById('withdrawals').hidden = withdrawals.length === 0;
  document.querySelector('#withdrawals tbody').replaceChildren(...withdrawals.map((w) =>
    el('tr', { dataset: { status: w.status, id: w.id } },
      el('td', {}, formatDate(w.created_at)),
      el('td', { className: `status ${w.status}` }, STATUS[w.status] || w.status,
        w.reason ? el('span', { className: 'hint' }, ` · ${w.reason}`) : ''),
      el('td', {}, w.method, w.reference ? el('span', { className: 'hint' }, ` · ${w.reference}`) : ''),
      el('td', { className: 'amount' }, formatMoney(w.amount)),
      el('td', { className: 'amount' }, formatMoney(w.net)))));
}

function maskedText(d) {
  if (!d.method) return 'Where withdrawals are paid: not set yet.';
  const m = d.masked;
  const text = d.method === 'bank' ? `${m.bank_name} ${m.account_number} (${m.account_name})`
    : d.method === 'ewallet' ? `${m.provider} ${m.phone}` : `PayPal ${m.email}`;
  return `Withdrawals are paid to: ${text}`;
}

async function showPayoutDetails() {
  const form = document.getElementById('payout-form');
  const method = document.getElementById('payout-method');
  const showFields = () => form.querySelectorAll('[data-method]').forEach((div) => {
    div.hidden = div.dataset.method !== method.value;
  });
  method.addEventListener('change', showFields);
  const current = await api('GET', '/api/me/payout-details');
  document.getElementById('payout-current').textContent = maskedText(current);
  if (current.method) method.value = current.method;
  showFields();
  handleForm(form, async (data) => {
    const fields = [...form.querySelectorAll(`[data-method="${method.value}"] input`)];
    const details = Object.fromEntries(fields.filter((i) => i.value.trim()).map((i) => [i.name, i.value.trim()]));
    const saved = await api('PUT', '/api/me/payout-details',
      { method: method.value, details, password: data.get('password') });
    form.reset();
    method.value = saved.method;
    showFields();
    document.getElementById('payout-current').textContent = maskedText(saved);
    return 'Saved. We sent a note to your email address.';
  });
}

function wireWithdraw() {
  handleForm(document.getElementById('withdraw-form'), async (data) => {
    const currency = data.get('currency');
    const amount = toMinor(data.get('amount'), currency);
    if (amount === null || amount <= 0) throw new Error('Enter an amount such as 10.00.');
    const made = await api('POST', '/api/wallet/withdrawals', { amount_minor: amount, currency },
      { 'Idempotency-Key': randomUuid() });
    showBalances((await api('GET', '/api/wallet')).balances);
    await showWithdrawals();
    return `Withdrawal of ${formatMoney(made.amount)} requested; you will receive ${formatMoney(made.net)}.`;
  });
  const month = document.getElementById('statement-month');
  month.value = new Date().toISOString().slice(0, 7);
  document.getElementById('statement-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (/^\d{4}-\d{2}$/.test(month.value)) location.href = `/api/me/statement?month=${month.value}`;
  });
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

async function showTopUp() {
  const providers = await paymentProviders();
  document.getElementById('no-providers').hidden = providers.length > 0;
  document.getElementById('topup').hidden = providers.length === 0;
  if (providers.length === 0) return;
  providerLabels = Object.fromEntries(providers.map((p) => [p.name, p.label]));
  const codes = ((await platform())?.display_currencies || []).map((c) => c.code);
  const balances = [...document.querySelectorAll('#balances li')].map((li) => li.dataset.currency);
  const currencies = [...new Set([...balances, ...codes, 'USD'])];
  document.getElementById('topup-currency').replaceChildren(...currencies.map((c) => new Option(c, c)));
  document.getElementById('topup-methods').append(...providers.map((p, i) =>
    el('label', { className: 'method' },
      el('input', { type: 'radio', name: 'provider', value: p.name, checked: i === 0 }), p.label)));
  const form = document.getElementById('topup-form');
  // Providers that charge another currency show what they will charge before paying.
  const showQuote = async () => {
    const data = new FormData(form);
    const provider = providers.find((p) => p.name === data.get('provider'));
    const line = document.getElementById('topup-quote');
    line.textContent = '';
    if (!provider?.charge_currency || !/^\d+(\.\d+)?$/.test(data.get('amount').trim())) return;
    try {
      const q = await quote(provider, data.get('amount').trim(), data.get('currency'));
      line.textContent = q ? quoteText(q) : '';
    } catch (error) {
      line.textContent = error.message;
    }
  };
  form.addEventListener('change', showQuote);
  form.addEventListener('input', showQuote);
  handleForm(form, async (form) => {
    const deposit = await startPayment('/api/wallet/deposits', {
      provider: form.get('provider'), amount: form.get('amount').trim(), currency: form.get('currency'),
    });
    if (deposit.redirect_url) return 'Taking you to the payment page…';
    const details = document.getElementById('topup-details');
    details.replaceChildren(instructionsView(deposit));
    await showDeposits();
    // The page follows the transfer until an admin confirms it (no reload needed).
    followDeposit(deposit.id, () => {}).then(async (last) => {
      if (last.status === 'pending') return;
      details.replaceChildren(depositStatusView(last, false));
      showBalances((await api('GET', '/api/wallet')).balances);
      await showHistory();
      await showDeposits();
    }).catch((error) => showMessage(document.getElementById('wallet-error'), 'error', error.message));
    return 'Your top-up is waiting for the transfer.';
  });
}

async function showDeposits() {
  const { deposits } = await api('GET', '/api/wallet/deposits');
  document.getElementById('deposits-panel').hidden = deposits.length === 0;
  document.querySelector('#deposits tbody').replaceChildren(...deposits.map((d) =>
    el('tr', { dataset: { status: d.status, id: d.id } },
      el('td', {}, formatDate(d.created_at)),
      el('td', {}, providerLabels[d.provider] || d.provider),
      el('td', {}, d.video ? el('a', { href: `/v/${d.video.id}` }, d.video.title) : 'Wallet top-up',
        d.provider === 'bank' ? el('span', { className: 'hint' }, ` · ${d.reference}`) : ''),
      el('td', { className: `status ${d.status}` }, statusText(d)),
      el('td', { className: 'amount' }, formatMoney(d.amount)))));
}

// Back from a provider's page: follow the top-up until it settles, then refresh the wallet.
async function followReturn() {
  const params = new URLSearchParams(location.search);
  const id = params.get('deposit');
  if (!id) return;
  const status = document.getElementById('payment-status');
  const last = await followDeposit(id, (deposit) =>
    status.replaceChildren(depositStatusView(deposit, params.has('cancelled'))));
  if (last.status === 'posted') {
    showBalances((await api('GET', '/api/wallet')).balances);
    await showHistory();
  }
  await showDeposits();
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
  wireWithdraw();
  run(async () => {
    showBalances((await api('GET', '/api/wallet')).balances);
    await showWithdrawals();
    await showPayoutDetails();
    await showTopUp();
    await showDeposits();
    await followReturn(); // after the first rendering, so it cannot overwrite the outcome
  });
  run(showHistory);
}
