// Evaluation: start a needle-in-a-haystack, retrieval-accuracy or retrieval-budget run, watch it, read its report
// (a budget sweep's chart included); past runs listed.
import {api, objectUrl, text} from './api.js';
import {badge, empty, errorBox, format, h, replace, table} from './dom.js';
import {poll} from './poll.js';

const FINISHED = new Set(['succeeded', 'failed']);

export function evalView() {
  const runs = h('div', {id: 'runs', 'aria-live': 'polite'}, h('p', {class: 'muted'}, 'Loading runs…'));
  const compare = compareForm();
  const poller = poll(async () => {
    const list = (await api('/api/eval/runs')).runs;
    replace(runs, list.length ? table(['Run', 'Kind', 'State', 'Progress', 'Created', 'Outcome'], list.map(r => h('tr', {},
      h('td', {}, h('a', {href: `#/eval/${encodeURIComponent(r.runId)}`}, r.runId)),
      h('td', {}, r.kind), h('td', {}, badge(r.state)),
      h('td', {}, r.progress ? `${r.progress.done} / ${r.progress.total}` : ''),
      h('td', {}, format.date(r.createdAt)), h('td', {class: 'detail'}, r.summary ?? r.error ?? '')))) : empty('No runs yet.'));
    compare.offer(list.filter(r => r.kind === 'qa' && r.state === 'succeeded'));
    return list.every(r => FINISHED.has(r.state));
  }, 2000, err => replace(runs, errorBox(err, 'Could not list the runs')));

  const element = h('section', {class: 'page'}, h('h1', {}, 'Evaluation'),
    h('div', {class: 'forms'}, niahForm(), retrievalForm(), qaForm(), questionSetForm(), budgetForm()),
    h('h2', {}, 'Runs'), runs, compare.element);
  return {element, dispose: () => poller.stop()};
}

/** Two succeeded retrieval-accuracy runs side by side (the service's comparison page, shown below the form). */
function compareForm() {
  const base = h('select');
  const run = h('select');
  const result = h('div', {id: 'compare-result'});
  let offered = '';
  const element = h('form', {class: 'card', id: 'compare-form', hidden: true, onsubmit: async e => {
    e.preventDefault();
    try {
      const url = await objectUrl(`/api/eval/compare.html?base=${encodeURIComponent(base.value)}`
        + `&run=${encodeURIComponent(run.value)}`);
      replace(result, h('iframe', {src: url, title: 'Comparison of two runs', class: 'report'}));
    } catch (err) {
      replace(result, errorBox(err, 'Could not compare the runs'));
    }
  }},
  h('h2', {}, 'Compare two retrieval-accuracy runs'),
  field('compare-base', 'Before', base), field('compare-run', 'After', run),
  h('button', {type: 'submit'}, 'Compare'), result);
  return {element, offer(list) {
    const ids = list.map(r => r.runId).join(',');
    if (ids === offered) return;
    offered = ids;
    element.hidden = list.length < 2;
    const options = () => list.map(r => h('option', {value: r.runId}, `${r.runId} (${r.summary ?? ''})`));
    replace(base, ...options());
    replace(run, ...options());
    if (list.length > 1) base.value = list[1].runId; // newest first: the older one is "before"
  }};
}

function numbers(text, what) {
  const values = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (values.some(Number.isNaN)) throw new Error(`${what}: write numbers separated by commas`);
  return values.length ? values : null;
}

function field(id, label, control, hint) {
  control.id = id;
  return h('div', {class: 'field'}, h('label', {for: id}, label), control, hint ? h('small', {}, hint) : null);
}

function startRun(path, body, errors) {
  replace(errors);
  return api(path, {method: 'POST', json: body})
    .then(run => { location.hash = `#/eval/${encodeURIComponent(run.runId)}`; })
    .catch(err => replace(errors, errorBox(err, 'The run was refused')));
}

function niahForm() {
  const source = h('select', {onchange: () => {
    folder.parentElement.hidden = source.value !== 'folder';
    collection.parentElement.hidden = source.value !== 'collection';
  }}, h('option', {value: 'default'}, 'the shipped public-domain text'), h('option', {value: 'folder'}, 'a server folder'),
  h('option', {value: 'collection'}, 'a collection'));
  const folder = h('input', {placeholder: '/srv/corpora/pg-essays'});
  const collection = h('select');
  const profile = h('select');
  const mode = h('select', {}, ['retrieve', 'stuff', 'end-to-end'].map(m => h('option', {value: m}, m)));
  const lengths = h('input', {value: '1000, 8000, 32000', inputmode: 'numeric'});
  const depths = h('input', {value: '0, 25, 50, 75, 100', inputmode: 'numeric'});
  const variant = h('select', {}, ['single', 'multi', 'multi-key'].map(v => h('option', {value: v}, v)));
  const needle = h('textarea', {rows: 2, placeholder: 'default: the original harness\'s needle about San Francisco'});
  const question = h('input', {placeholder: 'default: What is the best thing to do in San Francisco?'});
  const judge = h('select', {}, h('option', {value: ''}, 'none: score by word matching'));
  const errors = h('div');
  Promise.all([api('/api/profiles'), api('/api/collections')]).then(([p, cs]) => {
    replace(profile, p.profiles.map(x => h('option', {value: x.name}, x.name)));
    profile.value = p.defaultProfile;
    replace(collection, cs.map(c => h('option', {value: c.name}, c.name)));
    judge.append(...p.profiles.filter(x => x.model).map(x => h('option', {value: x.name}, `${x.name} (${x.model})`)));
  }).catch(err => replace(errors, errorBox(err)));
  const form = h('form', {class: 'card', id: 'niah-form', onsubmit: e => {
    e.preventDefault();
    try {
      const body = {profile: profile.value, mode: mode.value, variant: variant.value,
        contextLengths: numbers(lengths.value, 'Context lengths'), depthPercents: numbers(depths.value, 'Depths')};
      if (source.value === 'folder') body.haystackPath = folder.value.trim();
      if (source.value === 'collection') body.collection = collection.value;
      if (needle.value.trim()) body.needles = needle.value.split('\n').map(s => s.trim()).filter(Boolean);
      if (question.value.trim()) body.question = question.value.trim();
      if (mode.value === 'end-to-end' && judge.value) body.judgeProfile = judge.value;
      startRun('/api/eval/niah', body, errors);
    } catch (err) {
      replace(errors, errorBox(err));
    }
  }},
  h('h2', {}, 'Needle in a haystack'),
  field('niah-source', 'Haystack', source),
  field('niah-folder', 'Server folder', folder, 'under rag.ingest.allowed-roots'),
  field('niah-collection', 'Collection', collection),
  field('niah-profile', 'Profile', profile),
  field('niah-mode', 'Mode', mode, 'retrieve: is the needle packed; stuff: does it fit at its depth; end-to-end: ask the model'),
  field('niah-lengths', 'Context lengths (tokens)', lengths),
  field('niah-depths', 'Depths (%)', depths),
  field('niah-variant', 'Variant', variant),
  field('niah-needles', 'Needles (one per line)', needle),
  field('niah-question', 'Question', question),
  field('niah-judge', 'Judge model (end-to-end)', judge, 'grades each answer from 1 to 10; a profile with a model server'),
  h('button', {type: 'submit'}, 'Start the run'), errors);
  folder.parentElement.hidden = true;
  collection.parentElement.hidden = true;
  return form;
}

function retrievalForm() {
  const dataset = h('input', {required: true, placeholder: '/srv/corpora/scifact'});
  const boxes = ['bm25', 'dense', 'hybrid'].map(r => h('label', {class: 'check'},
    h('input', {type: 'checkbox', value: r, checked: true, name: 'retriever'}), ` ${r}`));
  const k = h('input', {type: 'number', min: 10, max: 1000, value: 100});
  const split = h('input', {value: 'test'});
  const errors = h('div');
  return h('form', {class: 'card', id: 'retrieval-form', onsubmit: e => {
    e.preventDefault();
    const retrievers = boxes.map(b => b.querySelector('input')).filter(b => b.checked).map(b => b.value);
    startRun('/api/eval/retrieval', {datasetPath: dataset.value.trim(), retrievers, k: Number(k.value),
      split: split.value.trim() || 'test'}, errors);
  }},
  h('h2', {}, 'Retrieval accuracy (BEIR)'),
  field('retrieval-dataset', 'Dataset folder', dataset, 'corpus.jsonl, queries.jsonl, qrels/<split>.tsv; under rag.ingest.allowed-roots'),
  h('fieldset', {}, h('legend', {}, 'Retrievers'), boxes),
  field('retrieval-k', 'Documents per query (k)', k),
  field('retrieval-split', 'Split', split),
  h('button', {type: 'submit'}, 'Start the run'), errors);
}

export function runView(runId) {
  const head = h('div', {id: 'run-state', 'aria-live': 'polite'}, h('p', {class: 'muted'}, 'Loading the run…'));
  const report = h('div', {id: 'run-report'});
  const poller = poll(async () => {
    const run = await api(`/api/eval/runs/${encodeURIComponent(runId)}`);
    replace(head,
      h('p', {}, badge(run.state), ` ${run.kind} run · created ${format.date(run.createdAt)}`,
        run.finishedAt ? ` · finished ${format.date(run.finishedAt)}` : ''),
      run.progress ? h('p', {}, h('progress', {max: Math.max(1, run.progress.total), value: run.progress.done}),
        ` ${run.progress.done} of ${run.progress.total} steps`) : null,
      run.summary ? h('p', {class: 'summary'}, run.summary) : null,
      run.error ? errorBox({problem: {title: 'The run failed', detail: run.error}}) : null,
      h('details', {}, h('summary', {}, 'Settings'), h('pre', {}, JSON.stringify(run.settings, null, 2))));
    if (run.state === 'succeeded' && run.report && !report.firstChild) {
      const url = await objectUrl(run.report);
      replace(report,
        h('p', {}, h('a', {href: url, target: '_blank', rel: 'noopener'}, 'Open the report on its own page')),
        h('iframe', {src: url, title: `Report of run ${runId}`, class: 'report'}));
    }
    return FINISHED.has(run.state);
  }, 1000, err => replace(head, errorBox(err, 'Could not read the run')));
  const element = h('section', {class: 'page'},
    h('p', {class: 'crumbs'}, h('a', {href: '#/eval'}, 'Evaluation'), ' / '),
    h('h1', {}, `Run ${runId}`), head, report);
  return {element, dispose: () => poller.stop()};
}

/** Questions as lines "question | expected answer". */
function questionLines(text) {
  const lines = text.split('\n').map(s => s.trim()).filter(Boolean);
  return lines.map((line, i) => {
    const bar = line.lastIndexOf('|');
    if (bar < 1) throw new Error(`Question ${i + 1}: write "question | expected answer"`);
    return {question: line.slice(0, bar).trim(), answer: line.slice(bar + 1).trim()};
  });
}

function budgetForm() {
  const collection = h('select');
  const profile = h('select');
  const budgets = h('input', {value: '4096, 8192, 16384, 32768, 65536', inputmode: 'numeric'});
  const questions = h('textarea', {rows: 4, required: true,
    placeholder: 'When was the lighthouse built? | 1870\nWho made its lens? | Henry-Lepaute'});
  const errors = h('div');
  Promise.all([api('/api/profiles'), api('/api/collections')]).then(([p, cs]) => {
    replace(profile, p.profiles.filter(x => x.model).map(x => h('option', {value: x.name}, `${x.name} (${x.model})`)));
    replace(collection, cs.map(c => h('option', {value: c.name}, c.name)));
  }).catch(err => replace(errors, errorBox(err)));
  return h('form', {class: 'card', id: 'budget-form', onsubmit: e => {
    e.preventDefault();
    try {
      startRun('/api/eval/budgets', {collection: collection.value, profile: profile.value,
        budgets: numbers(budgets.value, 'Budgets'), questions: questionLines(questions.value)}, errors);
    } catch (err) {
      replace(errors, errorBox(err));
    }
  }},
  h('h2', {}, 'Retrieval budgets'),
  field('budget-collection', 'Collection', collection),
  field('budget-profile', 'Profile (with a model server)', profile),
  field('budget-budgets', 'Budgets (tokens)', budgets, 'each question is asked in retrieve mode at each budget; the report charts accuracy and tokens per answer'),
  field('budget-questions', 'Questions', questions, 'one per line: question | expected answer'),
  h('button', {type: 'submit'}, 'Start the run'), errors);
}

function qaForm() {
  const collection = h('select', {onchange: () => loadSets()});
  const set = h('select');
  const lines = h('textarea', {rows: 3,
    placeholder: '{"id": "q1", "question": "...", "expected": [{"source": "report.pdf", "pages": [3, 3]}]}'});
  // hybrid+rerank needs a reranker (rag.rerank.base-url); the run is refused with a clear message without one
  const boxes = ['bm25', 'dense', 'hybrid', 'hybrid+rerank'].map(r => h('label', {class: 'check'},
    h('input', {type: 'checkbox', value: r, checked: r !== 'hybrid+rerank', name: 'qa-retriever'}), ` ${r}`));
  const k = h('input', {type: 'number', min: 10, max: 200, value: 10});
  const errors = h('div');
  const enc = encodeURIComponent;
  function loadSets() {
    if (!collection.value) return;
    api(`/api/collections/${enc(collection.value)}/question-sets`).then(sets => replace(set,
      h('option', {value: ''}, 'the questions below'),
      ...sets.map(x => h('option', {value: x.name}, `${x.name} (${x.questions} questions)`))))
      .catch(err => replace(errors, errorBox(err)));
  }
  api('/api/collections').then(cs => {
    replace(collection, cs.map(c => h('option', {value: c.name}, c.name)));
    loadSets();
  }).catch(err => replace(errors, errorBox(err)));
  return h('form', {class: 'card', id: 'qa-form', onsubmit: e => {
    e.preventDefault();
    try {
      const body = {collection: collection.value, k: Number(k.value),
        retrievers: boxes.map(b => b.querySelector('input')).filter(b => b.checked).map(b => b.value)};
      if (set.value) {
        body.questionSet = set.value;
      } else {
        body.questions = lines.value.split('\n').map(l => l.trim()).filter(Boolean).map((l, i) => {
          try { return JSON.parse(l); } catch { throw new Error(`Question line ${i + 1} is not JSON`); }
        });
      }
      startRun('/api/eval/qa', body, errors);
    } catch (err) {
      replace(errors, errorBox(err));
    }
  }},
  h('h2', {}, 'Retrieval accuracy (your collection)'),
  field('qa-collection', 'Collection', collection),
  field('qa-set', 'Question set', set, 'stored with POST /api/collections/{collection}/question-sets?name='),
  field('qa-lines', 'Questions (JSON lines)', lines, 'id, question, expected: [{source, pages | timeMs | lines | text}]'),
  h('fieldset', {}, h('legend', {}, 'Retrievers'), boxes),
  field('qa-k', 'Chunks per question (k)', k),
  h('button', {type: 'submit'}, 'Start the run'), errors);
}

/**
 * Question sets: draft one with a profile's model (a run; every question marked drafted), then load a set, read and
 * edit its JSON lines, mark the questions checked and save it (replacing a set needs an admin key).
 */
function questionSetForm() {
  const enc = encodeURIComponent;
  const collection = h('select', {onchange: () => loadSets()});
  const set = h('select');
  const lines = h('textarea', {rows: 8, spellcheck: 'false'});
  const status = h('p', {class: 'muted', id: 'set-status'});
  const errors = h('div');
  const draftName = h('input', {type: 'text', placeholder: 'drafted-1', pattern: '[A-Za-z0-9][A-Za-z0-9._-]{0,63}'});
  const draftProfile = h('select');
  const draftCount = h('input', {type: 'number', min: 1, max: 200, value: 20});
  function countDrafted() {
    const all = lines.value.split('\n').map(l => l.trim()).filter(Boolean);
    const drafted = all.filter(l => { try { return JSON.parse(l).drafted === true; } catch { return false; } });
    status.textContent = `${all.length} questions, ${drafted.length} still marked drafted (unchecked)`;
    status.dataset.drafted = String(drafted.length);
  }
  function loadSets(selected) {
    if (!collection.value) return;
    api(`/api/collections/${enc(collection.value)}/question-sets`).then(sets => {
      replace(set, ...sets.map(x => h('option', {value: x.name}, `${x.name} (${x.questions} questions)`)));
      if (selected) set.value = selected;
    }).catch(err => replace(errors, errorBox(err)));
  }
  function load() {
    replace(errors);
    if (!set.value) return;
    text(`/api/collections/${enc(collection.value)}/question-sets/${enc(set.value)}`)
      .then(body => { lines.value = body; countDrafted(); })
      .catch(err => replace(errors, errorBox(err, 'Could not load the set')));
  }
  function markChecked() {
    lines.value = lines.value.split('\n').map(l => {
      if (!l.trim()) return l;
      try {
        const q = JSON.parse(l);
        delete q.drafted;
        return JSON.stringify(q);
      } catch {
        return l; // left as written: saving names the line that is not JSON
      }
    }).join('\n');
    countDrafted();
  }
  function save() {
    replace(errors);
    api(`/api/collections/${enc(collection.value)}/question-sets?name=${enc(set.value)}`,
      {method: 'POST', body: lines.value, contentType: 'application/x-ndjson'})
      .then(saved => {
        countDrafted();
        status.textContent = `Saved: ${saved.questions} questions in ${saved.name}; ${status.textContent}`;
      })
      .catch(err => replace(errors, errorBox(err, 'The set was not saved')));
  }
  api('/api/collections').then(cs => {
    replace(collection, cs.map(c => h('option', {value: c.name}, c.name)));
    loadSets();
  }).catch(err => replace(errors, errorBox(err)));
  api('/api/profiles').then(ps => replace(draftProfile, ps.profiles.filter(p => p.baseUrl)
    .map(p => h('option', {value: p.name}, p.name)))).catch(err => replace(errors, errorBox(err)));
  lines.addEventListener('input', countDrafted);
  return h('form', {class: 'card', id: 'set-form', onsubmit: e => {
    e.preventDefault();
    startRun('/api/eval/draft', {collection: collection.value, name: draftName.value.trim(),
      profile: draftProfile.value || undefined, questions: Number(draftCount.value)}, errors);
  }},
  h('h2', {}, 'Question sets'),
  field('set-collection', 'Collection', collection),
  field('set-name', 'Set', set),
  h('div', {class: 'inline-form'},
    h('button', {type: 'button', id: 'set-load', onclick: load}, 'Load'),
    h('button', {type: 'button', id: 'set-check', onclick: markChecked}, 'Mark all checked'),
    h('button', {type: 'button', id: 'set-save', onclick: save}, 'Save')),
  field('set-lines', 'Questions (JSON lines: edit, then save)', lines,
    'drafted questions are marked "drafted": true until you check them'),
  status,
  h('h3', {}, 'Draft a new set with a model'),
  field('draft-name', 'New set name', draftName),
  field('draft-profile', 'Profile (with a model server)', draftProfile),
  field('draft-count', 'Questions', draftCount),
  h('button', {type: 'submit'}, 'Draft the questions'), errors);
}
