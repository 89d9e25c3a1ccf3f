// The shell: sign-in, navigation between views (hash routes, no reload), focus and announcements.
import { h } from './dom.js';
import { call, onSignedOut, session, signIn, signOut } from './api.js';
import { rangesView } from './ranges.js';
import { rangeView } from './range.js';
import { deployView } from './deploy.js';
import { auditView } from './audit.js';

const main = document.getElementById('main');
let current = null; // the AbortController of the view on screen: its streams end when it goes

/** Says a status change to screen readers (the polite live region). */
export function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  // a new text node after a tick, so that the same sentence twice is announced twice
  setTimeout(() => { region.textContent = text; }, 50);
}

export function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

function routes() {
  const path = location.hash.replace(/^#/, '') || '/ranges';
  let match;
  if ((match = path.match(/^\/ranges\/([^/]+)$/))) return ['range', rangeView(decodeURIComponent(match[1]))];
  if (path === '/deploy' && session.canDeploy) return ['deploy', deployView];
  if (path === '/audit' && session.canAudit) return ['audit', auditView];
  return ['ranges', rangesView];
}

function route() {
  if (!session.user) { showSignIn(); return; }
  current?.abort();
  current = new AbortController();
  const [name, view] = routes();
  document.querySelectorAll('#nav a').forEach(link => {
    const active = link.getAttribute('href') === '#/' + name;
    if (active) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  });
  main.replaceChildren();
  view(main, current.signal);
  // the view's heading takes the focus, so a screen reader starts reading the new view
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
    document.title = heading.textContent + ' · Cyroid';
  }
}

function showSignIn(message) {
  current?.abort();
  current = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.title = 'Sign in · Cyroid';
  const error = h('p.error#sign-in-error', { role: 'alert' }, message || '');
  if (!message) error.hidden = true;
  const user = h('input#sign-in-user', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input#sign-in-password', { name: 'password', type: 'password',
    autocomplete: 'current-password', required: true });
  const submit = h('button#sign-in-submit', { type: 'submit' }, 'Sign in');
  const form = h('form.card.sign-in', { 'aria-labelledby': 'sign-in-heading', onsubmit: async event => {
    event.preventDefault();
    submit.disabled = true;
    error.hidden = true;
    signIn(user.value, password.value);
    const ok = await probe();
    submit.disabled = false;
    if (!ok) return; // probe signed out, with its message
    document.getElementById('who-name').textContent = session.user;
    document.getElementById('nav').hidden = false;
    document.getElementById('who').hidden = false;
    document.getElementById('nav-deploy').hidden = !session.canDeploy;
    document.getElementById('nav-audit').hidden = !session.canAudit;
    announce('Signed in as ' + session.user);
    route();
  } },
  h('h1#sign-in-heading', {}, 'Sign in to Cyroid'),
  error,
  h('div.field', {}, h('label', { for: 'sign-in-user' }, 'User name'), user),
  h('div.field', {}, h('label', { for: 'sign-in-password' }, 'Password'), password),
  submit);
  main.replaceChildren(form);
  user.focus(); // the alert above is read out by itself
}

/**
 * Checks the credentials and finds out what the user may use, by asking: there is no "who am I" call. Blueprints are
 * for admins and instructors (deploy, destroy, redeploy), the audit log for admins and auditors; a user who may read
 * the audit log but not the blueprints is an auditor, who may not act on VMs.
 */
async function probe() {
  const ranges = await call('/api/v1/ranges');
  if (!ranges.ok) {
    if (ranges.status !== 401) signOut('Signing in failed: the server answered ' + (ranges.status || 'nothing') + '.');
    return false;
  }
  const [blueprints, audit] = await Promise.all([call('/api/v1/blueprints'), call('/api/v1/audit?size=1')]);
  session.canDeploy = blueprints.ok;
  session.canAudit = audit.ok;
  session.canActOnVms = blueprints.ok || !audit.ok;
  return true;
}

onSignedOut(message => {
  if (location.hash !== '' && location.hash !== '#/ranges' && !location.hash.startsWith('#/ranges/')) {
    history.replaceState(null, '', '#/ranges');
  }
  showSignIn(message);
  if (message) announce(message);
});

document.getElementById('sign-out').addEventListener('click', () => signOut('You signed out.'));
window.addEventListener('hashchange', () => { if (session.user) route(); });
showSignIn();
