// User accounts (GET/POST/DELETE /api/v1/users), for admins: who may sign in, with which roles.
import { h, table, time } from './dom.js';
import { call, problemErrors, problemText, session } from './api.js';
import { announce } from './nav.js';

const ROLES = [
  ['ADMIN', 'Admin: everything, user accounts included'],
  ['INSTRUCTOR', 'Instructor: deploys ranges, assigns trainees'],
  ['TRAINEE', 'Trainee: uses the ranges assigned to them'],
  ['AUDITOR', 'Auditor: reads every range and the audit log'],
];

export function usersView(main, signal) {
  const username = h('input#user-name', { name: 'username', autocomplete: 'off', required: true,
    'aria-describedby': 'user-username-errors' });
  const password = h('input#user-password', { name: 'password', type: 'password', autocomplete: 'new-password',
    required: true, 'aria-describedby': 'user-password-errors' });
  const roleBoxes = ROLES.map(([role]) => h('input', { type: 'checkbox', name: 'roles', value: role,
    id: 'user-role-' + role.toLowerCase() }));
  const errorLists = {
    username: h('ul.errors#user-username-errors', { hidden: true }),
    password: h('ul.errors#user-password-errors', { hidden: true }),
    roles: h('ul.errors#user-roles-errors', { hidden: true }),
  };
  const inputs = { username, password };
  const message = h('p.message#users-message', { role: 'alert', hidden: true });
  const notice = h('p.notice#users-notice', { role: 'status', hidden: true });
  const list = h('div.scroll#users-list');
  const submit = h('button#user-create', { type: 'submit' }, 'Create user');
  const form = h('form.card#user-form', { 'aria-labelledby': 'user-form-heading', onsubmit: async event => {
    event.preventDefault();
    clearErrors();
    showNotice('');
    submit.disabled = true;
    const roles = roleBoxes.filter(box => box.checked).map(box => box.value);
    const result = await call('/api/v1/users', { method: 'POST',
      body: { username: username.value, password: password.value, roles } });
    submit.disabled = false;
    if (signal.aborted) return;
    if (!result.ok) { showErrors(result); return; }
    announce(`User ${result.body.username} created`);
    showNotice(`User ${result.body.username} created.`);
    form.reset();
    load({ created: result.body });
  } },
  h('h2#user-form-heading', {}, 'New user'),
  h('div.field', {}, h('label', { for: 'user-name' }, 'User name'), username, errorLists.username),
  h('div.field', {}, h('label', { for: 'user-password' }, 'Password'), password, errorLists.password),
  h('fieldset#user-roles', { 'aria-describedby': 'user-roles-errors' }, h('legend', {}, 'Roles'),
    roleBoxes.map((box, i) => h('div.check', {}, box, h('label', { for: box.id }, ROLES[i][1])))),
  errorLists.roles, submit);
  main.append(h('h1', {}, 'Users'), message, notice, list, form);

  function showMessage(text) {
    message.textContent = text;
    message.hidden = !text;
    if (text) showNotice('');
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function clearErrors() {
    showMessage('');
    Object.values(errorLists).forEach(errors => { errors.replaceChildren(); errors.hidden = true; });
    Object.values(inputs).forEach(input => input.removeAttribute('aria-invalid'));
  }

  function showErrors(result) {
    let placed = false;
    for (const error of problemErrors(result)) {
      const field = String(error.field || '').replace(/\[.*$/, '');
      const errors = errorLists[field];
      if (!errors) continue;
      errors.hidden = false;
      errors.append(h('li', {}, error.message));
      inputs[field]?.setAttribute('aria-invalid', 'true');
      placed = true;
    }
    showMessage('Not created: ' + (placed ? 'see the fields below.' : problemText(result)));
  }

  async function remove(user) {
    const result = await call('/api/v1/users/' + encodeURIComponent(user), { method: 'DELETE' });
    if (signal.aborted) return;
    if (!result.ok) { showMessage(`Removing ${user} refused: ${problemText(result)}`); return; }
    showMessage('');
    showNotice(`User ${user} removed.`);
    announce(`User ${user} removed`);
    load({ removed: user });
  }

  /**
   * The list as the server has it; the list follows the event store by moments, so a user just created (or removed)
   * by this page is shown so (from the server's answer) until the list has caught up.
   */
  async function load({ created, removed } = {}) {
    const result = await call('/api/v1/users', { signal });
    if (signal.aborted) return;
    if (!result.ok) { showMessage(problemText(result)); return; }
    let users = (Array.isArray(result.body) ? result.body : (result.body.items || []))
      .filter(user => user.username !== removed);
    if (created && !users.some(user => user.username === created.username)) users = [...users, created];
    list.replaceChildren(table('User accounts', ['User', 'Roles', 'Created', 'Actions'],
      users.map(user => h('tr', { 'data-user': user.username },
        h('th', { scope: 'row' }, user.username), h('td', {}, (user.roles || []).join(', ')),
        h('td', {}, time(user.createdAt), user.createdBy ? ' by ' + user.createdBy : ''),
        h('td', {}, user.username === session.user ? '' : h('button', { type: 'button',
          'aria-label': `Remove user ${user.username}`, onclick: () => remove(user.username) }, 'Remove')))),
      'users-table'));
  }
  load();
}
