// Paying through a provider from the pages: the enabled providers, starting a top-up or a
// pay-at-checkout (Idempotency-Key kept until the server answers, so a retried click cannot
// pay twice), and following a deposit after the buyer returns from the provider's page.
import { api, randomUuid } from './api.js';
import { el, formatDate } from './dom.js';
import { formatMoney } from './money.js';

let providersReply;
// [{name, label, redirects, charge_currency}]; empty when none is configured.
export function paymentProviders() {
  providersReply ??= api('GET', '/api/payments/providers').then((r) => r.providers).catch(() => []);
  return providersReply;
}

// What `provider` charges for an amount, for providers that charge another currency
// ({amount, charge, exchange_rate}); null when it charges the amount as it is.
export async function quote(provider, amountText, currency) {
  if (!provider.charge_currency) return null;
  const params = new URLSearchParams({ provider: provider.name, amount: amountText, currency });
  const reply = await api('GET', `/api/payments/quote?${params}`);
  return reply.exchange_rate ? reply : null;
}

export function quoteText(q) {
  return `You pay ${formatMoney(q.charge)} (1 ${q.amount.currency} = ${q.exchange_rate} ${q.charge.currency}).`;
}

const pendingKeys = new Map(); // request -> Idempotency-Key, until it has an answer

// POSTs a deposit request; goes to the provider's page when there is one, otherwise returns
// the deposit (bank instructions).
export async function startPayment(path, body) {
  const request = `${path} ${JSON.stringify(body)}`;
  if (!pendingKeys.has(request)) pendingKeys.set(request, randomUuid());
  try {
    const reply = await api('POST', path, body, { 'Idempotency-Key': pendingKeys.get(request) });
    pendingKeys.delete(request);
    if (reply.deposit.redirect_url) location.assign(reply.deposit.redirect_url);
    return reply.deposit;
  } catch (error) {
    if (error.status !== 0 && error.status < 500) pendingKeys.delete(request);
    throw error;
  }
}

const STATUS_TEXT = {
  pending: 'Waiting for the payment to be confirmed…',
  posted: 'Paid.',
  voided: 'This payment did not go through.',
  refunded: 'This payment was refunded.',
  disputed: 'This payment is disputed.',
};

export function statusText(deposit) {
  return STATUS_TEXT[deposit.status] || deposit.status;
}

// Bank transfer details a buyer needs, with the reference they must write on the transfer.
export function instructionsView(deposit) {
  return el('div', { className: 'instructions' },
    el('p', {}, `Transfer ${formatMoney(deposit.charge)} with the reference `,
      el('strong', { className: 'reference' }, deposit.reference), '.'),
    el('pre', {}, deposit.instructions || ''),
    el('p', { className: 'hint' }, 'Your payment is credited once the transfer is confirmed.'));
}

// Wakes a page waiting on deposit `id` when the server says it changed (GET /api/me/events,
// sql/0019; EventSource reconnects by itself). wait(ms) resolves on such an event or after ms;
// an event heard while nobody waited makes the next wait return at once.
function depositEvents(id) {
  let wake = null;
  let heard = false;
  let live = false;
  const source = typeof EventSource === 'function' ? new EventSource('/api/me/events') : null;
  source?.addEventListener('ready', () => { live = true; });
  source?.addEventListener('error', () => { live = false; });
  source?.addEventListener('deposit', (event) => {
    let ours = false;
    try { ours = JSON.parse(event.data).id === id; } catch { /* not an event of ours */ }
    if (!ours) return;
    if (wake) wake(); else heard = true;
  });
  return {
    get live() { return live; },
    wait(ms) {
      if (heard) { heard = false; return Promise.resolve(); }
      return new Promise((resolve) => {
        const timer = setTimeout(() => { wake = null; resolve(); }, ms);
        wake = () => { clearTimeout(timer); wake = null; resolve(); };
      });
    },
    close() { source?.close(); },
  };
}

// Checks, then follows /api/wallet/deposits/{id} until it settles (or `maxMs` passes); calls
// onUpdate with each state. Returns the last one. The server tells an open page when the deposit
// changes, so while that stream is live the page asks only now and then (a provider's
// notification can be late; the first check asks the provider itself); a bank transfer waits
// for the admin and is not polled at all.
export async function followDeposit(id, onUpdate, { intervalMs = 1500, maxMs = 10 * 60 * 1000 } = {}) {
  const started = Date.now();
  const path = `/api/wallet/deposits/${encodeURIComponent(id)}`;
  const events = depositEvents(id);
  try {
    // First ask the server to check with the provider now (PayPal is captured here), then watch.
    let first = true;
    for (;;) {
      const { deposit } = first ? await api('POST', `${path}/check`, {}) : await api('GET', path);
      first = false;
      onUpdate(deposit);
      const left = maxMs - (Date.now() - started);
      if (deposit.status !== 'pending' || left <= 0) return deposit;
      const pause = deposit.provider === 'bank' ? left : events.live ? intervalMs * 10 : intervalMs;
      await events.wait(Math.min(pause, left));
    }
  } finally {
    events.close();
  }
}

// The status line a return page shows for a deposit.
export function depositStatusView(deposit, cancelled) {
  const kind = deposit.status === 'posted' ? 'ok' : deposit.status === 'pending' ? 'pending' : 'error';
  const lines = [el('strong', {}, cancelled && deposit.status === 'pending'
    ? 'You left the payment page without paying.' : statusText(deposit))];
  if (deposit.status_reason && deposit.status !== 'pending') lines.push(' ', deposit.status_reason);
  const view = el('div', { className: `payment-status ${kind}`, dataset: { status: deposit.status } },
    el('p', {}, ...lines),
    el('p', { className: 'hint' }, `${formatMoney(deposit.amount)} · ${formatDate(deposit.created_at)}`));
  if (deposit.provider === 'bank' && deposit.status === 'pending') view.append(instructionsView(deposit));
  return view;
}
