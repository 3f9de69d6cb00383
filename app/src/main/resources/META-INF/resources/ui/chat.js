// Chat over a collection: the answer streams in, citations open the source at the cited place, conversations persist.
import {ProblemError, api, events} from './api.js';
import {badge, empty, errorBox, format, h, locationOf, replace} from './dom.js';
import {planPanel} from './plan.js';
import {openSource} from './viewer.js';

const CITATION_GROUP = /\[\s*(C\d+(?:\s*[,;]\s*C?\d+)*)\s*\]/g;

export function chatView(collection, conversationId) {
  const abort = new AbortController();
  const element = h('section', {class: 'page chat'});
  if (!collection) {
    pickCollection(element);
    return {element, dispose: () => abort.abort()};
  }
  const enc = encodeURIComponent;
  let profiles = {defaultProfile: null, profiles: []};
  const profileSelect = h('select', {id: 'chat-profile', onchange: () => noteProfile()});
  const modeSelect = h('select', {id: 'chat-mode'},
    h('option', {value: 'auto'}, 'auto (stuff a small scope, else route)'), h('option', {value: 'stuff'}, 'stuff the whole scope'),
    h('option', {value: 'retrieve'}, 'retrieve the best chunks'),
    h('option', {value: 'route'}, 'route (retrieve first, escalate when unanswered)'));
  const profileNote = h('p', {class: 'notice', id: 'profile-note', hidden: true});
  const conversations = h('nav', {class: 'conversations', 'aria-label': 'Conversations'});
  const messages = h('div', {class: 'messages', id: 'messages', 'aria-live': 'polite'});
  const input = h('textarea', {id: 'chat-input', rows: 3, required: true,
    placeholder: 'Ask a question about this collection (Enter sends, Shift+Enter starts a new line)',
    onkeydown: e => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } }});
  const send = h('button', {type: 'submit'}, 'Ask');
  const form = h('form', {class: 'ask', onsubmit: e => {
    e.preventDefault();
    const message = input.value.trim();
    if (!message || send.disabled) return;
    input.value = '';
    ask(message);
  }}, h('label', {for: 'chat-input', class: 'visually-hidden'}, 'Question'), input, send);

  function selectedProfile() {
    return profiles.profiles.find(p => p.name === profileSelect.value);
  }

  function noteProfile() {
    const p = selectedProfile();
    profileNote.hidden = !p || p.model != null;
    if (p && !p.model) {
      replace(profileNote, `Profile ${p.name} has no model server configured: answers are extractive (the best-matching`
        + ' sentences of the sources, quoted with their citations).');
    }
  }

  async function loadProfiles(preferred) {
    try {
      profiles = await api('/api/profiles');
      replace(profileSelect, profiles.profiles.map(p => h('option', {value: p.name},
        `${p.name} · ${format.int(p.contextWindow)} tokens${p.model ? '' : ' · extractive'}`)));
      profileSelect.value = preferred ?? profiles.defaultProfile;
      noteProfile();
    } catch (err) {
      profileNote.hidden = false;
      replace(profileNote, errorBox(err, 'Could not list the model profiles'));
    }
  }

  async function loadConversations() {
    try {
      const list = await api(`/api/conversations?collection=${enc(collection)}&limit=50`);
      replace(conversations, h('a', {href: `#/chat/${enc(collection)}`, class: 'button'}, 'New conversation'),
        list.length ? h('ul', {}, list.map(c => h('li', {},
          h('a', {href: `#/chat/${enc(collection)}/${enc(c.id)}`, 'aria-current': c.id === conversationId ? 'page' : null},
            c.title || 'Untitled'),
          h('span', {class: 'muted'}, ` ${c.turns} turns · ${format.date(c.createdAt)}`))))
          : empty('No saved conversations yet.'));
    } catch (err) {
      replace(conversations, errorBox(err, 'Could not list the conversations'));
    }
  }

  async function loadConversation() {
    if (!conversationId) {
      replace(messages, empty(`Ask anything about ${collection}. Every answer cites its sources; click a citation to open it.`));
      await loadProfiles();
      return;
    }
    try {
      const conversation = await api(`/api/conversations/${enc(conversationId)}`, {signal: abort.signal});
      await loadProfiles(conversation.profile);
      replace(messages);
      let lastQuestion = null;
      for (const turn of conversation.turns) {
        if (turn.role === 'user') {
          lastQuestion = turn.standalone ?? turn.text;
          messages.append(userMessage(turn.text));
        } else {
          const question = lastQuestion;
          messages.append(assistantMessage({text: turn.text, kind: turn.answerKind, citations: turn.citations, question}));
        }
      }
    } catch (err) {
      if (err.name !== 'AbortError') replace(messages, errorBox(err, 'Could not open the conversation'));
    }
  }

  function fetchPlan(question) {
    return api(`/api/collections/${enc(collection)}/plan`, {method: 'POST',
      json: {question, profile: profileSelect.value, mode: modeSelect.value}});
  }

  async function ask(message) {
    messages.querySelector('.empty')?.remove();
    messages.append(userMessage(message));
    const text = h('div', {class: 'answer-text'});
    const bubble = h('article', {class: 'message assistant streaming', 'aria-busy': 'true'},
      h('div', {class: 'role'}, 'Answer'), text);
    messages.append(bubble);
    bubble.scrollIntoView({block: 'end'});
    send.disabled = true;
    let answer = '', kind = null, citations = [], plan = null, standalone = message;
    try {
      const body = {conversationId: conversationId ?? null, message, profile: profileSelect.value, mode: modeSelect.value};
      for await (const {event, data} of events(`/api/collections/${enc(collection)}/chat`, body, abort.signal)) {
        if (event === 'conversation' && !conversationId) {
          conversationId = data.conversationId;
          history.replaceState(null, '', `#/chat/${enc(collection)}/${enc(conversationId)}`);
        } else if (event === 'token') {
          answer += data.text;
          text.textContent = answer;
        } else if (event === 'route') {
          const note = h('p', {class: 'route-step'}, `Step ${data.step} (${data.mode} within ${format.int(data.budget)} tokens) found no answer; trying more context…`);
          bubble.insertBefore(note, text);
        } else if (event === 'question') {
          standalone = data.standalone ?? message;
        } else if (event === 'citations') {
          citations = data;
        } else if (event === 'plan') {
          plan = data;
        } else if (event === 'done') {
          answer = data.answer;
          kind = data.answerKind;
        } else if (event === 'error') {
          throw new ProblemError(data, 502);
        }
      }
      bubble.replaceWith(assistantMessage({text: answer, kind, citations, plan,
        standalone: standalone !== message ? standalone : null, question: standalone}));
      loadConversations();
    } catch (err) {
      if (err.name === 'AbortError') return;
      bubble.classList.remove('streaming');
      bubble.removeAttribute('aria-busy');
      bubble.append(errorBox(err, 'No answer'));
    } finally {
      send.disabled = false;
    }
  }

  /** plan: the plan the answer was made with, or null for a saved answer (then planned again on request). */
  function assistantMessage({text, kind, citations, plan, standalone, question}) {
    const planBox = h('div', {class: 'plan-box'});
    const asked = {collection, question, profile: profileSelect.value, mode: modeSelect.value};
    const planButton = h('button', {type: 'button', class: 'show-plan', 'aria-expanded': 'false', onclick: async () => {
      const open = planButton.getAttribute('aria-expanded') === 'true';
      planButton.setAttribute('aria-expanded', String(!open));
      if (open) {
        replace(planBox);
        return;
      }
      try {
        const request = plan ? asked : {...asked, profile: profileSelect.value, mode: modeSelect.value};
        const shown = plan ?? await fetchPlan(question);
        replace(planBox, plan ? null : h('p', {class: 'muted'}, 'This answer was saved earlier: its question planned again now.'),
          planPanel(shown, request));
      } catch (err) {
        replace(planBox, errorBox(err, 'Could not show the plan'));
      }
    }}, 'Plan');
    return h('article', {class: 'message assistant', dataset: {answerKind: kind ?? ''}},
      h('div', {class: 'role'}, 'Answer ', kind ? badge(kind) : null),
      standalone ? h('p', {class: 'muted standalone'}, `Searched as: ${standalone}`) : null,
      h('div', {class: 'answer-text'}, withCitationLinks(text, citations)),
      citations?.length ? h('ol', {class: 'citations'}, citations.map(c => h('li', {},
        h('button', {type: 'button', class: 'citation', dataset: {cite: c.id}, onclick: () => openSource(c)},
          `[${c.id}] ${c.source ?? c.documentId}${locationOf(c) ? ` · ${locationOf(c)}` : ''}`),
        c.snippet ? h('q', {}, c.snippet) : null))) : null,
      h('div', {class: 'actions'}, planButton), planBox);
  }

  element.append(
    h('p', {class: 'crumbs'}, h('a', {href: '#/collections'}, 'Collections'), ' / ',
      h('a', {href: `#/collections/${enc(collection)}`}, collection), ' / chat'),
    h('div', {class: 'chat-layout'},
      h('aside', {},
        h('label', {for: 'chat-profile'}, 'Model profile'), profileSelect,
        h('label', {for: 'chat-mode'}, 'Planning'), modeSelect,
        h('h2', {}, 'Conversations'), conversations),
      h('div', {class: 'chat-main'}, h('h1', {}, `Chat: ${collection}`), profileNote, messages, form)));
  loadConversation();
  loadConversations();
  return {element, dispose: () => abort.abort()};
}

function userMessage(text) {
  return h('article', {class: 'message user'}, h('div', {class: 'role'}, 'You'), h('p', {}, text));
}

/** The answer's text with each [C3] or [C1, C2] turned into buttons that open the cited source. */
function withCitationLinks(text, citations) {
  const byId = new Map((citations ?? []).map(c => [c.id, c]));
  const out = [];
  let last = 0;
  for (const match of text.matchAll(CITATION_GROUP)) {
    out.push(text.slice(last, match.index), '[');
    match[1].split(/\s*[,;]\s*/).forEach((part, i) => {
      const id = part.startsWith('C') ? part : `C${part}`;
      const c = byId.get(id);
      if (i > 0) out.push(', ');
      out.push(c ? h('button', {type: 'button', class: 'cite-link', dataset: {cite: id}, onclick: () => openSource(c)}, id) : part);
    });
    out.push(']');
    last = match.index + match[0].length;
  }
  out.push(text.slice(last));
  return h('p', {}, out);
}

async function pickCollection(element) {
  element.append(h('h1', {}, 'Chat'));
  try {
    const collections = await api('/api/collections');
    element.append(collections.length
      ? h('ul', {class: 'pick'}, collections.map(c => h('li', {},
        h('a', {href: `#/chat/${encodeURIComponent(c.name)}`}, c.name), ` · ${format.int(c.documents)} documents`)))
      : empty('There is nothing to chat with yet: create a collection and upload files first.'));
  } catch (err) {
    element.append(errorBox(err, 'Could not list the collections'));
  }
}
