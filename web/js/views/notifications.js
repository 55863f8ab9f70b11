// Notifications: newest first (page-number pagination, SPEC §10), mark one or all as read, each
// linking to what it is about.
import { api } from '../api.js';
import { avatar, displayName, endlessList, reportError } from '../components.js';
import { append, h, showMessage, timeEl, withBusy } from '../dom.js';
import { refreshUnread } from '../badge.js';

// Where a notification leads. A liked comment only names the comment, and the API has no way to find
// its tweet from it, so that one leads to the person who liked it.
function targetHref(n) {
  if (n.target.type === 'tweet') return `#/tweets/${n.target.id}`;
  return `#/users/${n.actor.id}`;
}

function notificationItem(n) {
  const item = h('li', { class: `notification${n.unread ? ' unread' : ''}`, dataset: { notificationId: n.id } });
  const markButton = h('button', { type: 'button', class: 'secondary mark-read' }, 'Mark as read');
  const markRead = async () => {
    await api.markRead(n.id);
    n.unread = false;
    item.classList.remove('unread');
    markButton.remove();
    refreshUnread();
  };
  markButton.addEventListener('click', () => withBusy(markButton, markRead).catch(reportError));
  const link = h('a', { class: 'notification-link', href: targetHref(n) },
    h('span', { class: 'name' }, displayName(n.actor)), ` ${n.verb}`,
    n.target.content ? h('span', { class: 'quote' }, `“${n.target.content}”`) : null);
  // Opening it reads it (in the background: the page changes at once).
  link.addEventListener('click', () => { if (n.unread) markRead().catch(() => {}); });
  append(item, [avatar(n.actor, 'sm'),
    h('div', { class: 'notification-text' }, link, h('span', { class: 'muted' }, timeEl(n.timestamp),
      n.unread ? h('span', { class: 'visually-hidden' }, ' (unread)') : null)),
    n.unread ? markButton : null]);
  return item;
}

export function notificationsView({ main, onLeave, reload }) {
  let nextPage = 1;
  const list = endlessList({
    tag: 'ul', label: 'Your notifications', emptyText: 'No notifications yet.',
    cursorOf: (n) => n.timestamp,
    fetchPage: async () => {
      const page = await api.notifications(nextPage);
      nextPage += 1;
      return { has_next_page: Boolean(page.next), results: page.results };
    },
    render: notificationItem,
  });
  const markAll = h('button', { type: 'button', class: 'secondary' }, 'Mark all as read');
  markAll.addEventListener('click', async () => {
    try {
      const answer = await withBusy(markAll, () => api.markAllRead());
      showMessage(answer.marked_count ? `Marked ${answer.marked_count} as read.` : 'Nothing was unread.', 'info');
      await refreshUnread();
      reload();
    } catch (err) {
      reportError(err);
    }
  });
  onLeave(() => list.destroy());
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Notifications'), markAll), list.element);
  list.load();
}
