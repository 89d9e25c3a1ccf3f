// The ranges list, kept current by GET /api/v1/ranges/stream: every change of any range arrives without a reload.
import { h, statusBadge, table, time } from './dom.js';
import { follow } from './sse.js';
import { announce } from './nav.js';

export function rangesView(main, signal) {
  const ranges = new Map(); // rangeId -> newest summary
  const body = h('tbody');
  const connection = h('p.muted#ranges-connection', {}, 'Connecting to the live stream…');
  const empty = h('p#ranges-empty', {}, 'No ranges yet.');
  const list = table('Every range you may see, live', ['Name', 'Status', 'Blueprint', 'Created by', 'Updated'], [],
    'ranges-table');
  list.querySelector('tbody').replaceWith(body);
  main.append(h('h1', {}, 'Ranges'), connection, empty, h('div.scroll', {}, list));

  function render() {
    const rows = [...ranges.values()]
      .sort((a, b) => (b.createdAt || '').localeCompare(a.createdAt || ''))
      .map(range => h('tr', { 'data-range-id': range.rangeId },
        h('th', { scope: 'row' }, h('a', { href: '#/ranges/' + encodeURIComponent(range.rangeId) }, range.name)),
        h('td', {}, statusBadge(range.status, 'status-' + range.rangeId)),
        h('td', {}, range.blueprintId + (range.blueprintVersion ? ' v' + range.blueprintVersion : '')),
        h('td', {}, range.createdBy || ''),
        h('td', {}, time(range.updatedAt))));
    body.replaceChildren(...rows);
    empty.hidden = rows.length > 0;
  }

  follow('/api/v1/ranges/stream', ({ data }) => {
    if (!data || !data.rangeId) return;
    const before = ranges.get(data.rangeId);
    if (before && before.position > data.position) return; // a replay older than what is shown
    ranges.set(data.rangeId, data);
    render();
    if (before && before.status !== data.status) announce(`Range ${data.name} is ${data.status}`);
  }, signal, state => {
    connection.textContent = state === 'open' ? 'Live: changes appear as they happen.'
      : 'The live stream dropped; reconnecting…';
  });
  render();
}
