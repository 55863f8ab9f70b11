// The unread-notifications badge in the navigation: polled, and refreshed on every page change.
import { api } from './api.js';
import { POLL_MS } from './config.js';
import { session } from './session.js';

let timer = null;
let badge = null;

export function attachBadge(element) {
  badge = element;
  render(0);
}

function render(count) {
  if (!badge) return;
  badge.hidden = count === 0;
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.parentElement?.setAttribute('aria-label', count ? `Notifications, ${count} unread` : 'Notifications');
}

export async function refreshUnread() {
  if (!session.user || document.hidden) return;
  try {
    const answer = await api.unreadCount();
    render(answer.unread_count);
  } catch {
    // The next poll tries again; a badge is not worth an error message.
  }
}

export function startPolling() {
  stopPolling();
  refreshUnread();
  timer = setInterval(refreshUnread, POLL_MS);
}

export function stopPolling() {
  if (timer) clearInterval(timer);
  timer = null;
  render(0);
}
