// Fills the page header with the signed-in user (or sign-in links). Exposes the user.
import { api } from './api.js';

export async function currentUser() {
  try {
    const me = await api('GET', '/api/me');
    return me.user;
  } catch {
    return null;
  }
}

export async function renderHeader() {
  const nav = document.querySelector('header.site nav');
  const user = await currentUser();
  nav.replaceChildren();
  const link = (href, text) => {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    nav.append(a);
    return a;
  };
  if (user) {
    link('/account', user.username).dataset.testid = 'signed-in-user';
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
