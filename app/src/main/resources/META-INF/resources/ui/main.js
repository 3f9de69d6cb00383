// The page's router: #/collections, #/collections/<name>, #/chat/<collection>/<conversation>, #/eval, #/eval/<run>.
import {collectionsView, collectionView} from './collections.js';
import {chatView} from './chat.js';
import {evalView, runView} from './eval.js';
import {errorBox} from './dom.js';
import {apiKey, signOut} from './api.js';

const routes = [
  [/^#\/collections\/([^/]+)$/, m => collectionView(m[1])],
  [/^#\/collections$/, () => collectionsView()],
  [/^#\/chat(?:\/([^/]+))?(?:\/([^/]+))?$/, m => chatView(m[1], m[2])],
  [/^#\/eval\/([^/]+)$/, m => runView(m[1])],
  [/^#\/eval$/, () => evalView()],
];

const view = document.getElementById('view');
let current = null;

function route() {
  const hash = location.hash || '#/collections';
  current?.dispose?.();
  current = null;
  for (const [pattern, make] of routes) {
    const match = hash.match(pattern);
    if (match) {
      try {
        const decoded = match.map(part => (part == null ? undefined : decodeURIComponent(part)));
        current = make(decoded);
        view.replaceChildren(current.element);
      } catch (e) {
        view.replaceChildren(errorBox(e));
      }
      markNav(hash.split('/')[1]);
      return;
    }
  }
  location.replace('#/collections');
}

function markNav(section) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

const signOutButton = document.getElementById('sign-out');
signOutButton.addEventListener('click', signOut);
const showSignOut = () => { signOutButton.hidden = apiKey() == null; };
document.addEventListener('rag-key-changed', showSignOut);
// the key dialog cannot be dismissed: the requests waiting for a key would wait forever
document.getElementById('key-dialog').addEventListener('cancel', e => e.preventDefault());
showSignOut();

window.addEventListener('hashchange', route);
route();
