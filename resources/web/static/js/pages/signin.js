import { api, handleForm, nextPath } from '../api.js';
import { renderHeader } from '../header.js';

renderHeader();
handleForm(document.getElementById('signin-form'), async (data) => {
  await api('POST', '/api/auth/login', {
    login: data.get('login'),
    password: data.get('password'),
  });
  location.href = nextPath('/');
});
