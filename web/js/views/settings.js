// Edit your own nickname and avatar (PATCH /api/profiles/{id}/, multipart for the file).
import { api } from '../api.js';
import { avatar, clearFormErrors, formErrors } from '../components.js';
import { clear, h, showMessage, withBusy } from '../dom.js';
import { session, updateOwnProfile } from '../session.js';

export async function settingsView({ main }) {
  const id = session.user.id;
  const profile = session.profile || await api.profile(id);
  const nickname = h('input', { id: 'nickname', name: 'nickname', maxlength: 200, autocomplete: 'nickname' });
  nickname.value = profile.nickname || '';
  const file = h('input', { id: 'avatar', name: 'avatar', type: 'file', class: 'visually-hidden',
    accept: 'image/jpeg,image/png,image/gif,image/webp' });
  const preview = h('div', { class: 'avatar-preview' }, avatar(profile.user, 'lg'));
  let previewUrl = null;
  file.addEventListener('change', () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    const chosen = file.files[0];
    previewUrl = chosen ? URL.createObjectURL(chosen) : null;
    clear(preview).append(chosen
      ? h('img', { class: 'avatar avatar-lg', src: previewUrl, alt: `Preview of your new avatar (${chosen.name})` })
      : avatar(profile.user, 'lg'));
  });
  const submit = h('button', { type: 'submit' }, 'Save profile');
  const form = h('form', { class: 'form panel', novalidate: true },
    h('h1', {}, 'Edit profile'),
    h('div', { class: 'field', dataset: { field: 'nickname' } },
      h('label', { for: 'nickname' }, 'Nickname'), nickname,
      h('p', { class: 'hint' }, 'Shown instead of your username; up to 200 characters; may be empty.')),
    h('div', { class: 'field', dataset: { field: 'avatar' } },
      h('span', { class: 'label' }, 'Avatar'),
      h('div', { class: 'form-row' }, preview,
        h('span', { class: 'file-picker' }, file, h('label', { for: 'avatar', class: 'button secondary' }, 'Choose a picture'))),
      h('p', { class: 'hint' }, 'JPEG, PNG, GIF or WebP, at most 5 MiB.')),
    h('div', { class: 'form-row' }, h('a', { href: `#/users/${id}` }, 'Back to your profile'), h('span', { class: 'spacer' }), submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = new FormData();
    body.append('nickname', nickname.value.trim());
    if (file.files[0]) body.append('avatar', file.files[0], file.files[0].name);
    try {
      const answer = await withBusy(submit, () => api.updateProfile(id, body));
      updateOwnProfile({ nickname: answer.nickname, avatar_url: answer.avatar_url });
      file.value = '';
      showMessage('Profile saved.', 'info');
    } catch (err) {
      formErrors(form, err);
    }
  });
  main.append(form);
  nickname.focus();
}
