// A profile: avatar, nickname, counts, follow/unfollow, and the user's tweets, followers and
// followings as endless lists.
import { api } from '../api.js';
import { avatar, displayName, endlessList, followButton, tweetCard, userRow } from '../components.js';
import { h, timeEl } from '../dom.js';
import { isMe, session } from '../session.js';

const TABS = [
  ['tweets', 'Tweets'],
  ['followers', 'Followers'],
  ['followings', 'Following'],
];

export async function profileView({ main, params, setTitle, onLeave }) {
  const id = Number(params[0]);
  const tab = params[1] || 'tweets';
  const profile = await api.profile(id);
  const user = profile.user;
  setTitle(`${displayName(user)} (@${user.username})`);

  const followersCount = h('strong', {}, String(profile.followers_count));
  const counts = h('ul', { class: 'counts' },
    h('li', {}, h('strong', {}, String(profile.tweets_count)), ' Tweets'),
    h('li', {}, h('a', { href: `#/users/${id}/followers` }, followersCount, ' Followers')),
    h('li', {}, h('a', { href: `#/users/${id}/followings` }, h('strong', {}, String(profile.followings_count)), ' Following')));

  let action = null;
  if (isMe(user)) {
    action = h('a', { class: 'button secondary', href: '#/settings' }, 'Edit profile');
  } else if (session.user) {
    action = followButton(user, profile.has_followed, {
      onChange: (followed, changedNow) => {
        if (!changedNow) return;
        profile.followers_count += followed ? 1 : -1;
        followersCount.textContent = String(profile.followers_count);
      },
    });
  }
  const share = isMe(user)
    ? h('p', { class: 'hint' }, 'Your profile link (others find you with it): ',
      h('code', { class: 'share-link' }, `${window.location.origin}/#/users/${id}`))
    : null;

  const header = h('section', { class: 'panel profile-head' },
    avatar(user, 'lg'),
    h('div', { class: 'profile-text' },
      h('h1', {}, displayName(user)),
      h('p', { class: 'handle' }, `@${user.username}`),
      counts, share),
    action);

  const nav = h('nav', { class: 'tabs', 'aria-label': 'Profile sections' },
    TABS.map(([key, label]) => h('a', { href: key === 'tweets' ? `#/users/${id}` : `#/users/${id}/${key}`,
      'aria-current': key === tab ? 'page' : null }, label)));

  let list;
  if (tab === 'tweets') {
    list = endlessList({
      label: `Tweets by ${displayName(user)}`,
      emptyText: `${displayName(user)} has not tweeted yet.`,
      cursorOf: (t) => t.created_at,
      fetchPage: (before) => api.userTweets(id, before),
      render: (t) => tweetCard(t, { onDelete: () => list.removed() }),
    });
  } else {
    const followers = tab === 'followers';
    list = endlessList({
      tag: 'ul',
      label: followers ? `People who follow ${displayName(user)}` : `People ${displayName(user)} follows`,
      emptyText: followers ? 'No followers yet.' : 'Not following anyone yet.',
      cursorOf: (item) => item.created_at,
      fetchPage: (before) => (followers ? api.followers(id, before) : api.followings(id, before)),
      render: (item) => userRow(item.user, { hasFollowed: item.has_followed,
        extra: h('span', { class: 'muted' }, followers ? ' followed ' : ' followed since ', timeEl(item.created_at)) }),
    });
  }
  onLeave(() => list.destroy());
  main.append(header, nav, list.element);
  list.load();
}
