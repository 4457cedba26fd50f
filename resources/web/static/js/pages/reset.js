import { api, handleForm } from '../api.js';
import { renderHeader } from '../header.js';

renderHeader();
// The token travels in the fragment (#token=...) so it never reaches server logs or Referer.
const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
const form = document.getElementById('reset-form');
handleForm(form, async (data) => {
  if (!token) throw new Error('This page needs the link from the reset mail.');
  if (data.get('new_password') !== data.get('repeat')) throw new Error('The two passwords differ.');
  const reply = await api('POST', '/api/auth/reset', { token, new_password: data.get('new_password') });
  history.replaceState(null, '', '/reset');
  form.querySelector('button[type=submit]').hidden = true;
  return reply.message;
});
