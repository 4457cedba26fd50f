// Showing money on the pages. The server sends Money as {amount_minor, currency, formatted};
// converted prices (display only, approximate) come in a video's display_prices. The viewer's
// display currency is kept in localStorage and changed from the header's selector.

const STORAGE_KEY = 'rg_display_currency';
export const CURRENCY_EVENT = 'rg:display-currency';

// Exact decimal text from integer minor units (Intl formats decimal strings without rounding
// through floating point).
function decimalText(amountMinor, digits) {
  const negative = amountMinor < 0;
  const digitsText = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const whole = digitsText.slice(0, digitsText.length - digits);
  const fraction = digits > 0 ? `.${digitsText.slice(-digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

// Money is written one way on every page: "4.99 USD" (amount with the currency's decimals, then
// the ISO code), as the server's `formatted` field writes it. locale: kept for callers; the
// digits come from the currency, never from floating point.
export function formatMoney(money, locale = undefined) {
  if (!money) return '';
  if (money.formatted) return money.formatted;
  let digits = 2;
  try {
    digits = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency })
      .resolvedOptions().maximumFractionDigits;
  } catch {
    // An unknown code: two decimals, as most currencies have.
  }
  return `${decimalText(money.amount_minor, digits)} ${money.currency}`;
}

export function displayCurrency() {
  try {
    return localStorage.getItem(STORAGE_KEY) || '';
  } catch {
    return '';
  }
}

export function setDisplayCurrency(code) {
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  window.dispatchEvent(new CustomEvent(CURRENCY_EVENT, { detail: code }));
}

// The video's price in the chosen display currency: {money, converted}; the original price
// when that currency is the video's own, none is chosen, or the server has no rate for it.
export function priceInDisplayCurrency(video) {
  const code = displayCurrency();
  if (!code || code === video.price.currency) return { money: video.price, converted: false };
  const match = (video.display_prices || []).find((p) => p.currency === code);
  return match ? { money: match, converted: true } : { money: video.price, converted: false };
}
