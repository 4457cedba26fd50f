import { api, handleForm } from '../api.js';
import { renderHeader } from '../header.js';

renderHeader();
handleForm(document.getElementById('forgot-form'), async (data) => {
  const reply = await api('POST', '/api/auth/forgot', { email: data.get('email') });
  return reply.message;
});
