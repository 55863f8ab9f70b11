// Home: compose a tweet, the news feed with endless scrolling, and a "new tweets" banner that polls
// created_at__gt (SPEC §1.6, §7).
import { api, ApiError } from '../api.js';
import { clearFormErrors, endlessList, formErrors, lengthCounter, reportError, tweetCard, TWEET_MAX, TWEET_MIN } from '../components.js';
import { MAX_PHOTOS, POLL_MS } from '../config.js';
import { clear, h, plural, showMessage, withBusy } from '../dom.js';

function composer({ onPosted }) {
  const form = h('form', { class: 'composer panel', 'aria-label': 'Write a tweet' });
  const textarea = h('textarea', { id: 'compose-text', name: 'content', rows: 3, placeholder: "What's happening?" });
  const submit = h('button', { type: 'submit', class: 'post-button' }, 'Post');
  const { counter, update } = lengthCounter(textarea, { min: TWEET_MIN, max: TWEET_MAX, onChange: (valid) => { submit.disabled = !valid; } });
  const fileInput = h('input', { id: 'compose-photos', type: 'file', multiple: true, class: 'visually-hidden',
    accept: 'image/jpeg,image/png,image/gif,image/webp' });
  const previews = h('ul', { class: 'previews', 'aria-label': 'Photos to post' });
  const photoCount = h('span', { class: 'photo-count', 'aria-live': 'polite' });
  let photos = [];  // {file, url}

  const renderPreviews = () => {
    clear(previews);
    photos.forEach((photo, i) => {
      const remove = h('button', { type: 'button', class: 'remove-photo', 'aria-label': `Remove photo ${i + 1} (${photo.file.name})` }, '×');
      remove.addEventListener('click', () => {
        URL.revokeObjectURL(photo.url);
        photos.splice(i, 1);
        renderPreviews();
        fileInput.focus();
      });
      previews.append(h('li', {}, h('img', { src: photo.url, alt: `Preview of photo ${i + 1}: ${photo.file.name}` }), remove));
    });
    photoCount.textContent = photos.length ? `${plural(photos.length, 'photo', 'photos')} of ${MAX_PHOTOS}` : '';
  };
  fileInput.addEventListener('change', () => {
    const chosen = [...fileInput.files];
    const room = MAX_PHOTOS - photos.length;
    if (chosen.length > room) showMessage(`A tweet can have at most ${MAX_PHOTOS} photos.`);
    for (const file of chosen.slice(0, Math.max(0, room))) photos.push({ file, url: URL.createObjectURL(file) });
    fileInput.value = '';
    renderPreviews();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !submit.disabled) form.requestSubmit();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = new FormData();
    body.append('content', textarea.value.trim());
    for (const photo of photos) body.append('files', photo.file, photo.file.name);
    try {
      const tweet = await withBusy(submit, () => api.createTweet(body));
      textarea.value = '';
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      photos = [];
      renderPreviews();
      onPosted(tweet);
    } catch (err) {
      formErrors(form, err);
    }
    update();
  });

  form.append(
    h('div', { class: 'field', dataset: { field: 'content' } },
      h('label', { for: 'compose-text', class: 'visually-hidden' }, 'Tweet text'), textarea),
    previews,
    h('div', { class: 'field', dataset: { field: 'files' } }),
    h('div', { class: 'form-row' },
      h('span', { class: 'file-picker' }, fileInput, h('label', { for: 'compose-photos', class: 'button secondary' }, 'Add photos')),
      photoCount, h('span', { class: 'spacer' }), counter, submit));
  return form;
}

// No user search exists in the API: a profile is reached by its id (profile links carry it).
function findPeople(go) {
  const input = h('input', { id: 'find-user-id', type: 'number', min: 1, inputmode: 'numeric', required: true });
  const form = h('form', { class: 'find-people form-row' },
    h('label', { for: 'find-user-id' }, 'Open a profile by user id'), input, h('button', { type: 'submit', class: 'secondary' }, 'Open'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = parseInt(input.value, 10);
    if (id > 0) go(`#/users/${id}`);
  });
  return form;
}

export function homeView({ main, go, onLeave, reload }) {
  const banner = h('button', { type: 'button', class: 'new-tweets', hidden: true });
  let newest = null;       // created_at of the newest feed item we know of (the poll's cursor)
  let firstPageShown = false;
  const pending = new Map();  // tweet id -> feed item, newer than the list, not shown yet

  const noteNewest = (items) => {
    for (const item of items) if (!newest || item.created_at > newest) newest = item.created_at;
  };
  const feed = endlessList({
    label: 'Your news feed',
    emptyText: 'Your feed is empty. Post something, or follow people to see their tweets here.',
    cursorOf: (item) => item.created_at,
    fetchPage: async (before) => {
      const page = await api.feed({ before });
      noteNewest(page.results);
      firstPageShown = true;
      return page;
    },
    render: (item) => tweetCard(item.tweet, { onDelete: () => feed.removed() }),
  });

  const showPending = () => {
    const items = [...pending.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    pending.clear();
    banner.hidden = true;
    const nodes = feed.prepend(items);
    if (nodes.length) nodes[0].scrollIntoView({ block: 'nearest' });
  };
  banner.addEventListener('click', () => {
    if (banner.dataset.reload) reload();
    else showPending();
  });

  const poll = async () => {
    if (document.hidden || !firstPageShown) return;
    try {
      // An empty feed has no cursor yet: its first page is what is new.
      const page = newest ? await api.feed({ after: newest }) : await api.feed();
      if (newest && page.has_next_page) {
        banner.dataset.reload = '1';
        banner.textContent = 'Many new tweets — show the newest';
        banner.hidden = false;
        return;
      }
      for (const item of page.results) if (!feed.has(item)) pending.set(item.tweet.id, item);
      noteNewest(page.results);
      if (pending.size) {
        banner.textContent = `Show ${plural(pending.size, 'new tweet', 'new tweets')}`;
        banner.hidden = false;
      }
    } catch (err) {
      // A missed poll is not worth a message; the next one tries again. A logged-out session is.
      if (err instanceof ApiError && err.notLoggedIn) reportError(err);
    }
  };
  const timer = setInterval(poll, POLL_MS);
  onLeave(() => {
    clearInterval(timer);
    feed.destroy();
  });

  const compose = composer({
    onPosted: (tweet) => {
      showMessage('Your tweet is posted.', 'info');
      feed.prepend([{ tweet, created_at: tweet.created_at }]);
    },
  });
  main.append(h('h1', { class: 'visually-hidden' }, 'Home'), compose, findPeople(go), banner, feed.element);
  feed.load();
  // Ready to type, except on touch screens (focusing would pop up the keyboard over the feed).
  if (window.matchMedia('(pointer: fine)').matches) document.getElementById('compose-text').focus();
}
