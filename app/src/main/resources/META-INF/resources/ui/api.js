// The service's HTTP API: JSON in and out, problem+json errors turned into ProblemError with the server's detail.

export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export async function api(path, {method = 'GET', json, signal} = {}) {
  const init = {method, signal, headers: {Accept: 'application/json, application/problem+json'}};
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
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
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ProblemError({title: 'The service did not answer', detail: `${init.method ?? 'GET'} ${path}: ${e.message}`}, 0);
  }
  if (!response.ok) throw await problemOf(response);
  return response;
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
