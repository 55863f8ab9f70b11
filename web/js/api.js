// The chirp API of SPEC.md, as the web client uses it. The session cookie travels by itself
// (same origin); unsafe methods carry the CSRF header of SPEC §1.3; every failure becomes an ApiError
// whose message a person can read, with the field errors of SPEC §1.4 when there are some.

export class ApiError extends Error {
  constructor(message, { status = 0, fields = {}, retryAfter = null, detail = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;          // 0: no answer (network)
    this.fields = fields;          // {"username": ["This username has been occupied."]}
    this.retryAfter = retryAfter;  // seconds, for 429
    this.detail = detail;          // the server's own text, when it sent one
  }

  get notLoggedIn() {
    return this.status === 403 && this.detail === 'Authentication credentials were not provided.';
  }
}

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function errorFrom(status, headers, data) {
  const detail = data && (data.detail || data.message) ? String(data.detail || data.message) : null;
  if (status === 429) {
    const seconds = Math.max(1, parseInt(headers.get('Retry-After') || '1', 10) || 1);
    return new ApiError(`You're doing that too fast. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      { status, retryAfter: seconds, detail });
  }
  if (status === 400 && data && data.errors && typeof data.errors === 'object') {
    return new ApiError('Please check the highlighted fields.', { status, fields: data.errors, detail });
  }
  if (status === 503) {
    return new ApiError('chirp is temporarily unavailable. Please try again in a moment.', { status, detail });
  }
  if (status >= 500) {
    return new ApiError('Something went wrong on the server. Please try again.', { status, detail });
  }
  if (status === 413) {
    return new ApiError('That upload is too large.', { status, detail });
  }
  if (status === 403 && detail && detail.startsWith('CSRF Failed')) {
    return new ApiError('Your session changed (perhaps in another tab). Reload the page and try again.',
      { status, detail });
  }
  if (status === 403 && detail === 'Authentication credentials were not provided.') {
    return new ApiError('Please log in first.', { status, detail });
  }
  if (status === 403) {
    return new ApiError("You can't do that: it isn't yours.", { status, detail });
  }
  if (status === 404) {
    return new ApiError('That no longer exists (it may have been deleted).', { status, detail });
  }
  return new ApiError(detail || `The request failed (HTTP ${status}).`, { status, detail });
}

// request('GET', '/api/tweets/', {query: {user_id: 3}}) -> parsed JSON, or throws ApiError.
// body: a plain object (sent as JSON) or a FormData (multipart, for files).
export async function request(method, path, { query, body } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const text = params.toString();
    if (text) url += `?${text}`;
  }
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = cookie('csrftoken');
    if (token) headers['X-CSRFToken'] = token;
  }
  let response;
  let text;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
    text = await response.text();
  } catch {
    throw new ApiError("Can't reach chirp. Check your connection and try again.");
  }
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) throw errorFrom(response.status, response.headers, data);
  return data;
}

const get = (path, query) => request('GET', path, { query });
const post = (path, body) => request('POST', path, { body });

export const api = {
  loginStatus: () => get('/api/accounts/login_status/'),
  signup: (username, email, password) => post('/api/accounts/signup/', { username, email, password }),
  // SPEC §3.3: a username or an e-mail address.
  login: (login, password) =>
    post('/api/accounts/login/', login.includes('@') ? { email: login, password } : { username: login, password }),
  logout: () => post('/api/accounts/logout/'),

  profile: (id) => get(`/api/profiles/${id}/`),
  updateProfile: (id, form) => request('PATCH', `/api/profiles/${id}/`, { body: form }),

  userTweets: (userId, before) => get('/api/tweets/', { user_id: userId, created_at__lt: before }),
  createTweet: (form) => post('/api/tweets/', form),
  tweet: (id) => get(`/api/tweets/${id}/`),
  editTweet: (id, content) => request('PATCH', `/api/tweets/${id}/`, { body: { content } }),
  deleteTweet: (id) => request('DELETE', `/api/tweets/${id}/`),

  feed: ({ before, after } = {}) => get('/api/newsfeeds/', { created_at__lt: before, created_at__gt: after }),

  follow: (userId) => post(`/api/friendships/${userId}/follow/`),
  unfollow: (userId) => post(`/api/friendships/${userId}/unfollow/`),
  followers: (userId, before) => get(`/api/friendships/${userId}/followers/`, { created_at__lt: before }),
  followings: (userId, before) => get(`/api/friendships/${userId}/followings/`, { created_at__lt: before }),

  comments: (tweetId, after) => get('/api/comments/', { tweet_id: tweetId, created_at__gt: after }),
  addComment: (tweetId, content) => post('/api/comments/', { tweet_id: tweetId, content }),
  editComment: (id, content) => request('PATCH', `/api/comments/${id}/`, { body: { content } }),
  deleteComment: (id) => request('DELETE', `/api/comments/${id}/`),

  like: (type, id) => post('/api/likes/', { content_type: type, object_id: id }),
  unlike: (type, id) => post('/api/likes/cancel/', { content_type: type, object_id: id }),
  likes: (type, id, before) => get('/api/likes/', { content_type: type, object_id: id, created_at__lt: before }),

  notifications: (page) => get('/api/notifications/', { page }),
  unreadCount: () => get('/api/notifications/unread-count/'),
  markAllRead: () => post('/api/notifications/mark-all-as-read/'),
  markRead: (id) => request('PATCH', `/api/notifications/${id}/`, { body: { unread: false } }),
};
