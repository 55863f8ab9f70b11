// One tweet: the tweet, its comments (add, edit, delete your own) and who liked it.
import { api } from '../api.js';
import { clearFormErrors, COMMENT_MAX, commentItem, endlessList, formErrors, lengthCounter, tweetCard, userRow } from '../components.js';
import { h, plural, timeEl, withBusy } from '../dom.js';
import { session } from '../session.js';

function commentForm(tweet, onAdded) {
  const textarea = h('textarea', { id: 'comment-text', rows: 2, placeholder: 'Write a reply' });
  const submit = h('button', { type: 'submit' }, 'Reply');
  const { counter, update } = lengthCounter(textarea, { min: 1, max: COMMENT_MAX, onChange: (valid) => { submit.disabled = !valid; } });
  const form = h('form', { class: 'comment-form' },
    h('div', { class: 'field', dataset: { field: 'content' } },
      h('label', { for: 'comment-text' }, 'Add a comment'), textarea),
    h('div', { class: 'form-row' }, h('span', { class: 'spacer' }), counter, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    try {
      const comment = await withBusy(submit, () => api.addComment(tweet.id, textarea.value.trim()));
      textarea.value = '';
      onAdded(comment);
    } catch (err) {
      formErrors(form, err);
    }
    update();
  });
  return form;
}

export async function tweetView({ main, params, setTitle }) {
  const tweet = await api.tweet(params[0]);
  setTitle(`${tweet.user.nickname || tweet.user.username}: “${tweet.content.slice(0, 40)}”`);

  const commentsHeading = h('h2', { id: 'comments-heading' });
  const renderCommentCount = () => { commentsHeading.textContent = plural(tweet.comments_count, 'comment', 'comments'); };
  const card = tweetCard(tweet, {
    link: false,
    onDelete: () => { window.location.hash = `#/users/${tweet.user.id}`; },
  });
  const countEl = () => card.querySelector('.actions a.action .count');
  const bumpComments = (delta) => {
    tweet.comments_count += delta;
    countEl().textContent = String(tweet.comments_count);
    renderCommentCount();
  };

  // Comments: oldest first, at most 1000 a request; more continue with created_at__gt (SPEC §8).
  const list = h('ol', { class: 'comments', 'aria-labelledby': 'comments-heading' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More comments');
  let lastCommentAt = null;
  const addComment = (c) => {
    list.append(commentItem(c, { onDelete: () => bumpComments(-1) }));
    lastCommentAt = c.created_at;
  };
  const loadComments = async () => {
    const page = await withBusy(more, () => api.comments(tweet.id, lastCommentAt || undefined));
    page.comments.forEach(addComment);
    more.hidden = !page.has_next_page;
  };
  more.addEventListener('click', () => loadComments().catch(() => {}));

  // Who liked it: an endless list, with the caller added or removed at once when they (un)like.
  const likesHeading = h('h2', { id: 'likes-heading' }, 'Liked by');
  const likes = endlessList({
    tag: 'ul', label: 'People who liked this tweet', emptyText: 'No likes yet.',
    cursorOf: (item) => item.created_at,
    fetchPage: (before) => api.likes('tweet', tweet.id, before),
    render: (item) => userRow(item.user, { extra: h('span', { class: 'muted' }, ' liked ', timeEl(item.created_at)) }),
  });
  card.addEventListener('likechange', (event) => {
    if (event.target.closest('.comment') || !session.user || !session.profile) return;
    const mine = likes.element.querySelector(`[data-me]`);
    if (event.detail.liked && !mine) {
      const [row] = likes.prepend([{ user: session.profile.user, created_at: new Date().toISOString() }]);
      if (row) row.dataset.me = '1';
    } else if (!event.detail.liked) {
      const row = mine || [...likes.element.querySelectorAll('.user-row')].find(
        (r) => r.querySelector('.user-link')?.getAttribute('href') === `#/users/${session.user.id}`);
      if (row) row.remove();
    }
  });

  renderCommentCount();
  main.append(
    h('h1', { class: 'visually-hidden' }, `Tweet by ${tweet.user.username}`),
    card,
    h('section', { class: 'panel', 'aria-labelledby': 'comments-heading' }, commentsHeading, list, more,
      session.user ? commentForm(tweet, (c) => { addComment(c); bumpComments(1); }) : h('p', {}, h('a', { href: '#/login' }, 'Log in'), ' to comment.')),
    h('section', { class: 'panel', 'aria-labelledby': 'likes-heading' }, likesHeading, likes.element));
  await loadComments();
  likes.load();
}
