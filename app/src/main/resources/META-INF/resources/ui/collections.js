// Collections: the list with counts, creating and deleting one, uploading files and folders with live per-file
// progress, documents.
import {api, upload} from './api.js';
import {badge, empty, errorBox, format, h, replace, table} from './dom.js';
import {poll} from './poll.js';
import {openSource} from './viewer.js';

const FINAL_FILE_STATES = new Set(['done', 'unchanged', 'failed']);
const PAGE_SIZE = 50;
const JOB_KINDS = {ingest: 'Upload', repair: 'Repair', reindex: 'Re-index'};

/**
 * Asks, naming the collection and its document count, then deletes it. Resolves true once it is deleted, false
 * when the person changed their mind; a refusal is thrown as the service's problem.
 */
async function deleteCollection(name, documents) {
  const count = `${format.int(documents)} ${documents === 1 ? 'document' : 'documents'}`;
  if (!confirm(`Delete the collection ${name} and its ${count}? Its conversations go too, and uploads still`
    + ' waiting or running for it are cancelled. This cannot be undone.')) return false;
  await api(`/api/collections/${encodeURIComponent(name)}`, {method: 'DELETE'});
  return true;
}

export function collectionsView() {
  const list = h('div', {'aria-live': 'polite'}, h('p', {class: 'muted'}, 'Loading collections…'));
  const listError = h('div', {id: 'collections-error'});
  const name = h('input', {id: 'new-collection', name: 'name', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]{0,127}',
    placeholder: 'e.g. legal-2024', autocomplete: 'off'});
  const createError = h('div');
  const form = h('form', {class: 'inline-form', onsubmit: async e => {
    e.preventDefault();
    replace(createError);
    try {
      await api('/api/collections', {method: 'POST', json: {name: name.value.trim()}});
      location.hash = `#/collections/${encodeURIComponent(name.value.trim())}`;
    } catch (err) {
      replace(createError, errorBox(err, 'Could not create the collection'));
    }
  }},
  h('label', {for: 'new-collection'}, 'New collection'), name, h('button', {type: 'submit'}, 'Create'));

  async function load() {
    try {
      const collections = await api('/api/collections');
      if (!collections.length) {
        replace(list, empty('No collections yet. Create one below, then upload files into it.'));
        return;
      }
      replace(list, table(['Collection', 'Documents', 'Chunks', 'Tokens', ''], collections.map(c => h('tr',
        {dataset: {collection: c.name}},
        h('td', {}, h('a', {href: `#/collections/${encodeURIComponent(c.name)}`}, c.name),
          c.vectors?.needsReindex ? [' ', badge('needs re-index', 'needs-reindex')] : null),
        h('td', {class: 'num'}, format.int(c.documents)),
        h('td', {class: 'num'}, format.int(c.chunks)),
        h('td', {class: 'num'}, format.int(c.tokens)),
        h('td', {class: 'row-actions'}, h('a', {href: `#/chat/${encodeURIComponent(c.name)}`}, 'Chat'), ' ',
          h('button', {type: 'button', class: 'danger', 'aria-label': `Delete the collection ${c.name}`,
            onclick: async e => {
              replace(listError);
              e.target.disabled = true;
              try {
                if (await deleteCollection(c.name, c.documents)) await load();
              } catch (err) {
                replace(listError, errorBox(err, `Could not delete ${c.name}`));
              } finally {
                e.target.disabled = false;
              }
            }}, 'Delete')))),
      {id: 'collections'}));
    } catch (err) {
      replace(list, errorBox(err, 'Could not list the collections'));
    }
  }
  load();

  return {element: h('section', {class: 'page'}, h('h1', {}, 'Collections'), listError, list, form, createError)};
}

export function collectionView(collection) {
  const pollers = new Set();
  const stats = h('p', {class: 'muted', id: 'collection-stats'});
  const reindexBox = h('div', {id: 'reindex', 'aria-live': 'polite'});
  const jobsBox = h('div', {id: 'jobs', 'aria-live': 'polite'});
  const docsBox = h('div', {id: 'documents'});
  const deleteError = h('div', {id: 'delete-collection-error'});
  let offset = 0;
  let documentCount = 0;

  async function loadStats() {
    try {
      const c = await api(`/api/collections/${encodeURIComponent(collection)}`);
      documentCount = c.documents;
      replace(stats, `${format.int(c.documents)} documents · ${format.int(c.chunks)} chunks · ${format.int(c.tokens)} tokens`);
      renderReindex(c.vectors);
    } catch (err) {
      replace(stats, err.status === 404 ? 'Empty: upload files to create this collection.' : errorBox(err));
    }
  }

  async function loadDocuments() {
    try {
      const page = await api(`/api/collections/${encodeURIComponent(collection)}/documents?offset=${offset}&limit=${PAGE_SIZE}`);
      renderDocuments(page);
    } catch (err) {
      replace(docsBox, err.status === 404 ? empty('No documents yet.') : errorBox(err, 'Could not list the documents'));
    }
  }

  function renderDocuments(page) {
    if (!page.documents.length) {
      replace(docsBox, empty('No documents yet: drop files above.'));
      return;
    }
    const rows = page.documents.map(d => h('tr', {dataset: {documentId: d.id}},
      h('td', {}, h('button', {class: 'link', type: 'button', title: 'Open the document',
        onclick: () => openSource({documentId: d.id, source: d.sourcePath, title: d.title, page: d.pageCount ? 1 : null,
          startMs: d.metadata?.['rag:duration-ms'] ? 0 : null, lineStart: d.metadata?.['rag:line-count'] ? 1 : null})},
      d.sourcePath)),
      h('td', {}, d.mediaType),
      h('td', {}, extent(d)),
      h('td', {class: 'num'}, format.int(d.tokenCount)),
      h('td', {class: 'num'}, format.int(d.chunkCount)),
      h('td', {}, badge(d.status), d.error ? h('span', {class: 'detail'}, ` ${d.error}`) : null),
      h('td', {}, h('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${d.sourcePath}`, onclick: async e => {
        if (!confirm(`Delete ${d.sourcePath} from ${collection}?`)) return;
        e.target.disabled = true;
        try {
          await api(`/api/documents/${encodeURIComponent(d.id)}`, {method: 'DELETE'});
          refresh();
        } catch (err) {
          e.target.replaceWith(errorBox(err, 'Could not delete'));
        }
      }}, 'Delete'))));
    const pager = h('div', {class: 'pager'},
      h('button', {type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE_SIZE); loadDocuments(); }}, '‹ Previous'),
      h('span', {}, `${offset + 1}–${offset + page.documents.length} of ${format.int(page.total)}`),
      h('button', {type: 'button', disabled: offset + PAGE_SIZE >= page.total, onclick: () => { offset += PAGE_SIZE; loadDocuments(); }}, 'Next ›'));
    replace(docsBox, table(['Source', 'Type', 'Pages / length', 'Tokens', 'Chunks', 'Status', ''], rows), pager);
  }

  let reindexJob = null;

  /** A notice with a Re-index button while the collection's vectors come from another embedding model. */
  function renderReindex(vectors) {
    if (!vectors?.needsReindex) {
      reindexJob = null;
      replace(reindexBox);
      return;
    }
    const from = `${vectors.model} (${vectors.dimension} dimensions)`;
    const to = `${vectors.configuredModel} (${vectors.configuredDimension} dimensions)`;
    const status = h('div', {}, reindexJob != null ? h('p', {}, 'Re-indexing; progress below.') : null);
    const button = h('button', {type: 'button', id: 'reindex-button', disabled: reindexJob != null, onclick: async () => {
      button.disabled = true;
      replace(status);
      try {
        const job = await api(`/api/collections/${encodeURIComponent(collection)}/reindex`, {method: 'POST'});
        reindexJob = job.jobId;
        replace(status, h('p', {}, `Re-indexing ${format.int(job.files.length)} documents; progress below.`));
        track(job);
      } catch (err) {
        button.disabled = false;
        replace(status, errorBox(err, 'The re-index was refused'));
      }
    }}, 'Re-index');
    replace(reindexBox, h('div', {class: 'notice'},
      h('p', {}, h('strong', {}, 'This collection needs re-indexing. '),
        `Its vectors come from ${from}, but the service now embeds with ${to}. Until it is re-indexed, questions are`
        + ' answered from keyword search (BM25) alone. Re-indexing embeds every document again; the collection switches'
        + ' to the new vectors when all are done.'),
      button, status));
  }

  function refresh() {
    loadStats();
    loadDocuments();
  }

  /** Shows a job and polls it until every file is final. */
  function track(job) {
    const box = h('div', {class: 'job', dataset: {jobId: job.jobId}});
    jobsBox.prepend(box);
    let searchableSeen = 0;
    const poller = poll(async () => {
      const current = await api(`/api/jobs/${encodeURIComponent(job.jobId)}`);
      renderJob(box, current);
      const searchable = current.files.filter(f => ['searchable', 'embedding', 'done'].includes(f.status)).length;
      if (searchable !== searchableSeen) {
        searchableSeen = searchable;
        refresh();
      }
      const finished = current.files.every(f => FINAL_FILE_STATES.has(f.status));
      if (finished) {
        pollers.delete(poller);
        refresh();
      }
      return finished;
    }, 1000, err => renderJobError(box, err));
    pollers.add(poller);
  }

  async function resumeJobs() {
    try {
      const jobs = await api('/api/jobs?limit=20');
      jobs.filter(j => j.collection === collection).reverse().forEach(j => {
        if (j.kind === 'reindex' && !j.files.every(f => FINAL_FILE_STATES.has(f.status))) reindexJob = j.jobId;
        if (j.files.every(f => FINAL_FILE_STATES.has(f.status))) {
          const box = h('div', {class: 'job', dataset: {jobId: j.jobId}});
          jobsBox.prepend(box);
          renderJob(box, j);
        } else {
          track(j);
        }
      });
    } catch (err) {
      jobsBox.append(errorBox(err, 'Could not list the ingest jobs'));
    }
  }

  const uploader = uploadForm(collection, track);
  loadStats();
  loadDocuments();
  resumeJobs();

  const element = h('section', {class: 'page'},
    h('p', {class: 'crumbs'}, h('a', {href: '#/collections'}, 'Collections'), ' / '),
    h('div', {class: 'title-row'}, h('h1', {}, collection),
      h('div', {class: 'row-actions'},
        h('a', {class: 'button', href: `#/chat/${encodeURIComponent(collection)}`}, 'Chat with this collection'), ' ',
        h('button', {type: 'button', class: 'danger', id: 'delete-collection', onclick: async e => {
          replace(deleteError);
          e.target.disabled = true;
          try {
            if (await deleteCollection(collection, documentCount)) location.hash = '#/collections';
          } catch (err) {
            replace(deleteError, errorBox(err, 'Could not delete the collection'));
          } finally {
            e.target.disabled = false;
          }
        }}, 'Delete collection'))),
    deleteError, stats, reindexBox, uploader,
    h('h2', {}, 'Jobs'), jobsBox,
    h('h2', {}, 'Documents'), docsBox);
  return {element, dispose: () => pollers.forEach(p => p.stop())};
}

function extent(d) {
  if (d.pageCount) return `${d.pageCount} ${d.pageCount === 1 ? 'page' : 'pages'}`;
  const duration = d.metadata?.['rag:duration-ms'];
  if (duration) return format.time(Number(duration));
  const lines = d.metadata?.['rag:line-count'];
  if (lines) return `${format.int(lines)} lines`;
  return '–';
}

function renderJob(box, job) {
  const rows = job.files.map(f => h('tr', {dataset: {file: f.sourcePath ?? f.name, status: f.status}},
    h('td', {}, f.sourcePath ?? f.name),
    h('td', {}, badge(f.status)),
    h('td', {}, f.outcome ?? ''),
    h('td', {class: 'num'}, format.int(f.chunks)),
    h('td', {class: 'num'}, format.int(f.tokens)),
    h('td', {class: 'detail'}, f.error ? `${f.error.title}: ${f.error.detail}` : '')));
  replace(box,
    h('p', {}, h('strong', {}, `${JOB_KINDS[job.kind] ?? 'Job'} ${job.jobId.slice(0, 8)}`), ' ', badge(job.state),
      ` ${job.progress.done} of ${job.progress.total} files finished · ${format.date(job.createdAt)}`),
    h('progress', {max: Math.max(1, job.progress.total), value: job.progress.done}),
    table(['File', 'Status', 'Outcome', 'Chunks', 'Tokens', 'Error'], rows));
}

function renderJobError(box, err) {
  const old = box.querySelector('.error');
  old?.remove();
  box.append(errorBox(err, 'Progress is not available right now'));
}

/** Drop zone and pickers for files and folders; archives (zip, tar, tar.gz) are expanded by the service. */
function uploadForm(collection, onJob) {
  const status = h('div', {'aria-live': 'polite'});
  const prefix = h('input', {id: 'upload-prefix', placeholder: 'optional, e.g. contracts/2024', autocomplete: 'off'});
  const files = h('input', {type: 'file', multiple: true, id: 'upload-files', class: 'visually-hidden',
    onchange: () => send([...files.files].map(f => ({file: f, path: f.name})), files)});
  const folder = h('input', {type: 'file', multiple: true, webkitdirectory: true, id: 'upload-folder', class: 'visually-hidden',
    onchange: () => send([...folder.files].map(f => ({file: f, path: f.webkitRelativePath || f.name})), folder)});

  async function send(entries, input) {
    if (!entries.length) return;
    const form = new FormData();
    for (const {file, path} of entries) form.append('file', file, path);
    if (prefix.value.trim()) form.append('path', prefix.value.trim());
    const bar = h('progress', {max: 1, value: 0});
    replace(status, h('p', {}, `Uploading ${entries.length} ${entries.length === 1 ? 'file' : 'files'}… `), bar);
    try {
      const job = await upload(`/api/collections/${encodeURIComponent(collection)}/documents`, form, p => { bar.value = p; });
      replace(status, h('p', {class: 'ok'}, `Accepted ${job.files.length} ${job.files.length === 1 ? 'file' : 'files'}; progress below.`));
      onJob(job);
    } catch (err) {
      replace(status, errorBox(err, 'The upload was refused'));
    } finally {
      if (input) input.value = '';
    }
  }

  const zone = h('div', {class: 'dropzone', tabindex: 0, role: 'button', id: 'dropzone',
    'aria-label': 'Drop files or folders here, or press Enter to choose files',
    onclick: () => files.click(),
    onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); files.click(); } },
    ondragover: e => { e.preventDefault(); zone.classList.add('over'); },
    ondragleave: () => zone.classList.remove('over'),
    ondrop: async e => {
      e.preventDefault();
      zone.classList.remove('over');
      send(await droppedFiles(e.dataTransfer));
    }},
  h('strong', {}, 'Drop files or folders here'),
  h('span', {}, 'PDF, office documents, web pages, transcripts (VTT, SRT), source code, text; zip and tar archives are unpacked.'));

  return h('div', {class: 'card'},
    h('h2', {}, 'Upload'), zone,
    h('div', {class: 'inline-form'},
      h('label', {for: 'upload-files', class: 'button'}, 'Choose files…'), files,
      h('label', {for: 'upload-folder', class: 'button'}, 'Choose a folder…'), folder,
      h('label', {for: 'upload-prefix'}, 'Put under'), prefix),
    status);
}

/** Files from a drop, folders walked recursively, each with its path relative to what was dropped. */
async function droppedFiles(transfer) {
  const entries = [...transfer.items].map(item => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...transfer.files].map(f => ({file: f, path: f.name}));
  const out = [];
  const walk = async (entry, path) => {
    if (entry.isFile) {
      out.push({file: await new Promise((ok, fail) => entry.file(ok, fail)), path: path + entry.name});
      return;
    }
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${path}${entry.name}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}
