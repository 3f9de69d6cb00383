// Small DOM helpers: elements are built with text nodes only (no innerHTML), so text from the archive is never markup.

/** h('a', {href: '#', onclick: fn, class: 'x'}, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const format = {
  int: n => (n == null ? '–' : Number(n).toLocaleString('en-US')),
  fixed: (n, digits = 2) => (n == null ? '–' : Number(n).toFixed(digits)),
  /** 83500 -> "1:23.5"; 3723000 -> "1:02:03" */
  time(ms) {
    if (ms == null) return '–';
    const total = Math.floor(ms / 1000);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const pad = v => String(v).padStart(2, '0');
    return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  },
  date: iso => (iso ? new Date(iso).toLocaleString() : '–'),
  bytes(n) {
    if (n == null) return '–';
    const units = ['B', 'KB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
  },
};

/** Where a citation or chunk points: "p. 3", "pp. 3–4", "0:12–0:31", "lines 10–24". */
export function locationOf(c) {
  if (c.page != null) return c.pageEnd != null && c.pageEnd !== c.page ? `pp. ${c.page}–${c.pageEnd}` : `p. ${c.page}`;
  if (c.startMs != null) return `${format.time(c.startMs)}–${format.time(c.endMs ?? c.startMs)}`;
  if (c.lineStart != null) return c.lineEnd != null && c.lineEnd !== c.lineStart
    ? `lines ${c.lineStart}–${c.lineEnd}` : `line ${c.lineStart}`;
  return '';
}

/** A problem (RFC 9457) or any error, shown to the person with its detail. */
export function errorBox(error, context) {
  const problem = error?.problem;
  return h('div', {class: 'error', role: 'alert'},
    h('strong', {}, context ? `${context}: ` : '', problem?.title ?? 'Something went wrong'),
    h('p', {class: 'detail'}, problem?.detail ?? error?.message ?? String(error)));
}

export function empty(text) {
  return h('p', {class: 'empty'}, text);
}

export function badge(text, kind = text) {
  return h('span', {class: `badge badge-${kind}`}, text);
}

export function table(headers, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map(th => h('th', {scope: 'col'}, th)))),
    h('tbody', {}, rows));
}
