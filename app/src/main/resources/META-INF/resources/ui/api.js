// The service's HTTP API: JSON in and out, problem+json errors turned into ProblemError with the server's detail.
// When the service answers 401 it asks for an API key, keeps it for this browser session only (sessionStorage) and
// sends it as a header with every request, then repeats the request.
import {h, replace} from './dom.js';

const KEY = 'rag.api-key';

/** The API key of this browser session, or null. */
export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  location.reload();
}

function authorized(headers = {}) {
  const key = apiKey();
  return key ? {...headers, Authorization: `Bearer ${key}`} : headers;
}

let asking = null;

/** Shows the key dialog once for all the requests that were refused meanwhile; resolves when a key was given. */
function askForKey(reason) {
  asking ??= new Promise(resolve => {
    const dialog = document.getElementById('key-dialog');
    const input = h('input', {type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true,
      spellcheck: 'false', placeholder: 'rk_…'});
    replace(dialog, h('form', {
      onsubmit: e => {
        e.preventDefault();
        sessionStorage.setItem(KEY, input.value.trim());
        dialog.close();
        asking = null;
        document.dispatchEvent(new Event('rag-key-changed'));
        resolve();
      },
    },
    h('h2', {id: 'key-title'}, 'API key'),
    h('p', {class: 'key-reason'}, reason),
    h('label', {for: 'api-key'}, 'Key'), ' ', input, ' ',
    h('button', {type: 'submit'}, 'Sign in'),
    h('p', {class: 'muted'}, 'Kept for this browser tab only; closing it or "Sign out" forgets it.')));
    dialog.showModal();
    input.focus();
  });
  return asking;
}

export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export async function api(path, {method = 'GET', json, body, contentType, signal} = {}) {
  const init = {method, signal, headers: {Accept: 'application/json, application/problem+json'}};
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
    init.headers['Content-Type'] = contentType ?? 'text/plain';
  }
  const response = await send(path, init);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

/** The body as text (an original source file). */
export async function text(path) {
  return (await send(path, {})).text();
}

async function send(path, init) {
  for (;;) {
    let response;
    try {
      response = await fetch(path, {...init, headers: authorized(init.headers)});
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ProblemError({title: 'The service did not answer', detail: `${init.method ?? 'GET'} ${path}: ${e.message}`}, 0);
    }
    if (response.status === 401) {
      const refused = await problemOf(response);
      const hadKey = apiKey() != null;
      sessionStorage.removeItem(KEY);
      await askForKey(hadKey ? `The key was not accepted: ${refused.message}` : 'This service needs an API key.');
      continue;
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }
}

/** A URL for a response body (a page image, an original file, a report) fetched with the key: links cannot send it. */
export async function objectUrl(path) {
  return URL.createObjectURL(await (await send(path, {})).blob());
}

async function problemOf(response) {
  const body = await response.text();
  try {
    const problem = JSON.parse(body);
    if (problem && typeof problem === 'object') return new ProblemError(problem, response.status);
  } catch { /* not JSON */ }
  return new ProblemError({title: `HTTP ${response.status}`, detail: body.slice(0, 500) || response.statusText},
    response.status);
}

/** Multipart upload with progress (fetch cannot report upload progress). Resolves to the parsed 202 body. */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (apiKey()) xhr.setRequestHeader('Authorization', `Bearer ${apiKey()}`);
    xhr.upload.onprogress = e => e.lengthComputable && onProgress?.(e.loaded / e.total);
    xhr.onerror = () => reject(new ProblemError({title: 'Upload failed', detail: 'the connection to the service broke'}, 0));
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ProblemError(body ?? {title: `HTTP ${xhr.status}`, detail: xhr.responseText.slice(0, 500)}, xhr.status));
    };
    xhr.send(form);
  });
}

/**
 * POSTs JSON and reads the server-sent event stream of the answer: yields {event, data} with data parsed from JSON.
 * A refusal before the stream starts (4xx/5xx problem+json) is thrown as ProblemError.
 */
export async function* events(path, json, signal) {
  const response = await send(path, {
    method: 'POST', signal, body: JSON.stringify(json),
    headers: {'Content-Type': 'application/json', Accept: 'text/event-stream, application/problem+json'},
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield {event, data: JSON.parse(data.join('\n'))};
    }
  }
}
