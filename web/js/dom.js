// Small DOM helpers. Every text from the server goes in through textContent (never innerHTML), so
// nothing a user writes can become markup.

// h('button', {class: 'x', onclick: fn, disabled: true}, 'text', child, [more]) -> element
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// SPEC §1.2: lengths are Unicode code points of the trimmed text (not UTF-16 units: an emoji is 1).
export function codePoints(text) {
  return [...text.trim()].length;
}

let idCounter = 0;
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// <time> with a short relative text ("5m", "3h", "Mar 4, 2026") and the full date as its title.
export function timeEl(iso) {
  const date = new Date(iso);
  const seconds = Math.max(0, (Date.now() - date.getTime()) / 1000);
  let text;
  if (seconds < 60) text = 'just now';
  else if (seconds < 3600) text = `${Math.floor(seconds / 60)}m`;
  else if (seconds < 86400) text = `${Math.floor(seconds / 3600)}h`;
  else if (seconds < 7 * 86400) text = `${Math.floor(seconds / 86400)}d`;
  else text = date.toLocaleDateString();
  return h('time', { datetime: iso, title: dateFormat.format(date) }, text);
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// Runs an action with its button disabled (and marked busy); the button comes back whatever happens,
// so a failed request never leaves the page frozen.
export async function withBusy(button, action) {
  if (!button) return action();
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// A message in the page's live region (errors stay until dismissed; notices fade after a while).
export function showMessage(text, kind = 'error') {
  const area = document.getElementById('messages');
  if (!area) return;
  const item = h('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : 'status' });
  const close = h('button', { type: 'button', class: 'link-button', 'aria-label': 'Dismiss message', onclick: () => item.remove() }, '×');
  append(item, [h('span', {}, text), close]);
  area.append(item);
  while (area.children.length > 3) area.firstElementChild.remove();
  if (kind !== 'error') setTimeout(() => item.remove(), 6000);
}

export function clearMessages() {
  const area = document.getElementById('messages');
  if (area) clear(area);
}
