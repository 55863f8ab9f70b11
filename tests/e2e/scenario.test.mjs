// Two people use chirp through its web client in headless Chromium: sign up, follow each other, post
// with a photo, see each other's tweets, comment, like, get notified, edit a profile, scroll a long
// feed, meet errors, use a phone-sized screen and the keyboard, and log out.
// Each test leaves a screenshot in CHIRP_E2E_OUT (named after the test).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';

import {
  apiCall, avatarPng, BASE, eventually, launch, OUT, person, shot, sunsetPng, textOf, tokenFor,
  uniqueName, waitText,
} from './lib.mjs';

const alice = { name: uniqueName('alice'), password: 'alice-secret-1' };
const bob = { name: uniqueName('bob'), password: 'bob-secret-1' };
alice.email = `${alice.name}@example.com`;
bob.email = `${bob.name}@example.com`;

const photoPath = join(OUT, 'sunset.png');
const avatarPath = join(OUT, 'avatar.png');
writeFileSync(photoPath, sunsetPng());
writeFileSync(avatarPath, avatarPng());

let browser;
let current;  // the page the running test is about, for its screenshot
let shotNumber = 0;
let phonePerson = null;

const feedTweets = (page) => page.locator('.endless-list article.tweet');
const tweetWithText = (page, text) => page.locator('article.tweet', { has: page.locator('.content', { hasText: text }) });
const badge = (page) => page.locator('.nav-links .badge');

async function signUp(p, who) {
  await p.page.goto(`${BASE}/#/signup`);
  await p.page.getByLabel('Username').fill(who.name);
  await p.page.getByLabel('Email').fill(who.email);
  await p.page.getByLabel('Password').fill(who.password);
  await p.page.getByRole('button', { name: 'Sign up' }).click();
  await p.page.getByLabel('Tweet text').waitFor();
  who.id = await p.page.evaluate(async () => (await (await fetch('/api/accounts/login_status/')).json()).user.id);
}

async function post(page, text) {
  await page.getByLabel('Tweet text').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await tweetWithText(page, text).first().waitFor();
}

describe('two people use chirp in the browser', () => {
  before(async () => {
    browser = await launch();
    alice.p = await person(browser);
    bob.p = await person(browser);
  });

  afterEach(async (t) => {
    shotNumber += 1;
    const name = `${String(shotNumber).padStart(2, '0')}-${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    if (current) await shot(current, name).catch(() => {});
  });

  after(async () => {
    const problems = [...await alice.p.problems(), ...await bob.p.problems()];
    await phonePerson?.context.close();
    await browser?.close();
    assert.deepEqual(problems, [], 'page errors or CSP violations');
  });

  it('serves the client at / and sends a logged-out visitor to the login page', async () => {
    const { page } = alice.p;
    current = page;
    await page.goto(`${BASE}/`);
    await page.getByRole('heading', { name: 'Log in to chirp' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Join chirp' }).waitFor();
  });

  it('shows sign-up errors next to their fields and keeps the form usable', async () => {
    const { page } = alice.p;
    current = page;
    await page.getByLabel('Username').fill('al');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('123');
    await page.getByRole('button', { name: 'Sign up' }).click();
    const usernameError = page.locator('[data-field="username"] .field-error');
    await usernameError.waitFor();
    assert.match(await textOf(usernameError), /at least 6 characters/);
    assert.match(await textOf(page.locator('[data-field="email"] .field-error')), /valid email/);
    assert.match(await textOf(page.locator('[data-field="password"] .field-error')), /at least 6 characters/);
    assert.equal(await page.getByLabel('Username').getAttribute('aria-invalid'), 'true');
    assert.ok(await page.getByRole('button', { name: 'Sign up' }).isEnabled());
  });

  it('signs up two people; a taken username is a field error', async () => {
    current = bob.p.page;
    await signUp(alice.p, alice);
    await bob.p.page.goto(`${BASE}/#/signup`);
    await bob.p.page.getByLabel('Username').fill(alice.name.toUpperCase());
    await bob.p.page.getByLabel('Email').fill(bob.email);
    await bob.p.page.getByLabel('Password').fill(bob.password);
    await bob.p.page.getByRole('button', { name: 'Sign up' }).click();
    await waitText(bob.p.page.locator('[data-field="username"] .field-error'), 'This username has been occupied.');
    await shot(bob.p.page, 'signup-username-taken');
    await signUp(bob.p, bob);
    assert.ok(alice.id > 0 && bob.id > 0 && alice.id !== bob.id);
    await waitText(alice.p.page.locator('.nav-links .me'), new RegExp(alice.name));
  });

  it('Bob follows Alice from her profile link; Alice follows back from the notification', async () => {
    current = alice.p.page;
    const b = bob.p.page;
    await b.goto(`${BASE}/#/users/${alice.id}`);
    await b.getByRole('heading', { name: alice.name }).waitFor();
    await b.getByRole('button', { name: `Follow ${alice.name}` }).click();
    await b.getByRole('button', { name: `Unfollow ${alice.name}` }).waitFor();
    await waitText(b.locator('.counts li').nth(1), '1 Followers');

    const a = alice.p.page;
    await waitText(badge(a), '1', 'the unread badge');
    await a.getByRole('link', { name: /Notifications/ }).click();
    const item = a.locator('.notification.unread', { hasText: `${bob.name} followed you` });
    await item.waitFor();
    await item.getByRole('link').click();
    await a.getByRole('heading', { name: bob.name }).waitFor();
    await a.getByRole('button', { name: `Follow ${bob.name}` }).click();
    await a.getByRole('button', { name: `Unfollow ${bob.name}` }).waitFor();
    await eventually(async () => !(await badge(a).isVisible()), 'the badge to go once the notification is read');

    await a.getByRole('link', { name: 'Following', exact: true }).click();
    await a.locator('.user-row', { hasText: alice.name }).waitFor();
  });

  it('Alice posts a tweet with a photo; the counter counts code points', async () => {
    const a = alice.p.page;
    current = a;
    // Bob's feed is on screen, still empty, before Alice posts (the banner test needs that).
    await bob.p.page.goto(`${BASE}/#/`);
    await bob.p.page.getByText('Your feed is empty').waitFor();
    await a.getByRole('link', { name: 'Home', exact: true }).click();
    const text = 'Sunset at the harbour 🌅👋🏽 — first photo from the browser!';
    await a.getByLabel('Tweet text').fill(text);
    const codePoints = [...text].length;
    assert.notEqual(codePoints, text.length, 'the text must have characters outside the BMP');
    await waitText(a.locator('.composer .counter'), `${codePoints}/140`);
    await a.setInputFiles('#compose-photos', photoPath);
    await a.getByAltText('Preview of photo 1: sunset.png').waitFor();
    await a.getByRole('button', { name: 'Post', exact: true }).click();
    const card = tweetWithText(a, text);
    await card.waitFor();
    const photo = card.getByAltText(`Photo 1 of 1 by ${alice.name}`);
    await photo.waitFor();
    await eventually(() => photo.evaluate((img) => img.complete && img.naturalWidth === 480), 'the photo to load');
    assert.equal(await a.getByLabel('Tweet text').inputValue(), '');
    assert.equal(await a.locator('.previews img').count(), 0);
    alice.photoTweet = text;
    alice.photoTweetId = await card.getAttribute('data-tweet-id');
  });

  it('Bob gets a "new tweets" banner and sees Alice\'s tweet in his feed', async () => {
    const b = bob.p.page;
    current = b;
    const banner = b.getByRole('button', { name: 'Show 1 new tweet' });
    await banner.waitFor();
    await banner.click();
    const card = tweetWithText(b, alice.photoTweet);
    await card.waitFor();
    await card.getByAltText(`Photo 1 of 1 by ${alice.name}`).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Edit' }).count(), 0, "no Edit on someone else's tweet");
  });

  it('Bob posts; Alice sees it in her feed', async () => {
    const b = bob.p.page;
    current = alice.p.page;
    bob.tweet = 'Hello Alice, lovely photo. Mine is words only.';
    await post(b, bob.tweet);
    const a = alice.p.page;
    await a.getByRole('button', { name: /Show 1 new tweet/ }).click();
    await tweetWithText(a, bob.tweet).waitFor();
    assert.equal(await textOf(feedTweets(a).first().locator('.content')), bob.tweet);
  });

  it('Bob likes and comments on Alice\'s tweet; counts change at once; he edits and deletes a comment', async () => {
    const b = bob.p.page;
    current = b;
    await tweetWithText(b, alice.photoTweet).getByRole('link', { name: /comments?, open the tweet/ }).click();
    await b.getByRole('heading', { name: '0 comments' }).waitFor();
    const like = b.locator('article.tweet .like-button');
    await like.click();
    assert.equal(await like.getAttribute('aria-pressed'), 'true');
    assert.equal(await textOf(like.locator('.count')), '1');
    await b.locator('.user-row', { hasText: bob.name }).waitFor();

    await b.getByLabel('Add a comment').fill('What a view! Where is this?');
    await b.getByRole('button', { name: 'Reply' }).click();
    await b.locator('.comment', { hasText: 'What a view! Where is this?' }).waitFor();
    await b.getByRole('heading', { name: '1 comment' }).waitFor();

    await b.getByLabel('Add a comment').fill('Typo commnet');
    await b.getByRole('button', { name: 'Reply' }).click();
    const typo = b.locator('.comment', { hasText: 'Typo commnet' });
    await typo.waitFor();
    // While it is edited its text is in a textarea: find it by id, not by text.
    const second = b.locator(`.comment[data-comment-id="${await typo.getAttribute('data-comment-id')}"]`);
    await second.getByRole('button', { name: 'Edit' }).click();
    await second.getByLabel('Edit your comment').fill('A second comment, fixed');
    await second.getByRole('button', { name: 'Save' }).click();
    const fixed = b.locator('.comment', { hasText: 'A second comment, fixed' });
    await fixed.locator('.edited').waitFor();
    await fixed.getByRole('button', { name: 'Delete' }).click();
    await fixed.getByRole('button', { name: 'Delete comment' }).click();
    await fixed.waitFor({ state: 'detached' });
    await b.getByRole('heading', { name: '1 comment' }).waitFor();
    assert.equal(await textOf(b.locator('article.tweet .actions a.action .count')), '1');
  });

  it('Alice is notified, reads one and then all, and opens the tweet from a notification', async () => {
    const a = alice.p.page;
    current = a;
    // A like and two comments (whether the deleted comment's notice stays is the server's business).
    const unread = Number(await waitText(badge(a), /^[23]$/, 'the unread badge'));
    await a.getByRole('link', { name: /Notifications/ }).click();
    await a.locator('.notification', { hasText: `${bob.name} liked your tweet` }).waitFor();
    await a.locator('.notification', { hasText: `${bob.name} commented on your tweet` }).first().waitFor();
    await shot(a, 'notifications');
    await a.locator('.notification.unread').first().getByRole('button', { name: 'Mark as read' }).click();
    await waitText(badge(a), String(unread - 1));
    await a.getByRole('button', { name: 'Mark all as read' }).click();
    await eventually(async () => !(await badge(a).isVisible()), 'no unread badge');
    await eventually(async () => (await a.locator('.notification.unread').count()) === 0, 'no unread items');
    // A comment's notification quotes the tweet (its target), not the comment.
    await a.locator('.notification', { hasText: 'commented on your tweet' }).first().getByRole('link').click();
    const comment = a.locator('.comment', { hasText: 'What a view! Where is this?' });
    await comment.waitFor();
    await comment.locator('.like-button').click();
    assert.equal(await textOf(comment.locator('.like-button .count')), '1');
    await waitText(a.getByRole('heading', { name: /comment/ }), '1 comment');
    await a.locator('.user-row', { hasText: bob.name }).waitFor();
  });

  it('Alice edits her nickname and avatar; Bob sees them at once', async () => {
    const a = alice.p.page;
    current = a;
    await a.locator('.nav-links .me').click();
    await a.getByRole('link', { name: 'Edit profile' }).click();
    await a.getByLabel('Nickname').fill('Alice Liddell');
    await a.setInputFiles('#avatar', avatarPath);
    await a.getByAltText('Preview of your new avatar (avatar.png)').waitFor();
    await a.getByRole('button', { name: 'Save profile' }).click();
    await a.getByText('Profile saved.').waitFor();
    await waitText(a.locator('.nav-links .me'), /Alice Liddell/);
    await a.locator('.nav-links .me').getByAltText("Alice Liddell's avatar").waitFor();
    await a.getByRole('link', { name: 'Back to your profile' }).click();
    await a.getByRole('heading', { name: 'Alice Liddell' }).waitFor();
    await a.locator('.profile-head').getByAltText("Alice Liddell's avatar").waitFor();

    const b = bob.p.page;
    await b.goto(`${BASE}/#/`);
    const card = tweetWithText(b, alice.photoTweet);
    await waitText(card.locator('.user-link .name'), 'Alice Liddell');
    await card.getByAltText("Alice Liddell's avatar").waitFor();
    await b.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    await shot(b, 'feed');
  });

  it('Alice edits one of her tweets and deletes another', async () => {
    const a = alice.p.page;
    current = a;
    await a.getByRole('link', { name: 'Home', exact: true }).click();
    await post(a, 'Draft: a tweet with a tpyo');
    const draft = tweetWithText(a, 'Draft: a tweet with a tpyo');
    const card = a.locator(`article.tweet[data-tweet-id="${await draft.getAttribute('data-tweet-id')}"]`);
    await card.getByRole('button', { name: 'Edit' }).click();
    await card.getByLabel('Edit your tweet').fill('Edited: a tweet without the typo');
    await card.getByRole('button', { name: 'Save' }).click();
    const edited = tweetWithText(a, 'Edited: a tweet without the typo');
    await edited.locator('.edited').waitFor();

    await post(a, 'This one will be deleted');
    const doomed = tweetWithText(a, 'This one will be deleted');
    await doomed.getByRole('button', { name: 'Delete' }).click();
    await doomed.getByRole('button', { name: 'Delete tweet' }).click();
    await doomed.waitFor({ state: 'detached' });
    await a.reload();
    await tweetWithText(a, 'Edited: a tweet without the typo').waitFor();
    assert.equal(await tweetWithText(a, 'This one will be deleted').count(), 0);
  });

  it('a long feed scrolls past its first page', async () => {
    const b = bob.p.page;
    current = b;
    const token = await tokenFor(alice.name, alice.password);
    for (let i = 1; i <= 25; i += 1) {
      await apiCall('POST', '/api/tweets/', { token, body: { content: `Bulk tweet number ${String(i).padStart(2, '0')}` } });
    }
    const bobToken = await tokenFor(bob.name, bob.password);
    const total = await eventually(async () => {
      const page = await apiCall('GET', '/api/newsfeeds/?page_size=100', { token: bobToken });
      return page.results.length >= 28 && page.results.length;  // 25, the photo, the edited one and Bob's
    }, "the fan-out of Alice's tweets to Bob's feed");
    await b.goto(`${BASE}/#/`);
    await b.reload();
    await eventually(async () => (await feedTweets(b).count()) === 20, 'the first page of 20');
    assert.equal(await textOf(feedTweets(b).first().locator('.content')), 'Bulk tweet number 25');
    await feedTweets(b).last().scrollIntoViewIfNeeded();
    await b.mouse.wheel(0, 4000);
    await eventually(async () => (await feedTweets(b).count()) === total, `all ${total} tweets after scrolling`);
    await waitText(b.locator('.list-status'), "You're all caught up.");
    const ids = await feedTweets(b).evaluateAll((els) => els.map((e) => e.dataset.tweetId));
    assert.equal(new Set(ids).size, ids.length, 'no tweet twice');
  });

  it('errors are readable and leave the page usable (429, network down, failed like)', async () => {
    const a = alice.p.page;
    current = a;
    await a.getByRole('link', { name: 'Home', exact: true }).click();
    const isPost = (request) => request.method() === 'POST';
    await a.route('**/api/tweets/', (route) => (isPost(route.request())
      ? route.fulfill({ status: 429, headers: { 'Retry-After': '7', 'Content-Type': 'application/json' },
        body: JSON.stringify({ detail: 'Too many requests, try again later.' }) })
      : route.continue()));
    await a.getByLabel('Tweet text').fill('Posting too fast, apparently');
    const postButton = a.getByRole('button', { name: 'Post', exact: true });
    await postButton.click();
    await waitText(a.locator('.composer .form-error'), "You're doing that too fast. Try again in 7 seconds.");
    assert.ok(await postButton.isEnabled());
    assert.equal(await a.getByLabel('Tweet text').inputValue(), 'Posting too fast, apparently');
    await shot(a, 'error-rate-limited');

    await a.unroute('**/api/tweets/');
    await a.route('**/api/tweets/', (route) => (isPost(route.request()) ? route.abort('internetdisconnected') : route.continue()));
    await postButton.click();
    await waitText(a.locator('.composer .form-error'), /Can't reach chirp/);
    assert.ok(await postButton.isEnabled());

    await a.unroute('**/api/tweets/');
    await postButton.click();
    await tweetWithText(a, 'Posting too fast, apparently').waitFor();
    assert.equal(await a.locator('.composer .form-error').count(), 0);

    // A like whose request fails goes back, with a message.
    await a.route('**/api/likes/', (route) => route.abort('internetdisconnected'));
    const like = tweetWithText(a, 'Posting too fast, apparently').locator('.like-button');
    await like.click();
    await a.getByRole('alert').filter({ hasText: "Can't reach chirp" }).waitFor();
    await eventually(async () => (await like.getAttribute('aria-pressed')) === 'false' && (await textOf(like.locator('.count'))) === '0', 'the like to go back');
    assert.ok(await like.isEnabled());
    await a.unroute('**/api/likes/');
  });

  it('works on a phone-sized screen and with the keyboard; logs in by e-mail', async () => {
    const phone = await person(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const p = phone.page;
    current = p;
    try {
      await p.goto(`${BASE}/#/login`);
      await p.getByLabel('Username or email').fill(bob.email);
      await p.getByLabel('Password').fill(bob.password);
      await p.keyboard.press('Enter');
      await p.getByLabel('Tweet text').waitFor();
      await feedTweets(p).first().waitFor();
      await eventually(() => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');

      // Keyboard: on a freshly loaded page the skip link comes first and leads to the content.
      await p.goto(`${BASE}/#/users/${alice.id}`);
      await p.reload();
      await p.getByRole('heading', { name: 'Alice Liddell' }).waitFor();
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Skip to content');
      await p.keyboard.press('Enter');
      assert.equal(await p.evaluate(() => document.activeElement.id), 'main');
      assert.match(p.url(), /#\/users\/\d+$/, 'the skip link keeps the page');
      // The composer posts with Ctrl+Enter.
      await p.getByRole('link', { name: 'Home', exact: true }).click();
      await p.getByLabel('Tweet text').focus();
      await p.keyboard.type('Typed on a phone, sent with the keyboard');
      await p.keyboard.press('Control+Enter');
      await tweetWithText(p, 'Typed on a phone, sent with the keyboard').waitFor();
      await p.evaluate(() => window.scrollTo(0, 0));
      await shot(p, 'phone-home');
      await p.goto(`${BASE}/#/tweets/${alice.photoTweetId}`);
      await p.locator('.comment', { hasText: 'What a view! Where is this?' }).waitFor();
      await p.locator('.user-row', { hasText: bob.name }).waitFor();
      await eventually(() => p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
      await shot(p, 'phone-tweet');
      assert.deepEqual(await phone.problems(), []);
    } finally {
      phonePerson = phone;  // closed at the end (afterEach takes its screenshot first)
    }
  });

  it('logs out: the session ends and the home page asks for a login', async () => {
    const a = alice.p.page;
    current = a;
    await a.getByRole('button', { name: 'Log out' }).click();
    await a.getByRole('heading', { name: 'Log in to chirp' }).waitFor();
    await a.getByText('You are logged out.').waitFor();
    const status = await a.evaluate(async () => (await fetch('/api/accounts/login_status/')).json());
    assert.equal(status.has_logged_in, false);
    await a.goto(`${BASE}/#/notifications`);
    await a.getByRole('heading', { name: 'Log in to chirp' }).waitFor();
    assert.equal(await a.getByRole('link', { name: 'Log in' }).count(), 1);
    // Anyone may still read a profile.
    await a.goto(`${BASE}/#/users/${bob.id}`);
    await a.getByRole('heading', { name: bob.name }).waitFor();
    assert.equal(await a.getByRole('button', { name: /Follow/ }).count(), 0);
  });
});
