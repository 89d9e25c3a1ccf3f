// Who else uses a range (PUT/DELETE /api/v1/ranges/{id}/assignments/{user}): trainees assigned to it, instructors
// it is shared with. Shown to admins and instructors; the server decides whether this user may change them.
import { h } from './dom.js';
import { call, problemText } from './api.js';
import { announce } from './nav.js';

/** Draws the range's assignees into section; keeps what is typed in the input across redraws of the range. */
export function renderAssignments(section, range) {
  const base = '/api/v1/ranges/' + encodeURIComponent(range.rangeId) + '/assignments/';
  const kept = section.querySelector('#assign-user');
  const input = kept || h('input#assign-user', { name: 'username', autocomplete: 'off', required: true });
  const message = section.querySelector('#assign-message') || h('p.message#assign-message', { role: 'alert',
    hidden: true });
  const focused = document.activeElement && section.contains(document.activeElement) ? document.activeElement.id : null;

  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  async function change(method, user) {
    const result = await call(base + encodeURIComponent(user), { method });
    if (!result.ok) { say(`${method === 'PUT' ? 'Assigning' : 'Removing'} ${user} refused: ${problemText(result)}`); return; }
    say('');
    announce(method === 'PUT' ? `${user} assigned to range ${range.name}` : `${user} no longer assigned`);
    if (method === 'PUT') input.value = '';
    // the range's stream brings the new list
  }

  const assignees = range.assignees || [];
  section.replaceChildren(h('h2#people-heading', {}, 'Assigned users'),
    assignees.length ? h('ul.plain#assignees', {}, assignees.map(user => h('li', { 'data-user': user }, user, ' ',
      h('button', { type: 'button', 'aria-label': `Unassign ${user}`, onclick: () => change('DELETE', user) },
        'Unassign'))))
      : h('p.muted#assignees', {}, 'Nobody else is assigned to this range.'),
    h('form.inline#assign-form', { 'aria-labelledby': 'people-heading', onsubmit: event => {
      event.preventDefault();
      const user = input.value.trim();
      if (user) change('PUT', user);
    } }, h('label', { for: 'assign-user' }, 'Assign user'), input,
    h('button#assign-submit', { type: 'submit' }, 'Assign')),
    message);
  if (focused) section.querySelector('#' + focused)?.focus();
}
