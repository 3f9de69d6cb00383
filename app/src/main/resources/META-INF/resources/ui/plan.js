// The plan behind an answer: stuff or retrieve and why, window, budget, tokens, what went in and what was left out.
import {api} from './api.js';
import {errorBox, format, h, locationOf, replace, table} from './dom.js';

const PROMPT_SHOWN_CHARS = 2_000_000;
const LARGE_PROMPT_TOKENS = 1_000_000;

/** request: {collection, question, profile, mode} to fetch the assembled prompt with the same plan. */
export function planPanel(plan, request) {
  const facts = [
    ['Mode', plan.mode], ['Why', plan.reason],
    plan.retrieval ? ['Retrieval', plan.retrieval === 'bm25' ? 'BM25 only (the collection needs re-indexing)' : 'hybrid (BM25 and vectors)'] : null,
    plan.rerank ? ['Reranking', plan.rerank] : null,
    ['Profile', plan.profile],
    ['Context window', `${format.int(plan.contextWindow)} tokens`], ['Answer reserve', `${format.int(plan.answerReserve)} tokens`],
    ['Budget', `${format.int(plan.budget)} tokens`], ['Safety margin', `${format.fixed(plan.safetyMargin * 100, 0)} %`],
    ['Corpus in scope', `${format.int(plan.corpusTokens)} tokens in ${format.int(plan.documentsInScope)} documents`],
    ['Prompt', `${format.int(plan.promptTokens)} tokens (${plan.tokenCounting === 'exact' ? `counted exactly with ${plan.tokenizer}` : plan.tokenCounting})`],
    plan.tokenRatio != null ? ['Token calibration', `server/stored ratio ${format.fixed(plan.tokenRatio, 3)}`] : null,
    plan.estimatedPrefillSeconds != null ? ['Estimated prefill', `${format.fixed(plan.estimatedPrefillSeconds, 1)} s`] : null,
  ].filter(Boolean);
  const promptBox = h('div');
  const parts = [
    h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {dataset: {fact: k}}, v)])),
  ];
  if (plan.route?.length) {
    parts.push(h('h3', {}, 'Route'), table(['Step', 'Mode', 'Tokens'], plan.route.map((s, i) => h('tr', {},
      h('td', {class: 'num'}, String(i + 1)), h('td', {}, s.mode), h('td', {class: 'num'}, format.int(s.tokens))))));
  }
  if (plan.documents?.length) {
    parts.push(h('h3', {}, plan.mode === 'stuff' ? 'Documents in the prompt' : 'Documents cited from'),
      table(['Label', 'Source', 'Type', 'Tokens'], plan.documents.map(d => h('tr', {},
        h('td', {}, d.label ?? ''), h('td', {}, d.source), h('td', {}, d.mediaType), h('td', {class: 'num'}, format.int(d.tokens))))));
  }
  if (plan.documentsLeftOut?.length) {
    parts.push(h('h3', {}, 'Documents left out'),
      table(['Source', 'Tokens'], plan.documentsLeftOut.map(d => h('tr', {}, h('td', {}, d.source), h('td', {class: 'num'}, format.int(d.tokens))))));
  }
  if (plan.chunks?.length) {
    parts.push(h('h3', {}, `Chunks in the prompt (${plan.chunks.length}; ${format.int(plan.chunksLeftOut)} more retrieved but left out)`),
      table(['Cite', 'Source', 'Where', 'Tokens', 'Score'], plan.chunks.map(c => h('tr', {},
        h('td', {}, c.id), h('td', {}, c.source ?? c.documentId), h('td', {}, locationOf(c)),
        h('td', {class: 'num'}, format.int(c.tokens)), h('td', {class: 'num'}, format.fixed(c.score, 4))))));
  }
  if (plan.bestLeftOut?.length) {
    parts.push(h('h3', {}, 'Best chunks left out'),
      table(['Document', 'Where', 'Tokens', 'Score'], plan.bestLeftOut.map(c => h('tr', {},
        h('td', {}, c.documentId), h('td', {}, locationOf(c)), h('td', {class: 'num'}, format.int(c.tokens)),
        h('td', {class: 'num'}, format.fixed(c.score, 4))))));
  }
  const big = plan.promptTokens > LARGE_PROMPT_TOKENS;
  const button = h('button', {type: 'button', class: 'show-prompt', onclick: async () => {
    if (big && !confirm(`The prompt is about ${format.int(plan.promptTokens)} tokens (some ${format.int(Math.round(
      plan.promptTokens * 4 / 1e6))} MB): load it into the page anyway?`)) return;
    button.disabled = true;
    replace(promptBox, h('p', {class: 'muted'}, 'Assembling the prompt…'));
    try {
      const {collection, ...body} = request;
      const withPrompt = await api(`/api/collections/${encodeURIComponent(collection)}/plan?includePrompt=true`,
        {method: 'POST', json: body});
      const prompt = withPrompt.prompt ?? '';
      replace(promptBox,
        h('p', {class: 'muted'}, `${format.int(prompt.length)} characters, ${format.int(withPrompt.promptTokens)} tokens`,
          prompt.length > PROMPT_SHOWN_CHARS ? ` (the first ${format.int(PROMPT_SHOWN_CHARS)} shown)` : ''),
        h('pre', {class: 'prompt'}, prompt.slice(0, PROMPT_SHOWN_CHARS)));
    } catch (err) {
      replace(promptBox, errorBox(err, 'Could not assemble the prompt'));
      button.disabled = false;
    }
  }}, 'Show the assembled prompt');
  parts.push(button, promptBox);
  return h('div', {class: 'plan'}, parts);
}
