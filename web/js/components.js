// Pieces shared by the pages: avatars, tweet cards, user rows, endless lists, form errors.
import { api, ApiError } from './api.js';
import { h, append, clear, codePoints, plural, showMessage, timeEl, uniqueId, withBusy } from './dom.js';
import { isMe, session } from './session.js';

export const TWEET_MIN = 6;
export const TWEET_MAX = 140;
export const COMMENT_MAX = 140;

export function displayName(user) {
  return (user && user.nickname) || (user && user.username) || 'unknown';
}

export function avatar(user, size = 'md') {
  if (user && user.avatar_url) {
    return h('img', { class: `avatar avatar-${size}`, src: user.avatar_url, alt: `${displayName(user)}'s avatar` });
  }
  // No picture yet: the first letter of the name (the name itself is next to it, so it is decorative).
  return h('span', { class: `avatar avatar-${size} avatar-empty`, 'aria-hidden': 'true' },
    displayName(user).slice(0, 1).toUpperCase());
}

export function userLink(user) {
  return h('a', { class: 'user-link', href: `#/users/${user.id}` },
    h('span', { class: 'name' }, displayName(user)), ' ',
    h('span', { class: 'handle' }, `@${user.username}`));
}

// A message for a failed action: the field errors of a form are shown by formErrors instead.
export function reportError(err) {
  if (err instanceof ApiError) {
    const fieldText = Object.values(err.fields || {}).flat().join(' ');
    showMessage(fieldText || err.message);
  } else {
    showMessage('Something went wrong in the page. Please reload it.');
    console.error(err);
  }
}

// Shows an ApiError's field errors next to the form's fields (elements with data-field="name"),
// and anything else (a message, an unknown field) at the top of the form. Returns nothing.
export function formErrors(form, err) {
  clearFormErrors(form);
  const general = [];
  if (err instanceof ApiError) {
    const fields = err.fields || {};
    for (const [name, messages] of Object.entries(fields)) {
      const box = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (!box) {
        general.push(...messages);
        continue;
      }
      const id = uniqueId(`error-${name}`);
      box.append(h('p', { class: 'field-error', id }, messages.join(' ')));
      const input = box.querySelector('input, textarea');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
      }
    }
    if (!Object.keys(fields).length) general.push(err.message);
  } else {
    general.push('Something went wrong in the page. Please reload it.');
    console.error(err);
  }
  if (general.length) {
    form.prepend(h('p', { class: 'form-error', role: 'alert' }, general.join(' ')));
  }
  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (firstInvalid) firstInvalid.focus();
}

export function clearFormErrors(form) {
  form.querySelectorAll('.field-error, .form-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.startsWith('error-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  });
}

// A "12/140" counter for a textarea, in code points. onChange(valid) lets a form enable its button.
export function lengthCounter(textarea, { min = 1, max, onChange = () => {} }) {
  const counter = h('span', { class: 'counter', id: uniqueId('counter'), 'aria-live': 'polite' });
  const update = () => {
    const n = codePoints(textarea.value);
    const valid = n >= min && n <= max;
    counter.textContent = n < min && n > 0 ? `${n}/${max} · at least ${min}` : `${n}/${max}`;
    counter.classList.toggle('counter-bad', n > max || (n > 0 && n < min));
    onChange(valid, n);
  };
  textarea.addEventListener('input', update);
  textarea.setAttribute('aria-describedby', counter.id);
  update();
  return { counter, update };
}

// Like/unlike with the count changed at once; on failure both go back.
export function likeButton(target, type) {
  const button = h('button', { type: 'button', class: 'action like-button' });
  const render = () => {
    button.setAttribute('aria-pressed', String(Boolean(target.has_liked)));
    button.setAttribute('aria-label', `${target.has_liked ? 'Unlike' : 'Like'} (${plural(target.likes_count, 'like', 'likes')})`);
    clear(button).append(h('span', { class: 'icon', 'aria-hidden': 'true' }, target.has_liked ? '♥' : '♡'),
      h('span', { class: 'count' }, String(target.likes_count)));
  };
  button.addEventListener('click', async () => {
    if (!session.user) {
      showMessage('Log in to like things.', 'info');
      return;
    }
    const liked = !target.has_liked;
    target.has_liked = liked;
    target.likes_count += liked ? 1 : -1;
    render();
    button.dispatchEvent(new CustomEvent('likechange', { bubbles: true, detail: { liked } }));
    try {
      await withBusy(button, () => (liked ? api.like(type, target.id) : api.unlike(type, target.id)));
    } catch (err) {
      target.has_liked = !liked;
      target.likes_count += liked ? -1 : 1;
      render();
      button.dispatchEvent(new CustomEvent('likechange', { bubbles: true, detail: { liked: !liked } }));
      reportError(err);
    }
    button.focus();
  });
  render();
  return button;
}

// Inline "are you sure" for deletes (keyboard-friendly, no window.confirm).
function confirmDelete(actions, what, onConfirm) {
  const original = [...actions.childNodes];
  const yes = h('button', { type: 'button', class: 'danger' }, `Delete ${what}`);
  const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const restore = () => {
    clear(actions).append(...original);
    original.find((n) => n.classList && n.classList.contains('delete-button'))?.focus();
  };
  no.addEventListener('click', restore);
  yes.addEventListener('click', async () => {
    try {
      await withBusy(yes, onConfirm);
    } catch (err) {
      reportError(err);
      restore();
    }
  });
  clear(actions).append(h('span', { class: 'confirm-text' }, `Delete this ${what}?`), yes, no);
  yes.focus();
}

// An in-place editor for a tweet's or comment's text. save(text) returns the updated object.
function editText(container, textEl, { label, min, max, initial, save, done }) {
  const form = h('form', { class: 'inline-edit' });
  const id = uniqueId('edit');
  const textarea = h('textarea', { id, rows: 3, required: true });
  textarea.value = initial;
  const saveButton = h('button', { type: 'submit' }, 'Save');
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const { counter } = lengthCounter(textarea, { min, max, onChange: (valid) => { saveButton.disabled = !valid; } });
  append(form, [
    h('div', { class: 'field', dataset: { field: 'content' } },
      h('label', { for: id, class: 'visually-hidden' }, label), textarea),
    h('div', { class: 'form-row' }, counter, h('span', { class: 'spacer' }), cancel, saveButton),
  ]);
  const finish = () => {
    form.replaceWith(textEl);
    done();
  };
  cancel.addEventListener('click', finish);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    try {
      await withBusy(saveButton, () => save(textarea.value.trim()));
      finish();
    } catch (err) {
      formErrors(form, err);
    }
  });
  textEl.replaceWith(form);
  textarea.focus();
}

// A tweet: author, text, photos, counts and actions. onDelete(tweet) is called after a delete.
export function tweetCard(tweet, { onDelete = () => {}, link = true } = {}) {
  const article = h('article', { class: 'tweet', dataset: { tweetId: tweet.id }, 'aria-label': `Tweet by ${displayName(tweet.user)}` });
  const content = h('p', { class: 'content' }, tweet.content);
  const edited = tweet.updated_at && tweet.updated_at !== tweet.created_at;
  const when = link ? h('a', { class: 'time-link', href: `#/tweets/${tweet.id}` }, timeEl(tweet.created_at)) : timeEl(tweet.created_at);
  const editedMark = h('span', { class: 'edited', hidden: !edited }, ' · edited');
  const photos = tweet.photo_urls && tweet.photo_urls.length
    ? h('div', { class: `photos photos-${Math.min(tweet.photo_urls.length, 4)}` },
      tweet.photo_urls.map((url, i) => h('a', { href: url, target: '_blank', rel: 'noopener' },
        h('img', { src: url, loading: 'lazy', alt: `Photo ${i + 1} of ${tweet.photo_urls.length} by ${displayName(tweet.user)}` }))))
    : null;
  const comments = h('a', { class: 'action', href: `#/tweets/${tweet.id}`, 'aria-label': `${plural(tweet.comments_count, 'comment', 'comments')}, open the tweet` },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, '💬'), h('span', { class: 'count' }, String(tweet.comments_count)));
  const actions = h('div', { class: 'actions' }, comments, likeButton(tweet, 'tweet'));
  if (isMe(tweet.user)) {
    const editButton = h('button', { type: 'button', class: 'action edit-button' }, 'Edit');
    const deleteButton = h('button', { type: 'button', class: 'action delete-button' }, 'Delete');
    editButton.addEventListener('click', () => {
      editButton.disabled = true;
      editText(article, content, {
        label: 'Edit your tweet', min: TWEET_MIN, max: TWEET_MAX, initial: tweet.content,
        save: async (text) => {
          const updated = await api.editTweet(tweet.id, text);
          tweet.content = updated.content;
          tweet.updated_at = updated.updated_at;
          content.textContent = updated.content;
          editedMark.hidden = updated.updated_at === updated.created_at;
        },
        done: () => { editButton.disabled = false; editButton.focus(); },
      });
    });
    deleteButton.addEventListener('click', () => confirmDelete(actions, 'tweet', async () => {
      await api.deleteTweet(tweet.id);
      article.remove();
      onDelete(tweet);
      showMessage('Tweet deleted.', 'info');
    }));
    actions.append(h('span', { class: 'spacer' }), editButton, deleteButton);
  }
  append(article, [
    h('a', { href: `#/users/${tweet.user.id}`, class: 'avatar-link', tabindex: '-1', 'aria-hidden': 'true' }, avatar(tweet.user)),
    h('div', { class: 'tweet-body' },
      h('header', { class: 'tweet-head' }, userLink(tweet.user), h('span', { class: 'dot', 'aria-hidden': 'true' }, ' · '), when, editedMark),
      content, photos, actions),
  ]);
  return article;
}

// A comment under a tweet; onDelete after it is deleted.
export function commentItem(comment, { onDelete = () => {} } = {}) {
  const item = h('li', { class: 'comment', dataset: { commentId: comment.id } });
  const content = h('p', { class: 'content' }, comment.content);
  const editedMark = h('span', { class: 'edited', hidden: comment.updated_at === comment.created_at }, ' · edited');
  const actions = h('div', { class: 'actions' }, likeButton(comment, 'comment'));
  if (isMe(comment.user)) {
    const editButton = h('button', { type: 'button', class: 'action edit-button' }, 'Edit');
    const deleteButton = h('button', { type: 'button', class: 'action delete-button' }, 'Delete');
    editButton.addEventListener('click', () => {
      editButton.disabled = true;
      editText(item, content, {
        label: 'Edit your comment', min: 1, max: COMMENT_MAX, initial: comment.content,
        save: async (text) => {
          const updated = await api.editComment(comment.id, text);
          comment.content = updated.content;
          content.textContent = updated.content;
          editedMark.hidden = updated.updated_at === updated.created_at;
        },
        done: () => { editButton.disabled = false; editButton.focus(); },
      });
    });
    deleteButton.addEventListener('click', () => confirmDelete(actions, 'comment', async () => {
      await api.deleteComment(comment.id);
      item.remove();
      onDelete(comment);
    }));
    actions.append(h('span', { class: 'spacer' }), editButton, deleteButton);
  }
  append(item, [
    h('a', { href: `#/users/${comment.user.id}`, class: 'avatar-link', tabindex: '-1', 'aria-hidden': 'true' }, avatar(comment.user, 'sm')),
    h('div', { class: 'tweet-body' },
      h('header', { class: 'tweet-head' }, userLink(comment.user), h('span', { class: 'dot', 'aria-hidden': 'true' }, ' · '),
        timeEl(comment.created_at), editedMark),
      content, actions),
  ]);
  return item;
}

// Follow / Unfollow for one user; onChange(followed) after the server agreed.
export function followButton(user, followed, { onChange = () => {} } = {}) {
  let state = followed;
  const button = h('button', { type: 'button', class: 'follow-button' });
  const render = () => {
    button.textContent = state ? 'Unfollow' : 'Follow';
    button.classList.toggle('secondary', state);
    button.setAttribute('aria-label', `${state ? 'Unfollow' : 'Follow'} ${displayName(user)}`);
  };
  button.addEventListener('click', async () => {
    try {
      const answer = await withBusy(button, () => (state ? api.unfollow(user.id) : api.follow(user.id)));
      const changedNow = state ? answer.deleted === 1 : !answer.duplicate;
      state = !state;
      render();
      onChange(state, changedNow);
    } catch (err) {
      reportError(err);
    }
  });
  render();
  return button;
}

// One user in a followers/followings/likes list.
export function userRow(user, { hasFollowed = null, extra = null } = {}) {
  const row = h('li', { class: 'user-row' }, avatar(user), h('div', { class: 'user-row-text' }, userLink(user), extra));
  if (session.user && hasFollowed !== null && !isMe(user)) row.append(followButton(user, hasFollowed));
  return row;
}

// An endless list: loads a first page, then the next one when its end scrolls into view (or its
// "Load more" button is pressed, for keyboards). fetchPage(cursor) -> {has_next_page, results};
// cursorOf(item) gives the cursor of the next page (SPEC §1.6: the last item's created_at).
export function endlessList({ fetchPage, render, cursorOf, emptyText, tag = 'div', label }) {
  const list = h(tag, { class: 'endless-list', 'aria-label': label, 'aria-busy': 'false' });
  const status = h('p', { class: 'list-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'secondary load-more', hidden: true }, 'Load more');
  const root = h('section', { class: 'endless' }, list, status, more);
  const seen = new Set();
  let cursor;
  let hasNext = true;
  let loading = false;
  let count = 0;

  const keyOf = (item) => `${cursorOf(item)}:${item.id ?? item.tweet?.id ?? item.user?.id}`;
  const add = (items, where = 'end') => {
    const nodes = [];
    for (const item of items) {
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      nodes.push(render(item));
      count += 1;
    }
    if (where === 'start') list.prepend(...nodes);
    else list.append(...nodes);
    return nodes;
  };

  const nearEnd = () => root.isConnected && status.getBoundingClientRect().top < window.innerHeight + 300;

  const load = async () => {
    if (loading || !hasNext) return;
    loading = true;
    list.setAttribute('aria-busy', 'true');
    status.textContent = 'Loading…';
    more.hidden = true;
    let failed = false;
    try {
      const page = await fetchPage(cursor);
      add(page.results);
      if (page.results.length) cursor = cursorOf(page.results[page.results.length - 1]);
      hasNext = Boolean(page.has_next_page) && page.results.length > 0;
      status.textContent = hasNext ? '' : (count ? "You're all caught up." : emptyText);
    } catch (err) {
      failed = true;
      status.textContent = err instanceof ApiError ? err.message : 'Loading failed.';
    }
    loading = false;
    list.setAttribute('aria-busy', 'false');
    more.textContent = failed ? 'Try again' : 'Load more';
    more.hidden = !failed && !hasNext;
    // Still at the end (a short page on a tall screen)? The observer will not fire again: keep going.
    if (!failed && hasNext) requestAnimationFrame(() => { if (nearEnd()) load(); });
  };
  more.addEventListener('click', load);

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) load();
  }, { rootMargin: '0px 0px 300px 0px' });
  observer.observe(status);

  return {
    element: root,
    load,
    // New items on top (from the "new tweets" banner or a post of one's own).
    prepend: (items) => {
      const nodes = add(items, 'start');
      if (count && status.textContent === emptyText) status.textContent = "You're all caught up.";
      return nodes;
    },
    has: (item) => seen.has(keyOf(item)),
    removed: () => { count -= 1; },
    get count() { return count; },
    destroy: () => observer.disconnect(),
  };
}
