import { renderHeader } from '../header.js';

const user = await renderHeader();
if (user) {
  document.getElementById('greeting').textContent = `Welcome back, ${user.username}.`;
  const links = document.getElementById('welcome-links');
  links.replaceChildren();
  const account = document.createElement('a');
  account.href = '/account';
  account.textContent = 'Your account';
  links.append(account);
}
