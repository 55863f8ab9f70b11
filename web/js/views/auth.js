// Log in (username or e-mail) and sign up.
import { api, ApiError } from '../api.js';
import { clearFormErrors, formErrors } from '../components.js';
import { h, withBusy } from '../dom.js';
import { setLoggedIn } from '../session.js';

function field({ name, label, type = 'text', autocomplete, hint, required = true, minlength, maxlength }) {
  const id = `field-${name}`;
  const input = h('input', { id, name, type, autocomplete, required, minlength, maxlength,
    'aria-describedby': hint ? `${id}-hint` : null });
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

function page(title, form, footer) {
  return h('section', { class: 'panel auth' }, h('h1', {}, title), form, h('p', { class: 'auth-switch' }, footer));
}

export function loginView({ main, go }) {
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h('form', { class: 'form', novalidate: true },
    // The API takes either field; one box for both, as people expect (SPEC §3.3).
    field({ name: 'username', label: 'Username or email', autocomplete: 'username' }),
    field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' }),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const login = form.elements.username.value.trim();
    const password = form.elements.password.value;
    const missing = {};
    if (!login) missing.username = ['Enter your username or email.'];
    if (!password) missing.password = ['Enter your password.'];
    if (Object.keys(missing).length) {
      formErrors(form, new ApiError('Please fill in the highlighted fields.', { fields: missing }));
      return;
    }
    try {
      const answer = await withBusy(submit, () => api.login(login, password));
      await setLoggedIn(answer.user);
      go('#/');
    } catch (err) {
      formErrors(form, err);
    }
  });
  main.append(page('Log in to chirp', form, ['New here? ', h('a', { href: '#/signup' }, 'Create an account')]));
  form.elements.username.focus();
}

export function signupView({ main, go }) {
  const submit = h('button', { type: 'submit' }, 'Sign up');
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'username', label: 'Username', autocomplete: 'username', hint: '6–20 letters, digits or _', minlength: 6, maxlength: 20 }),
    field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'email' }),
    field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', hint: '6–20 characters', minlength: 6, maxlength: 20 }),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const { username, email, password } = form.elements;
    try {
      const answer = await withBusy(submit, () => api.signup(username.value.trim(), email.value.trim(), password.value));
      await setLoggedIn(answer.user);
      go('#/');
    } catch (err) {
      formErrors(form, err);
    }
  });
  main.append(page('Join chirp', form, ['Already have an account? ', h('a', { href: '#/login' }, 'Log in')]));
  form.elements.username.focus();
}
