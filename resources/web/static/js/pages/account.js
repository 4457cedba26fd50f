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
