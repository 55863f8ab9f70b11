// Who is logged in: the account from login_status plus their profile (login_status carries no
// nickname or avatar, so the profile is a second request).
import { api } from './api.js';

const listeners = new Set();
export const session = { user: null, profile: null };

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  for (const fn of listeners) fn(session);
}

export async function loadSession() {
  const status = await api.loginStatus();
  session.user = status.has_logged_in ? status.user : null;
  session.profile = session.user ? await api.profile(session.user.id).catch(() => null) : null;
  changed();
  return session;
}

export function setLoggedIn(user) {
  session.user = user;
  session.profile = null;
  changed();
  return api.profile(user.id).then((profile) => {
    if (session.user && session.user.id === user.id) {
      session.profile = profile;
      changed();
    }
  }).catch(() => {});
}

export function setLoggedOut() {
  session.user = null;
  session.profile = null;
  changed();
}

// After an edit of one's own nickname or avatar.
export function updateOwnProfile(fields) {
  if (!session.profile) return;
  Object.assign(session.profile, fields);
  Object.assign(session.profile.user, fields);
  changed();
}

export function isMe(user) {
  return Boolean(session.user && user && session.user.id === user.id);
}
