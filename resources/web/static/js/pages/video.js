// /v/{id}: poster, description, price, and buying: with the wallet, or paying at checkout
// through an enabled provider (?deposit=ID after returning from the provider's page).
import { api, randomUuid } from '../api.js';
import { clearMessage, el, formatDuration, showMessage } from '../dom.js';
import { platform, renderHeader } from '../header.js';
import { siteText } from '../siteText.js';
import { CURRENCY_EVENT, formatMoney, priceInDisplayCurrency } from '../money.js';
import {
  depositStatusView, followDeposit, instructionsView, paymentProviders, quote, quoteText, startPayment,
} from '../payments.js';
import { confirmView } from '../buyConfirm.js';
import { previewMedia, previewView } from '../previewPlayer.js';

const videoId = location.pathname.split('/')[2];
const buyMessage = document.getElementById('buy-message');
let video;
let user;
let balance = null; // wallet balance in the video's currency, when signed in
let purchaseKey = null; // reused when a purchase attempt may not have reached the server
let preview = null; // the free preview's media, when the video has one
let youGet = []; // what the buyer gets, in lines (shown on the page and when confirming)
let refundLine = null; // the admin's refund policy, first paragraph

function showPrice() {
  document.getElementById('price').textContent = formatMoney(video.price);
  const { money, converted } = priceInDisplayCurrency(video);
  document.getElementById('price-converted').textContent =
    converted ? `≈ ${formatMoney(money)}` : '';
}

function balanceLine() {
  if (!user || balance === null) return null;
  return el('p', { className: 'hint balance' }, 'Wallet balance: ',
    el('span', { id: 'balance' }, formatMoney(balance)), ' · ',
    el('a', { href: '/wallet' }, 'Wallet'));
}

function watchLink() {
  return el('a', { className: 'button', id: 'watch', href: `/watch/${videoId}` }, 'Watch');
}

function showActions() {
  const actions = document.getElementById('actions');
  const viewer = video.viewer || {};
  document.getElementById('pay-with').hidden = true;
  document.getElementById('you-get').hidden = false;
  if (!user) {
    const next = encodeURIComponent(location.pathname);
    actions.replaceChildren(
      el('a', { className: 'button', href: `/signin?next=${next}` }, 'Sign in to buy'),
      el('p', { className: 'hint' }, 'No account yet? ',
        el('a', { href: `/signup?next=${next}` }, 'Create one'), '.'));
    return;
  }
  if (viewer.can_watch) {
    const state = viewer.is_creator ? 'This is your video.'
      : viewer.owned ? 'You own this video.' : 'You can watch this video.';
    actions.replaceChildren(el('p', { className: 'owned', id: 'owned' }, state), watchLink(),
      viewer.is_creator ? null : el('a', { href: '/library', id: 'library-link' }, 'Open your library'),
      balanceLine());
    return;
  }
  const short = balance !== null && balance.amount_minor < video.price.amount_minor;
  const buy = el('button', { type: 'button', id: 'buy', className: short ? 'secondary' : '' },
    `Buy for ${formatMoney(video.price)}`);
  buy.addEventListener('click', () => askToConfirm(buy));
  actions.replaceChildren(walletSummary(short), buy, balanceLine());
  showPaymentPanel();
}

// Before the charge, in words: what the wallet pays and what is left after.
function walletSummary(short) {
  if (balance === null) return el('p', { className: 'hint', id: 'buy-summary' }, 'Paid from your Reelgate wallet.');
  if (short) {
    return el('p', { className: 'hint', id: 'buy-summary' },
      `Your wallet has ${formatMoney(balance)}: not enough for this video.`);
  }
  const after = { amount_minor: balance.amount_minor - video.price.amount_minor, currency: balance.currency };
  return el('p', { className: 'hint', id: 'buy-summary' },
    `Paid from your wallet, which keeps ${formatMoney(after)} after. One payment, no subscription.`);
}

// Paying at checkout: one button per enabled provider (none: the panel stays hidden).
async function showPaymentPanel() {
  const panel = document.getElementById('pay-with');
  const providers = await paymentProviders();
  if (providers.length === 0 || video.viewer?.can_watch || video.price.amount_minor === 0) {
    panel.hidden = true;
    return;
  }
  const buttons = await Promise.all(providers.map(async (provider) => {
    const button = el('button', { type: 'button', className: 'secondary', dataset: { provider: provider.name } },
      provider.redirects ? `Pay with ${provider.label}` : `Pay by ${provider.label.toLowerCase()}`);
    button.addEventListener('click', () => payAtCheckout(provider, button));
    // A provider that charges another currency says how much before the buyer leaves.
    const amount = video.price.formatted?.split(' ')[0];
    const q = amount ? await quote(provider, amount, video.price.currency).catch(() => null) : null;
    return q ? el('div', { className: 'pay-option' }, button, el('p', { className: 'hint' }, quoteText(q))) : button;
  }));
  panel.replaceChildren(el('p', { className: 'hint' }, 'Or pay for this video directly:'), ...buttons,
    el('div', { id: 'pay-details' }));
  panel.hidden = false;
}

async function payAtCheckout(provider, button) {
  clearMessage(buyMessage);
  button.disabled = true;
  try {
    const deposit = await startPayment(`/api/videos/${videoId}/checkout`, { provider: provider.name });
    if (!deposit.redirect_url) {
      document.getElementById('pay-details').replaceChildren(instructionsView(deposit));
      button.disabled = false;
      // The page unlocks by itself once the transfer is confirmed.
      showOwnedOnceSettled(await followDeposit(deposit.id, () => {}));
    }
  } catch (error) {
    showMessage(buyMessage, 'error', ...explain(error));
    button.disabled = false;
  }
}

// Back from a provider's page: follow the payment until it settles, then show the video as owned.
async function followReturn() {
  const params = new URLSearchParams(location.search);
  const depositId = params.get('deposit');
  if (!depositId || !user) return;
  const status = document.getElementById('payment-status');
  const last = await followDeposit(depositId, (deposit) => {
    status.replaceChildren(depositStatusView(deposit, params.has('cancelled')));
  });
  await showOwnedOnceSettled(last);
}

async function showOwnedOnceSettled(deposit) {
  if (deposit.status !== 'posted') return;
  video = (await api('GET', `/api/videos/${videoId}`)).video;
  await loadBalance();
  showActions();
  showPoster();
}

function explain(error) {
  switch (error.code) {
    case 'insufficient_funds':
      return ['Your wallet does not have enough money for this video. ',
        el('a', { href: '/wallet' }, 'Open your wallet')];
    case 'already_owned':
      return ['You already own this video.'];
    case 'own_video':
      return ['This is your own video; you can watch it without buying.'];
    case 'not_published':
    case 'not_found':
      return ['This video is no longer for sale.'];
    case 'unauthorized':
      return ['You are signed out. ', el('a', { href: `/signin?next=${location.pathname}` }, 'Sign in again')];
    default:
      return [error.message];
  }
}

// Buy leads to the confirmation; the wallet is read again first (another tab may have paid).
async function askToConfirm(button) {
  clearMessage(buyMessage);
  button.disabled = true;
  if (user) await loadBalance();
  if (balance !== null && balance.amount_minor < video.price.amount_minor) {
    showActions();
    showMessage(buyMessage, 'error', ...explain({ code: 'insufficient_funds' }));
    return;
  }
  const { panel, focus } = confirmView({
    price: video.price, balance, gets: [...youGet, refundLine].filter(Boolean), onPay: purchase, onCancel: showActions,
  });
  document.getElementById('actions').replaceChildren(panel);
  document.getElementById('pay-with').hidden = true;
  document.getElementById('you-get').hidden = true; // the panel says it once
  focus();
}

async function purchase(button) {
  clearMessage(buyMessage);
  button.disabled = true;
  purchaseKey ??= randomUuid();
  try {
    const reply = await api('POST', `/api/videos/${videoId}/purchase`, {},
      { 'Idempotency-Key': purchaseKey });
    purchaseKey = null;
    balance = reply.balance;
    video.viewer = { ...video.viewer, owned: true, can_watch: true };
    showActions();
    showPoster();
    showMessage(buyMessage, 'ok', `Bought for ${formatMoney(reply.purchase.price)}. It is in your `,
      el('a', { href: '/library' }, 'Library'), ' whenever you come back. Enjoy the film!');
  } catch (error) {
    // Without an answer (network) or on a server failure the purchase may have happened:
    // the next click retries with the same key, so it cannot be charged twice.
    if (error.status !== 0 && error.status < 500) purchaseKey = null;
    showMessage(buyMessage, 'error', ...explain(error));
    if (error.code === 'already_owned') {
      video.viewer = { ...video.viewer, owned: true, can_watch: true };
      showActions();
    } else {
      button.disabled = false;
    }
  }
}

// The poster leads to the player once the viewer may watch.
function showPoster() {
  const image = video.poster_url
    ? el('img', { src: video.poster_url, alt: `Poster of ${video.title}` })
    : el('div', { className: 'poster none', 'aria-hidden': 'true' }, video.viewer?.can_watch ? '▶' : [...video.title][0]);
  const poster = document.getElementById('poster');
  if (video.viewer?.can_watch) {
    poster.replaceChildren(el('a', { href: `/watch/${videoId}`, 'aria-label': `Watch ${video.title}` }, image));
  } else if (preview) {
    if (!document.getElementById('preview')) poster.replaceChildren(previewView(preview, video.title));
  } else {
    poster.replaceChildren(image);
  }
}

function showReferral() {
  const referrer = document.body.dataset.referrer;
  const notice = document.getElementById('referral');
  const counts = referrer && video.affiliate_bps > 0 && referrer !== video.creator
    && referrer !== user?.username && !video.viewer?.can_watch;
  notice.hidden = !counts;
  if (counts) notice.textContent = `You came through ${referrer}'s link; they earn a commission.`;
}

// What the buyer gets, said before paying; the refund policy is the admin's text.
async function showWhatYouGet() {
  const list = document.getElementById('you-get');
  const info = await platform();
  const screens = info?.max_streams_per_user || 2;
  youGet = [
    video.duration_ms ? `${formatDuration(video.duration_ms)} long, yours to watch again whenever you like` : 'Yours to watch again whenever you like',
    video.best_quality ? `Up to ${video.best_quality} quality` : null,
    `Streaming in your browser (no download), on up to ${screens} screen${screens === 1 ? '' : 's'} at once`,
    'A personal watermark with your username moves over the picture',
  ].filter(Boolean);
  list.replaceChildren(...youGet.map((text, i) => el('li', { id: i === 1 && video.best_quality ? 'best-quality' : undefined }, text)));
  const refund = await siteText('refund_policy').catch(() => null);
  if (!refund) return;
  refundLine = `${refund.title}: ${refund.body.split(/\n{2,}/)[0]}`;
  list.append(el('li', { id: 'refund-policy' }, refundLine));
}

async function loadBalance() {
  try {
    const wallet = await api('GET', '/api/wallet');
    balance = wallet.balances.find((b) => b.currency === video.price.currency)
      || { amount_minor: 0, currency: video.price.currency };
  } catch {
    balance = null; // the page still works without it
  }
}

function showVideo() {
  document.title = `${video.title} · Reelgate`;
  document.getElementById('title').textContent = video.title;
  const byline = document.getElementById('byline');
  byline.replaceChildren('by ', el('a', { href: `/c/${encodeURIComponent(video.creator)}`, id: 'creator-link' }, video.creator));
  if (video.duration_ms) byline.append(` · ${formatDuration(video.duration_ms)}`);
  showWhatYouGet();
  showPoster();
  const description = document.getElementById('description');
  description.replaceChildren(...(video.description || '').split(/\n{2,}/)
    .filter((p) => p.trim()).map((p) => el('p', {}, p)));
  showPrice();
  showReferral();
  showActions();
  document.getElementById('video').hidden = false;
}

user = await renderHeader();
try {
  video = (await api('GET', `/api/videos/${videoId}`)).video;
  preview = await previewMedia(videoId);
  if (user) await loadBalance();
  showVideo();
  window.addEventListener(CURRENCY_EVENT, showPrice);
  followReturn().catch((error) => showMessage(buyMessage, 'error', error.message));
} catch (error) {
  const text = error.status === 404 ? 'There is no video here. It may have been unpublished.' : error.message;
  showMessage(document.getElementById('load-error'), 'error', text, ' ',
    el('a', { href: '/' }, 'Back to the catalog'));
}
