// The audit log (GET /api/v1/audit), newest first, with its filters and pages; for admins and auditors.
import { h, statusBadge, table, time } from './dom.js';
import { call, problemErrors, problemText } from './api.js';
import { announce } from './nav.js';

const SIZE = 25;

export function auditView(main, signal) {
  const inputs = {
    user: h('input#audit-user', { name: 'user' }),
    rangeId: h('input#audit-range', { name: 'rangeId' }),
    action: h('input#audit-action', { name: 'action', placeholder: 'RangeRequested' }),
    outcome: h('select#audit-outcome', { name: 'outcome' }, h('option', { value: '' }, 'Any'),
      ['OK', 'REFUSED', 'FAILED'].map(value => h('option', { value }, value))),
    from: h('input#audit-from', { name: 'from', type: 'datetime-local', step: 1 }),
    to: h('input#audit-to', { name: 'to', type: 'datetime-local', step: 1 }),
  };
  const labels = { user: 'User', rangeId: 'Range id', action: 'Action', outcome: 'Outcome',
    from: 'From (inclusive, local time)', to: 'To (exclusive, local time)' };
  const errorLists = {};
  const fields = Object.entries(inputs).map(([name, input]) => {
    errorLists[name] = h('ul.errors#audit-' + name + '-errors', { hidden: true });
    input.setAttribute('aria-describedby', errorLists[name].id);
    return h('div.field', {}, h('label', { for: input.id }, labels[name]), input, errorLists[name]);
  });
  let page = 0;
  const message = h('p.error#audit-message', { role: 'alert', hidden: true });
  const summary = h('p#audit-summary', { 'aria-live': 'polite' });
  const results = h('div.scroll#audit-results');
  const previous = h('button#audit-previous', { type: 'button', onclick: () => { page--; load(); } }, 'Previous page');
  const next = h('button#audit-next', { type: 'button', onclick: () => { page++; load(); } }, 'Next page');
  const form = h('form.card.filters#audit-filters', { 'aria-labelledby': 'audit-filters-heading', onsubmit: event => {
    event.preventDefault();
    page = 0;
    load();
  } }, h('h2#audit-filters-heading', {}, 'Filters'), h('div.grid', {}, fields),
  h('button#audit-apply', { type: 'submit' }, 'Apply filters'));
  main.append(h('h1', {}, 'Audit log'), form, message, summary, results,
    h('nav.pager', { 'aria-label': 'Audit pages' }, previous, next));

  async function load() {
    const query = new URLSearchParams({ page, size: SIZE });
    for (const [name, input] of Object.entries(inputs)) {
      let value = input.value.trim();
      if (!value) continue;
      if (input.type === 'datetime-local') value = new Date(value).toISOString();
      query.set(name, value);
    }
    Object.values(errorLists).forEach(list => { list.replaceChildren(); list.hidden = true; });
    Object.values(inputs).forEach(input => input.removeAttribute('aria-invalid'));
    message.hidden = true;
    const result = await call('/api/v1/audit?' + query, { signal });
    if (signal.aborted) return;
    if (!result.ok) {
      for (const error of problemErrors(result)) {
        const list = errorLists[error.field];
        if (!list) continue;
        list.hidden = false;
        list.append(h('li', {}, error.message));
        inputs[error.field].setAttribute('aria-invalid', 'true');
      }
      message.textContent = result.status === 403 ? 'You may not read the audit log.' : problemText(result);
      message.hidden = false;
      return;
    }
    const { items, total } = result.body;
    const pages = Math.max(1, Math.ceil(total / SIZE));
    summary.textContent = `${total} entries; page ${page + 1} of ${pages}.`;
    previous.disabled = page === 0;
    next.disabled = page + 1 >= pages;
    results.replaceChildren(table('Audit entries, newest first', ['When', 'User', 'Action', 'Range', 'Outcome', 'Detail'],
      items.map(entry => h('tr', {}, h('td', {}, time(entry.at)), h('td', {}, entry.user || ''),
        h('td', {}, entry.action || ''),
        h('td', {}, entry.rangeId ? h('a', { href: '#/ranges/' + encodeURIComponent(entry.rangeId) }, entry.rangeId) : ''),
        h('td', {}, statusBadge(entry.outcome)), h('td.detail', {}, entry.detail || ''))), 'audit-table'));
    announce(summary.textContent);
  }
  load();
}
