// Fills the page header: the display-currency selector, then the signed-in user's links
// (or sign-in links). On a phone the links fold behind the menu button. Exposes the user.
import { api } from './api.js';
import { displayCurrency, setDisplayCurrency } from './money.js';

const WELCOME_KEY = 'rg_welcome'; // set by the sign-up page for the next page

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

function wireMenu(nav) {
  const button = document.getElementById('menu-button');
  if (!button || button.dataset.wired) return;
  button.dataset.wired = 'yes';
  const header = nav.closest('header');
  const close = () => {
    header.classList.remove('open');
    button.setAttribute('aria-expanded', 'false');
  };
  button.addEventListener('click', () => {
    const open = !header.classList.contains('open');
    header.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
}

// A new account is greeted once, on the page sign-up led to (the home page greets in its own
// words). True when the user has just signed up.
function welcomeNewUser(user) {
  let name = null;
  try {
    name = sessionStorage.getItem(WELCOME_KEY);
    sessionStorage.removeItem(WELCOME_KEY);
  } catch { /* no storage: no greeting */ }
  if (!name || !user || name !== user.username) return false;
  if (document.getElementById('greeting')) return true;
  const banner = document.createElement('p');
  banner.className = 'welcome-banner';
  banner.id = 'welcome-new';
  banner.setAttribute('role', 'status');
  banner.textContent = `Welcome to Reelgate, ${user.username}! Your account is ready. `
    + 'A video you buy stays in your Library.';
  document.querySelector('main')?.prepend(banner);
  return true;
}

export function rememberWelcome(username) {
  try {
    sessionStorage.setItem(WELCOME_KEY, username);
  } catch { /* no storage */ }
}

export async function renderHeader() {
  const nav = document.querySelector('header.site nav');
  wireMenu(nav);
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
  link('/', 'Catalog');
  if (user) {
    link('/library', 'Library');
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
  if (user) user.isNew = welcomeNewUser(user);
  return user;
}
