// Builds elements without innerHTML: every value from the API ends up as text, never as markup.

/** h('tag.class#id', {attr: value, onclick: fn}, child...) */
export function h(spec, attrs = {}, ...children) {
  const [, tag, rest] = spec.match(/^([a-z0-9]+)(.*)$/i);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table with a caption, column headers and one row per item. */
export function table(caption, headers, rows, id) {
  return h('table', { id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map(name => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, rows));
}

/** A coloured status badge; the colour is never the only signal, the word is there too. */
export function statusBadge(status, id) {
  return h('span.status', { 'data-status': status || 'UNKNOWN', id }, status || 'unknown');
}

export function time(instant) {
  if (!instant) return '';
  const date = new Date(instant);
  return h('time', { datetime: instant }, date.toLocaleString());
}
