// /signup: every field's problem is shown at once, next to the field (checked here with the
// server's rules; the server's own answer lands next to the field it names).
import { api, nextPath } from '../api.js';
import { clearMessage, showMessage } from '../dom.js';
import { renderHeader, rememberWelcome } from '../header.js';

const form = document.getElementById('signup-form');
const message = form.querySelector('.message');
const button = form.querySelector('button[type=submit]');
const FIELDS = ['username', 'email', 'password'];

function problems(data) {
  const found = {};
  const username = data.get('username');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/.test(username)) {
    found.username = username ? 'Use 3 to 32 letters, digits, “_”, “.” or “-”, starting with a letter or digit.'
      : 'Choose a username.';
  }
  const email = data.get('email');
  if (!/^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/.test(email)) {
    found.email = email ? 'That does not look like an email address.' : 'Enter your email address.';
  }
  if ([...data.get('password')].length < 10) found.password = 'Choose a password of at least 10 characters.';
  return found;
}

function show(found) {
  for (const name of FIELDS) {
    const error = document.getElementById(`${name}-error`);
    error.textContent = found[name] || '';
    form.elements[name].setAttribute('aria-invalid', found[name] ? 'true' : 'false');
  }
  const first = FIELDS.find((name) => found[name]);
  if (first) form.elements[first].focus();
}

// The server's error code names the field it is about.
function fieldOf(code) {
  if (code.startsWith('username') || code === 'invalid_username') return 'username';
  if (code.startsWith('email') || code === 'invalid_email') return 'email';
  if (code.includes('password')) return 'password';
  return null;
}

renderHeader();
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessage(message);
  const data = new FormData(form);
  const found = problems(data);
  show(found);
  if (Object.keys(found).length > 0) return;
  button.disabled = true;
  try {
    const reply = await api('POST', '/api/auth/register', {
      username: data.get('username'), email: data.get('email'), password: data.get('password'),
    });
    rememberWelcome(reply.user?.username || data.get('username'));
    location.href = nextPath('/');
  } catch (error) {
    const field = fieldOf(error.code || '');
    if (field) show({ [field]: error.message });
    else showMessage(message, 'error', error.message);
    button.disabled = false;
  }
});
