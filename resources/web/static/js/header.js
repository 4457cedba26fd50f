// Fills the page header: the display-currency selector, then the signed-in user's links
// (or sign-in links). Exposes the user.
import { api } from './api.js';
import { displayCurrency, setDisplayCurrency } from './money.js';

export async function currentUser() {
  try {
    const me = await api('GET', '/api/me');
    return me.user;
  } catch {
    return null;
  }
}

let platformReply;
// GET /api/platform, once per page; null when the server does not answer.
export function platform() {
  platformReply ??= api('GET', '/api/platform').catch(() => null);
  return platformReply;
}

// The selector offers the platform's display currencies; the first one is the default.
async function currencySelector() {
  const info = await platform();
  const codes = (info?.display_currencies || []).map((c) => c.code);
  if (codes.length === 0) return null;
  if (!codes.includes(displayCurrency())) setDisplayCurrency(codes[0]);
  const select = document.createElement('select');
  select.className = 'currency';
  select.setAttribute('aria-label', 'Display currency');
  for (const code of codes) select.append(new Option(code, code, false, code === displayCurrency()));
  select.addEventListener('change', () => setDisplayCurrency(select.value));
  return select;
}

export async function renderHeader() {
  const nav = document.querySelector('header.site nav');
  const [user, selector] = await Promise.all([currentUser(), currencySelector()]);
  nav.replaceChildren();
  const link = (href, text) => {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    if (location.pathname === href) a.setAttribute('aria-current', 'page');
    nav.append(a);
    return a;
  };
  if (user) {
    link('/wallet', 'Wallet');
    link('/affiliate', 'Affiliate');
    link('/account', user.username).dataset.testid = 'signed-in-user';
  }
  if (selector) nav.append(selector);
  if (user) {
    const out = document.createElement('button');
    out.className = 'secondary';
    out.type = 'button';
    out.textContent = 'Sign out';
    out.addEventListener('click', async () => {
      await api('POST', '/api/auth/logout');
      location.href = '/';
    });
    nav.append(out);
  } else {
    link('/signin', 'Sign in');
    link('/signup', 'Create account');
  }
  return user;
}
