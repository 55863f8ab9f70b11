// Helpers of the end-to-end tests: the browser, people (one browser context each), waiting, the API
// for bulk setup, and small PNG pictures made in memory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

export const BASE = (process.env.CHIRP_URL || '').replace(/\/$/, '');
if (!BASE) throw new Error('CHIRP_URL is not set (run the tests with scripts/e2e.sh)');
export const OUT = process.env.CHIRP_E2E_OUT || join(process.cwd(), 'out');
mkdirSync(OUT, { recursive: true });


export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
}

export function uniqueName(prefix) {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

// One person: a browser context of their own (cookies), fast polling, and every page error and CSP
// violation recorded (checked by problems()). The page runs under the Content-Security-Policy the
// server sends (docs/SECURITY.md: no inline scripts or styles, nothing from elsewhere); a page
// served without one is a problem too.
export async function person(browser, { viewport = { width: 1000, height: 800 }, ...options } = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const errors = [];
  await context.addInitScript(() => {
    localStorage.setItem('chirp.pollMs', '500');
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await context.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    if (!/script-src 'self'/.test(response.headers()['content-security-policy'] || '')) {
      errors.push(`no script-src 'self' Content-Security-Policy on /: ${response.headers()['content-security-policy']}`);
    }
    await route.fulfill({ response });
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(`console: ${msg.text()}`); });
  return {
    context, page, errors,
    async problems() {
      const csp = await page.evaluate(() => window.__csp || []).catch(() => []);
      return [...errors, ...csp.map((v) => `CSP violation: ${v}`)];
    },
  };
}

export async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

// Polls fn until it returns a truthy value (or throws the last error / a timeout with `what`).
export async function eventually(fn, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function textOf(locator) {
  return (await locator.textContent())?.replace(/\s+/g, ' ').trim();
}

export async function waitText(locator, expected, what = String(expected)) {
  return eventually(async () => {
    const text = await textOf(locator);
    return (expected instanceof RegExp ? expected.test(text) : text === expected) && text;
  }, `${what} (last: ${await textOf(locator).catch(() => '?')})`);
}

// ---- the API, for bulk setup only (the client is what is tested)

export async function apiCall(method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Token ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(data)}`);
  return data;
}

export async function tokenFor(username, password) {
  return (await apiCall('POST', '/api/accounts/token/', { body: { username, password } })).token;
}

// ---- pictures

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

// An RGB PNG whose pixels are color(x, y) -> [r, g, b].
export function png(width, height, color) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) {
      const [r, g, b] = color(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A sunset: sky gradient, a sun, the sea.
export function sunsetPng() {
  return png(480, 270, (x, y) => {
    const d = Math.hypot(x - 330, y - 150);
    if (y > 170) return [20, 60 + (y - 170) / 3, 110 + (y - 170) / 2];
    if (d < 38) return [255, 214, 90];
    const t = y / 170;
    return [250 - 60 * t, 140 - 60 * t + 40 * (1 - t), 90 + 60 * t];
  });
}

// An avatar: a face-like disc on a colour.
export function avatarPng() {
  return png(128, 128, (x, y) => {
    const d = Math.hypot(x - 64, y - 64);
    if (d < 44) {
      if (Math.hypot(x - 48, y - 54) < 6 || Math.hypot(x - 80, y - 54) < 6) return [40, 40, 60];
      if (y > 76 && y < 82 && Math.abs(x - 64) < 18) return [150, 50, 60];
      return [255, 205, 148];
    }
    return [90, 80 + x / 2, 200];
  });
}
