// How often the client asks for new tweets and the unread count. A test (or a curious user) may
// shorten it: localStorage['chirp.pollMs'] = '1000'.
const stored = Number(globalThis.localStorage?.getItem('chirp.pollMs'));
export const POLL_MS = Number.isFinite(stored) && stored >= 200 ? stored : 15000;

export const MAX_PHOTOS = 9;  // SPEC §5.2
