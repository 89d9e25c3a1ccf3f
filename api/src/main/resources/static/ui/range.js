// One range: status, networks, VMs with their IPs and actions, deploy progress, destroy/redeploy, timeline, events.
// Follows GET /api/v1/ranges/{id}/stream; the timeline and the events are read again on every change.
import { h, statusBadge, table, time } from './dom.js';
import { call, problemText, session } from './api.js';
import { follow } from './sse.js';
import { announce, navigate } from './nav.js';
import { renderAssignments } from './assignments.js';
import { consolePanel } from './console.js';

/** The deploy's steps as the progress bar shows them, by the timeline's step names. */
const STAGES = [
  ['CREATE_DIND', 'DinD'], ['CREATE_NETWORK', 'Networks'], ['SEED_IMAGES', 'Images'], ['START_VM', 'VMs'],
  ['CONFIRM_RUNNING', 'Confirm'],
];
const ACTIONS = ['start', 'stop', 'restart', 'reset'];

export function rangeView(rangeId) {
  return (main, signal) => {
    const heading = h('h1#range-heading', {}, 'Range');
    const status = h('p', {}, 'Status: ', statusBadge('…', 'range-status'));
    const message = h('p.message#range-message', { role: 'alert', hidden: true });
    const failure = h('section.failure#range-failure', { 'aria-labelledby': 'failure-heading', hidden: true });
    const progress = h('section#range-progress', { 'aria-labelledby': 'progress-heading', hidden: true });
    const controls = h('div.controls#range-controls');
    const details = h('div.details');
    const networks = h('section', { 'aria-labelledby': 'networks-heading' });
    const vms = h('section', { 'aria-labelledby': 'vms-heading' });
    const timeline = h('section', { 'aria-labelledby': 'timeline-heading' });
    const events = h('section', { 'aria-labelledby': 'events-heading' });
    const people = h('section#range-people', { 'aria-labelledby': 'people-heading', hidden: true });
    // the console is drawn once and kept: a redraw of the VMs table on a stream event must not close it
    const consoles = consolePanel(rangeId, signal);
    main.append(h('p.back', {}, h('a', { href: '#/ranges' }, '← All ranges')), heading, status, message, details,
      controls, failure, progress, h('div.columns', {}, networks, vms), consoles.element, people, timeline, events);

    let range = null;
    let lastSteps = []; // the timeline as last read: the progress bar is drawn from it at once on a change
    let refreshing = Promise.resolve();

    function showMessage(text) {
      message.textContent = text;
      message.hidden = !text;
    }

    function renderRange() {
      heading.textContent = 'Range ' + range.name;
      document.title = heading.textContent + ' · Cyroid';
      status.replaceChildren('Status: ', statusBadge(range.status, 'range-status'),
        range.statusReason ? ' — ' + range.statusReason : '');
      details.replaceChildren(h('dl', {},
        h('dt', {}, 'Blueprint'), h('dd', {}, range.blueprintId + (range.blueprintVersion ? ' v' + range.blueprintVersion : '')),
        h('dt', {}, 'Created'), h('dd', {}, time(range.createdAt), ' by ', range.createdBy || ''),
        range.deployedAt && [h('dt', {}, 'Deployed'), h('dd', {}, time(range.deployedAt))],
        range.redeployOf && [h('dt', {}, 'Redeploy of'),
          h('dd', {}, h('a', { href: '#/ranges/' + encodeURIComponent(range.redeployOf) }, range.redeployOf))]));
      networks.replaceChildren(h('h2#networks-heading', {}, 'Networks'),
        h('div.scroll', {}, table('Networks of the range', ['Name', 'Subnet', 'Gateway'],
          (range.networks || []).map(net => h('tr', {}, h('th', { scope: 'row' }, net.name), h('td', {}, net.subnet),
            h('td', {}, net.gateway || ''))), 'networks-table')));
      const actionable = session.canActOnVms && (range.status === 'DEPLOYED' || range.status === 'DEGRADED');
      vms.replaceChildren(h('h2#vms-heading', {}, 'VMs'),
        h('div.scroll', {}, table('VMs of the range', ['Name', 'Status', 'IP addresses', 'Actions'],
          (range.vms || []).map(vm => h('tr', { 'data-vm': vm.name },
            h('th', { scope: 'row' }, vm.name),
            h('td', {}, statusBadge(vm.status), vm.pendingAction ? ' (' + vm.pendingAction.toLowerCase() + '…)' : '',
              vm.reason ? h('div.muted', {}, vm.reason) : ''),
            h('td', {}, h('ul.plain', {}, (vm.interfaces || []).map(nic =>
              h('li.ip', {}, h('span.mono', {}, nic.ip), ' on ', nic.network)))),
            h('td', {}, actionable ? h('div.buttons', {}, ACTIONS.map(action => h('button', {
              type: 'button', 'aria-label': `${capital(action)} VM ${vm.name}`, disabled: !!vm.pendingAction
                || (action === 'start' && vm.status === 'RUNNING') || (action === 'stop' && vm.status === 'STOPPED'),
              onclick: () => vmAction(vm.name, action),
            }, capital(action))), consolable(vm) && h('button', { type: 'button',
              'aria-label': `Open console of VM ${vm.name}`, 'data-console': vm.name,
              onclick: () => consoles.open(vm.name, graphical(vm)) }, 'Console')) : ''))), 'vms-table')));
      const open = (range.vms || []).find(vm => vm.name === consoles.vm());
      if (open) consoles.update(graphical(open));
      people.hidden = !session.canDeploy;
      if (session.canDeploy) renderAssignments(people, range);
      renderControls();
      renderProgress(lastSteps);
    }

    /** Consoles open on a running VM of a DEPLOYED range (as the server checks). */
    function consolable(vm) {
      return range.status === 'DEPLOYED' && vm.status === 'RUNNING';
    }

    let asking = null; // the control whose question is open: a redraw on a stream event keeps it open

    function renderControls() {
      const buttons = [];
      if (session.canDeploy && range.status !== 'DESTROYED' && range.status !== 'DESTROYING') {
        buttons.push(confirming('Destroy', `Destroy range ${range.name}? Its VMs and networks are removed.`,
          'Yes, destroy', destroy, 'destroy'));
      }
      if (session.canDeploy) {
        buttons.push(confirming('Redeploy', `Deploy the blueprint snapshot of ${range.name} again, as a new range?`,
          'Yes, redeploy', redeploy, 'redeploy'));
      }
      const focused = document.activeElement && controls.contains(document.activeElement) ? document.activeElement.id
        : null;
      controls.replaceChildren(...buttons);
      if (focused) controls.querySelector('#' + focused)?.focus();
    }

    /** A button that asks first, in the page (no browser dialog): the question, then confirm or cancel. */
    function confirming(label, question, yes, action, id) {
      if (asking !== id) {
        return h('div.confirming', {}, h('button#' + id, { type: 'button', onclick: () => {
          asking = id;
          renderControls();
          controls.querySelector('#' + id + '-confirm')?.focus();
        } }, label));
      }
      const confirm = h('button.danger#' + id + '-confirm', { type: 'button', onclick: async () => {
        confirm.disabled = true;
        await action();
        asking = null;
        renderControls();
      } }, yes);
      const cancel = h('button#' + id + '-cancel', { type: 'button', onclick: () => {
        asking = null;
        renderControls();
        controls.querySelector('#' + id)?.focus();
      } }, 'Cancel');
      return h('div.confirming', {}, h('p', { role: 'alert' }, question), confirm, cancel);
    }

    async function destroy() {
      const result = await call('/api/v1/ranges/' + encodeURIComponent(rangeId), { method: 'DELETE' });
      showMessage(result.ok ? '' : 'Destroy refused: ' + problemText(result));
      if (result.ok) announce(`Destroying range ${range.name}`);
    }

    async function redeploy() {
      const result = await call('/api/v1/ranges/' + encodeURIComponent(rangeId) + '/redeploy', { method: 'POST' });
      if (!result.ok) { showMessage('Redeploy refused: ' + problemText(result)); return; }
      announce('Redeploying as a new range');
      navigate('#/ranges/' + encodeURIComponent(result.body.rangeId));
    }

    async function vmAction(vm, action) {
      const result = await call(`/api/v1/ranges/${encodeURIComponent(rangeId)}/vms/${encodeURIComponent(vm)}/${action}`,
        { method: 'POST' });
      showMessage(result.ok ? '' : `${capital(action)} ${vm} refused: ${problemText(result)}`);
      if (result.ok) announce(`${capital(action)} of VM ${vm} requested`);
    }

    async function refreshHistory() {
      const base = '/api/v1/ranges/' + encodeURIComponent(rangeId);
      const [steps, history] = await Promise.all([call(base + '/timeline', { signal }),
        call(base + '/events', { signal })]);
      if (signal.aborted) return;
      if (steps.ok) renderTimeline(steps.body.steps || []);
      if (history.ok) renderEvents(history.body || []);
    }

    function renderTimeline(steps) {
      lastSteps = steps;
      timeline.replaceChildren(h('h2#timeline-heading', {}, 'Timeline'), h('div.scroll', {},
        table('Steps of the range, in order', ['Step', 'Target', 'Started', 'Duration', 'Outcome', 'Detail'],
          steps.map(step => h('tr', { 'data-outcome': step.outcome },
            h('td', {}, step.step), h('td', {}, step.target || ''), h('td', {}, time(step.start)),
            h('td', {}, step.durationMs == null ? '' : (step.durationMs / 1000).toFixed(1) + ' s'),
            h('td', {}, statusBadge(step.outcome)), h('td.detail', {}, step.detail || ''))), 'timeline-table')));
      renderProgress(steps);
      const failed = steps.find(step => step.outcome === 'FAILED' && step.step !== 'DEPLOY');
      failure.hidden = !(range && range.status === 'FAILED');
      if (!failure.hidden) {
        failure.replaceChildren(h('h2#failure-heading', {}, 'Why the deploy failed'),
          h('p', {}, 'Failed step: ', h('strong#failed-step', {}, failed ? failed.step + (failed.target ? ' (' +
            failed.target + ')' : '') : 'unknown')),
          h('p', {}, 'Engine error: '), h('pre#failed-detail', {}, (failed && failed.detail) || range.failureReason || ''));
      }
    }

    /** The deploy's steps (a range deploys once: a redeploy is a new range) as five stages, each in one state. */
    function renderProgress(steps) {
      const deploying = range && (range.status === 'REQUESTED' || range.status === 'PROVISIONING');
      const deployEnded = steps.some(step => step.step === 'DEPLOY' && step.outcome !== 'RUNNING');
      progress.hidden = !deploying && !(range && range.status === 'FAILED' && deployEnded);
      if (progress.hidden) return;
      const stages = STAGES.map(([name, label]) => {
        const mine = steps.filter(step => step.step === name);
        const state = mine.some(step => step.outcome === 'FAILED') ? 'failed'
          : mine.some(step => step.outcome === 'ABORTED') ? 'aborted'
            : mine.some(step => step.outcome === 'RUNNING') ? 'running'
              : mine.length && mine.every(step => step.outcome === 'OK') ? 'done' : 'todo';
        return { label, state };
      });
      const done = stages.filter(stage => stage.state === 'done').length;
      const words = { todo: 'to do', running: 'in progress', done: 'done', failed: 'failed', aborted: 'stopped' };
      progress.replaceChildren(h('h2#progress-heading', {}, 'Deploy progress'),
        h('progress', { max: STAGES.length, value: done, 'aria-label': `Deploy: ${done} of ${STAGES.length} steps done` }),
        h('ol.stages', {}, stages.map(stage => h('li', { 'data-state': stage.state },
          h('span.stage-label', {}, stage.label), ' ', h('span.stage-state', {}, words[stage.state])))));
    }

    function renderEvents(history) {
      events.replaceChildren(h('h2#events-heading', {}, 'Events'), h('div.scroll', {},
        table('Events of the range, oldest first', ['#', 'Event', 'When', 'By'],
          history.map(event => h('tr', {}, h('td', {}, event.sequence), h('td', {}, event.type),
            h('td', {}, time(event.timestamp)), h('td', {}, event.user || ''))), 'events-table')));
    }

    // the server ends this stream after DESTROYED: nothing follows, so the page stops following instead of resuming
    const following = new AbortController();
    signal.addEventListener('abort', () => following.abort(), { once: true });
    follow('/api/v1/ranges/' + encodeURIComponent(rangeId) + '/stream', ({ data }) => {
      if (!data || !data.rangeId) return;
      const before = range;
      range = data;
      renderRange();
      if (before && before.status !== range.status) announce(`Range ${range.name} is ${range.status}`);
      refreshing = refreshing.then(refreshHistory, refreshHistory);
      if (range.status === 'DESTROYED') following.abort();
    }, following.signal);

    call('/api/v1/ranges/' + encodeURIComponent(rangeId), { signal }).then(result => {
      if (!result.ok && !signal.aborted && !range) {
        heading.textContent = result.status === 404 ? 'No such range' : 'Range';
        showMessage(problemText(result));
      }
    }).catch(() => {});
  };
}

/** A VM with a graphical console: its read model's console is {type: 'vnc', ...} (absent: none). */
function graphical(vm) {
  return !!(vm.console && vm.console.type === 'vnc');
}

function capital(word) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
