import { api, handleForm } from '../api.js';
import { renderHeader } from '../header.js';

const user = await renderHeader();
if (!user) location.href = '/signin?next=/account';

function showUser(u) {
  document.getElementById('username').textContent = u.username;
  document.getElementById('email').textContent = u.email;
  const roles = document.getElementById('roles');
  roles.replaceChildren(...u.roles.map((role) => {
    const span = document.createElement('span');
    span.textContent = role;
    return span;
  }));
  document.getElementById('become-creator').hidden = u.roles.includes('creator');
  if (u.roles.includes('creator')) showProfileForm(u);
}

const MAX_LINKS = 5;

function linkRow(link = {}) {
  const row = document.createElement('div');
  row.className = 'link-row';
  const label = Object.assign(document.createElement('input'), { name: 'link_label', placeholder: 'Label', maxLength: 40, value: link.label || '' });
  const url = Object.assign(document.createElement('input'), { name: 'link_url', placeholder: 'https://…', type: 'url', maxLength: 300, value: link.url || '' });
  label.setAttribute('aria-label', 'Link label');
  url.setAttribute('aria-label', 'Link address');
  row.append(label, url);
  return row;
}

let profileWired = false;
async function showProfileForm(u) {
  const form = document.getElementById('profile-form');
  form.hidden = false;
  const link = document.getElementById('profile-link');
  link.href = `/c/${encodeURIComponent(u.username)}`;
  link.textContent = `your creator page`;
  const { profile } = await api('GET', '/api/me/profile');
  form.elements.display_name.value = profile.display_name;
  form.elements.bio.value = profile.bio;
  const links = document.getElementById('profile-links');
  const rows = [...profile.links];
  while (rows.length < MAX_LINKS) rows.push({});
  links.replaceChildren(links.querySelector('legend') || '', ...rows.map(linkRow));
  if (profileWired) return;
  profileWired = true;
  handleForm(form, async (data) => {
    const labels = data.getAll('link_label');
    const urls = data.getAll('link_url');
    const body = {
      display_name: data.get('display_name').trim(),
      bio: data.get('bio'),
      links: urls.map((url, i) => ({ label: labels[i].trim(), url: url.trim() })).filter((l) => l.url),
    };
    await api('PUT', '/api/me/profile', body);
    return 'Saved. Your creator page shows it now.';
  });
}

async function showTokens() {
  const { tokens } = await api('GET', '/api/auth/tokens');
  const body = document.querySelector('#tokens tbody');
  body.replaceChildren(...tokens.map((t) => {
    const row = document.createElement('tr');
    const label = document.createElement('td');
    label.textContent = t.label;
    const seen = document.createElement('td');
    seen.textContent = `last used ${new Date(t.last_seen_at).toLocaleString()}`;
    const action = document.createElement('td');
    const remove = document.createElement('button');
    remove.className = 'secondary';
    remove.textContent = 'Sign out';
    remove.addEventListener('click', async () => {
      await api('DELETE', `/api/auth/tokens/${t.id}`);
      showTokens();
    });
    action.append(remove);
    row.append(label, seen, action);
    return row;
  }));
  document.getElementById('no-tokens').hidden = tokens.length > 0;
}

if (user) {
  showUser(user);
  showTokens();
  document.getElementById('become-creator').addEventListener('click', async () => {
    const reply = await api('POST', '/api/me/creator');
    showUser(reply.user);
  });
  handleForm(document.getElementById('password-form'), async (data) => {
    const reply = await api('POST', '/api/auth/password', {
      current_password: data.get('current_password'),
      new_password: data.get('new_password'),
    });
    return reply.message;
  });
}
