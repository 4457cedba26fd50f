import { api, handleForm, nextPath } from '../api.js';
import { renderHeader } from '../header.js';

renderHeader();
handleForm(document.getElementById('signup-form'), async (data) => {
  await api('POST', '/api/auth/register', {
    username: data.get('username'),
    email: data.get('email'),
    password: data.get('password'),
  });
  location.href = nextPath('/');
});
