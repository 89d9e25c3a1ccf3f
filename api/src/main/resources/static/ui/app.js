// The shell: sign-in, navigation between views (hash routes, no reload), focus and announcements.
import { h } from './dom.js';
import { call, onSignedOut, session, signIn, signOut } from './api.js';
import { rangesView } from './ranges.js';
import { rangeView } from './range.js';
import { deployView } from './deploy.js';
import { auditView } from './audit.js';
import { usersView } from './users.js';
import { announce } from './nav.js';

const main = document.getElementById('main');
let current = null; // the AbortController of the view on screen: its streams end when it goes


function routes() {
  const path = location.hash.replace(/^#/, '') || '/ranges';
  let match;
  if ((match = path.match(/^\/ranges\/([^/]+)$/))) return ['range', rangeView(decodeURIComponent(match[1]))];
  if (path === '/deploy' && session.canDeploy) return ['deploy', deployView];
  if (path === '/audit' && session.canAudit) return ['audit', auditView];
  if (path === '/users' && session.isAdmin) return ['users', usersView];
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
    document.getElementById('nav-users').hidden = !session.isAdmin;
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

/** Checks the credentials and reads what the user may use from their roles (GET /api/v1/me). */
async function probe() {
  const me = await call('/api/v1/me');
  if (!me.ok) {
    if (me.status !== 401) signOut('Signing in failed: the server answered ' + (me.status || 'nothing') + '.');
    return false;
  }
  const roles = new Set(me.body?.roles || []);
  // docs/security.md, "Who may do what"
  session.canDeploy = roles.has('ADMIN') || roles.has('INSTRUCTOR');
  session.canAudit = roles.has('ADMIN') || roles.has('AUDITOR');
  session.canActOnVms = roles.has('ADMIN') || roles.has('INSTRUCTOR') || roles.has('TRAINEE');
  session.isAdmin = roles.has('ADMIN');
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
