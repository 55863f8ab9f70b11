// The client's shell: hash routes (/#/...: SPEC §2 keeps every other path the server's), the
// navigation bar and the page lifecycle. Pages live in views/.
import { api, ApiError } from './api.js';
import { attachBadge, refreshUnread, startPolling, stopPolling } from './badge.js';
import { avatar, reportError } from './components.js';
import { clear, clearMessages, h, showMessage, withBusy } from './dom.js';
import { loadSession, onSessionChange, session, setLoggedOut } from './session.js';
import { loginView, signupView } from './views/auth.js';
import { homeView } from './views/home.js';
import { notificationsView } from './views/notifications.js';
import { profileView } from './views/profile.js';
import { settingsView } from './views/settings.js';
import { tweetView } from './views/tweet.js';

// [pattern, view, who may see it]: 'user' needs a login, 'guest' is for logged-out people only.
const ROUTES = [
  [/^\/$/, homeView, 'user', 'Home'],
  [/^\/login$/, loginView, 'guest', 'Log in'],
  [/^\/signup$/, signupView, 'guest', 'Sign up'],
  [/^\/tweets\/(\d+)$/, tweetView, 'anyone', 'Tweet'],
  [/^\/users\/(\d+)(?:\/(followers|followings))?$/, profileView, 'anyone', 'Profile'],
  [/^\/notifications$/, notificationsView, 'user', 'Notifications'],
  [/^\/settings$/, settingsView, 'user', 'Edit profile'],
];

const main = document.getElementById('main');
let leaveHandlers = [];
let renderSeq = 0;

let flash = null;  // a message for the next page (rendering a page clears the old ones)

function go(hash, message = null) {
  flash = message;
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

function setTitle(text) {
  document.title = text ? `${text} · chirp` : 'chirp';
}

function notFound(text) {
  main.append(h('section', { class: 'panel' }, h('h1', {}, 'Not found'), h('p', {}, text),
    h('p', {}, h('a', { href: '#/' }, 'Go home'))));
}

async function render() {
  const seq = ++renderSeq;
  for (const fn of leaveHandlers) fn();
  leaveHandlers = [];
  clearMessages();
  if (flash) showMessage(...flash);
  flash = null;
  const path = (window.location.hash.replace(/^#/, '') || '/').split('?')[0];
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  clear(main);
  updateNav(path);
  if (!route) {
    setTitle('Not found');
    notFound("There's no page at this address.");
    return;
  }
  const [pattern, view, who, title] = route;
  if (who === 'user' && !session.user) {
    go('#/login');
    return;
  }
  if (who === 'guest' && session.user) {
    go('#/');
    return;
  }
  setTitle(title);
  const params = pattern.exec(path).slice(1);
  const ctx = {
    main, params, go, setTitle,
    onLeave: (fn) => leaveHandlers.push(fn),
    reload: () => { if (seq === renderSeq) render(); },
  };
  main.setAttribute('aria-busy', 'true');
  try {
    await view(ctx);
  } catch (err) {
    if (seq !== renderSeq) return;
    if (err instanceof ApiError && err.status === 404) {
      notFound(err.message);
    } else if (err instanceof ApiError && err.notLoggedIn) {
      setLoggedOut();
      go('#/login', ['Your session has ended. Please log in again.']);
    } else {
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => render());
      main.append(h('section', { class: 'panel' }, h('p', { role: 'alert' },
        err instanceof ApiError ? err.message : 'Something went wrong in the page.'), retry));
      if (!(err instanceof ApiError)) console.error(err);
    }
  } finally {
    if (seq === renderSeq) main.removeAttribute('aria-busy');
  }
  refreshUnread();
}

// ---- navigation bar

const navLinks = document.getElementById('nav-links');

function navLink(href, label, extra = null) {
  return h('li', {}, h('a', { href, dataset: { nav: href } }, label, extra));
}

function buildNav() {
  clear(navLinks);
  if (!session.user) {
    navLinks.append(navLink('#/login', 'Log in'), navLink('#/signup', 'Sign up'));
    stopPolling();
    return;
  }
  const badge = h('span', { class: 'badge', hidden: true });
  const me = session.profile ? session.profile.user : { ...session.user, nickname: null, avatar_url: null };
  const logout = h('button', { type: 'button', class: 'link-button' }, 'Log out');
  logout.addEventListener('click', async () => {
    try {
      await withBusy(logout, () => api.logout());
      setLoggedOut();
      go('#/login', ['You are logged out.', 'info']);
    } catch (err) {
      reportError(err);
    }
  });
  navLinks.append(
    navLink('#/', 'Home'),
    navLink('#/notifications', 'Notifications', [' ', badge]),
    h('li', {}, h('a', { href: `#/users/${me.id}`, class: 'me', dataset: { nav: `#/users/${me.id}` },
      'aria-label': `Your profile (${me.nickname || me.username})` },
      avatar(me, 'xs'), h('span', { class: 'me-name' }, me.nickname || me.username))),
    h('li', {}, logout));
  attachBadge(badge);
  startPolling();
  updateNav(window.location.hash.replace(/^#/, '') || '/');
}

function updateNav(path) {
  for (const a of navLinks.querySelectorAll('a[data-nav]')) {
    const target = a.dataset.nav.replace(/^#/, '');
    if (target === path || (target !== '/' && path.startsWith(`${target}/`))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- start

onSessionChange(buildNav);
window.addEventListener('hashchange', () => {
  // Focus moves to the new page (views may then focus their first field), and it starts at the top.
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  render();
});
// The skip link must not change the hash (that is the page's address here).
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
document.addEventListener('visibilitychange', () => { if (!document.hidden) refreshUnread(); });

async function start() {
  try {
    await loadSession();
  } catch (err) {
    clear(main);
    const retry = h('button', { type: 'button' }, 'Try again');
    retry.addEventListener('click', start);
    main.append(h('section', { class: 'panel' }, h('p', { role: 'alert' },
      err instanceof ApiError ? err.message : "Can't start the page."), retry));
    return;
  }
  render();
}
start();
