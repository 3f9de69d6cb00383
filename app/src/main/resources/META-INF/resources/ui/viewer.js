// Opens a cited source at the cited place: a PDF page (rendered by the service), a transcript's cues around the cited
// time, or a source file's lines with numbers. Anything else shows the cited chunk's text.
import {api, objectUrl, text} from './api.js';
import {errorBox, format, h, locationOf, replace} from './dom.js';

const CONTEXT_LINES = 15;
const CONTEXT_MS = 30000;

/** c: a citation ({documentId, source, title, page, pageEnd, lineStart, lineEnd, startMs, endMs, snippet}). */
export async function openSource(c) {
  const dialog = document.getElementById('source-viewer');
  const body = h('div', {class: 'viewer-body'}, h('p', {class: 'muted'}, 'Loading…'));
  const title = h('h2', {id: 'source-title'}, c.title || c.source || c.documentId);
  replace(dialog,
    h('header', {class: 'viewer-head'}, title,
      h('button', {type: 'button', class: 'close', 'aria-label': 'Close', onclick: () => dialog.close()}, '×')),
    h('p', {class: 'muted'}, c.source ?? '', c.source ? ' · ' : '', locationOf(c) || 'whole document', ' · ',
      h('a', {href: `/api/documents/${encodeURIComponent(c.documentId)}/original`, target: '_blank', rel: 'noopener',
        onclick: e => openWithKey(e, `/api/documents/${encodeURIComponent(c.documentId)}/original`)},
        'original file')),
    c.snippet ? h('blockquote', {class: 'snippet'}, c.snippet) : null,
    body);
  if (!dialog.open) dialog.showModal();
  try {
    const doc = await api(`/api/documents/${encodeURIComponent(c.documentId)}`);
    if (doc.mediaType === 'application/pdf' && c.page != null) replace(body, pdfPages(doc, await pageOf(doc, c)));
    else if (c.startMs != null) replace(body, await transcriptAt(doc, c));
    else if (c.lineStart != null) replace(body, await linesOf(doc, c));
    else replace(body, await chunksWith(doc, c.snippet));
  } catch (err) {
    replace(body, errorBox(err, 'Could not open the source'));
  }
}

/** A citation may span pages: the page its quoted snippet is on, else its first page. */
async function pageOf(doc, c) {
  if (!c.snippet || c.pageEnd == null || c.pageEnd === c.page) return c.page;
  // a prefix of the snippet finds its page as well, and keeps the URL short
  const query = new URLSearchParams({text: c.snippet.slice(0, 200), from: c.page, to: c.pageEnd});
  try {
    return (await api(`/api/documents/${encodeURIComponent(doc.id)}/pages/locate?${query}`)).page;
  } catch {
    return c.page;
  }
}

function pdfPages(doc, first) {
  let page = first;
  const total = doc.pageCount ?? first;
  const label = h('span', {class: 'page-label'});
  const image = h('img', {class: 'page-image', alt: ''});
  const prev = h('button', {type: 'button', onclick: () => show(page - 1)}, '‹ Previous page');
  const next = h('button', {type: 'button', onclick: () => show(page + 1)}, 'Next page ›');
  function show(n) {
    page = Math.min(Math.max(1, n), total);
    const shown = page;
    objectUrl(`/api/documents/${encodeURIComponent(doc.id)}/pages/${shown}`).then(url => {
      if (shown !== page) return URL.revokeObjectURL(url);
      if (image.src.startsWith('blob:')) URL.revokeObjectURL(image.src);
      image.src = url;
    });
    image.alt = `Page ${page} of ${total} of ${doc.sourcePath}`;
    image.dataset.page = page;
    label.textContent = `Page ${page} of ${total}`;
    prev.disabled = page <= 1;
    next.disabled = page >= total;
  }
  show(page);
  return h('div', {class: 'pdf'}, h('div', {class: 'pager'}, prev, label, next), image);
}

/**
 * The cues around the cited time range. A citation's range is its chunk's, which may hold many cues: the cues whose
 * text is in the quoted snippet (or holds it) are the cited ones; the rest of the range is marked more lightly.
 */
async function transcriptAt(doc, c) {
  const cues = parseCues(await text(`/api/documents/${encodeURIComponent(doc.id)}/original`));
  const start = c.startMs;
  const end = c.endMs ?? c.startMs;
  const inRange = q => q.endMs > start && q.startMs < Math.max(end, start + 1);
  const quoted = normalize(c.snippet ?? '');
  const quotes = q => {
    const said = normalize(q.text);
    return said.length > 0 && quoted.length > 0 && (quoted.includes(said) || said.includes(quoted));
  };
  const cited = cues.filter(q => inRange(q) && quotes(q));
  const citedSet = new Set(cited.length ? cited : cues.filter(inRange));
  const at = [...citedSet][0]?.startMs ?? start;
  const near = cues.filter(q => q.endMs >= start - CONTEXT_MS && q.startMs <= end + CONTEXT_MS);
  if (!near.length) return chunksWith(doc, c.snippet);
  const rows = near.map(q => h('li', {class: citedSet.has(q) ? 'cue cited' : inRange(q) ? 'cue in-range' : 'cue',
    dataset: {startMs: q.startMs, endMs: q.endMs}},
  h('time', {}, `${format.time(q.startMs)}–${format.time(q.endMs)}`), ' ', h('span', {}, q.text)));
  const list = h('ol', {class: 'cues'}, rows);
  requestAnimationFrame(() => list.querySelector('.cited')?.scrollIntoView({block: 'center'}));
  return h('div', {}, h('p', {class: 'cited-time'}, `At ${format.time(at)}`,
    h('span', {class: 'muted'}, ` (the cited passage runs ${format.time(start)}–${format.time(end)})`)), list);
}

function normalize(s) {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** WebVTT and SRT cues: a timing line "00:01:02.500 --> 00:01:05.000" (SRT: comma) and the text lines after it. */
export function parseCues(source) {
  const cues = [];
  const timing = /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})/;
  let cue = null;
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const m = line.match(timing);
    if (m) {
      cue = {startMs: millis(m[1]), endMs: millis(m[2]), text: ''};
      cues.push(cue);
    } else if (!line.trim()) {
      cue = null;
    } else if (cue) {
      cue.text += (cue.text ? ' ' : '') + line.replace(/<[^>]*>/g, '').trim();
    }
  }
  return cues;
}

function millis(stamp) {
  const [clock, fraction] = stamp.replace(',', '.').split('.');
  const parts = clock.split(':').map(Number);
  while (parts.length < 3) parts.unshift(0);
  return ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
}

async function linesOf(doc, c) {
  const lines = (await text(`/api/documents/${encodeURIComponent(doc.id)}/original`)).replace(/\r\n?/g, '\n').split('\n');
  const from = Math.max(1, c.lineStart - CONTEXT_LINES);
  const to = Math.min(lines.length, (c.lineEnd ?? c.lineStart) + CONTEXT_LINES);
  const rows = [];
  for (let n = from; n <= to; n++) {
    const cited = n >= c.lineStart && n <= (c.lineEnd ?? c.lineStart);
    rows.push(h('tr', {class: cited ? 'cited' : null, dataset: {line: n}},
      h('td', {class: 'line-number'}, n), h('td', {}, h('code', {}, lines[n - 1] ?? ''))));
  }
  const listing = h('table', {class: 'code'}, h('tbody', {}, rows));
  requestAnimationFrame(() => listing.querySelector('.cited')?.scrollIntoView({block: 'center'}));
  return h('div', {class: 'code-scroll'}, listing);
}

async function chunksWith(doc, snippet) {
  const chunks = await api(`/api/documents/${encodeURIComponent(doc.id)}/chunks`);
  const hit = (snippet && chunks.find(ch => ch.text.includes(snippet))) || chunks[0];
  if (!hit) return h('p', {class: 'empty'}, 'This document has no text.');
  return h('div', {}, h('p', {class: 'muted'}, `Chunk ${hit.ordinal + 1} of ${chunks.length}`),
    h('pre', {class: 'chunk-text'}, hit.text));
}

/** Opens a file of the API in a new tab, fetched with the session's key (a plain link cannot send it). */
export function openWithKey(event, path) {
  event.preventDefault();
  const tab = window.open('', '_blank');
  objectUrl(path).then(url => { if (tab) tab.location = url; else location.assign(url); });
}
