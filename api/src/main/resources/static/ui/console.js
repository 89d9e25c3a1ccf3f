// A VM's consoles on the range page: a terminal (xterm.js) and, for a VM that declares one, a graphical console
// (noVNC). Each connection starts with a one-time ticket (POST .../console-tickets): a page's WebSocket cannot send
// the Authorization header, so the socket opens .../console?ticket= or .../vnc?ticket= instead.
// xterm.js is loaded by index.html (vendor/, a classic script); noVNC only when a graphical console opens.
import { h } from './dom.js';
import { call, problemText } from './api.js';
import { announce } from './nav.js';

const TABS = [['terminal', 'Terminal'], ['vnc', 'Graphical']];

/** The console section of range {@code rangeId}: hidden until open(vm) is called; the page keeps it across redraws. */
export function consolePanel(rangeId, signal) {
  const heading = h('h2#console-heading', {}, 'Console');
  const status = h('p.console-status#console-status', { role: 'status', 'aria-live': 'polite' });
  const tabs = h('div.tabs#console-tabs', { role: 'tablist', 'aria-labelledby': 'console-heading' });
  const panels = {};
  const buttons = {};
  for (const [type, label] of TABS) {
    buttons[type] = h('button#console-tab-' + type, { type: 'button', role: 'tab', 'aria-selected': 'false',
      'aria-controls': 'console-panel-' + type, tabindex: '-1', onclick: () => select(type),
      onkeydown: event => arrows(event, type) }, label);
    panels[type] = h('div.console-panel#console-panel-' + type, { role: 'tabpanel', hidden: true,
      'aria-labelledby': 'console-tab-' + type });
  }
  const closeButton = h('button#console-close', { type: 'button', onclick: () => close() }, 'Close console');
  const section = h('section.console#console', { 'aria-labelledby': 'console-heading', hidden: true },
    h('div.console-bar', {}, heading, closeButton), tabs, status, panels.terminal, panels.vnc);
  tabs.append(buttons.terminal, buttons.vnc);

  let vm = null;
  let selected = null;
  let stop = () => {};
  let generation = 0; // a connection that finishes starting after the user moved on is dropped

  signal.addEventListener('abort', () => stop(), { once: true });

  function setStatus(text) {
    status.textContent = text;
  }

  /** Opens the console of VM {@code name}; {@code graphical}: it has a VNC console too. */
  function open(name, graphical) {
    vm = name;
    heading.textContent = 'Console of VM ' + name;
    section.hidden = false;
    buttons.vnc.hidden = !graphical;
    select('terminal');
    section.scrollIntoView({ block: 'nearest' });
  }

  /** The range changed: a VM that lost its graphical console loses the tab. */
  function update(graphical) {
    if (!vm) return;
    buttons.vnc.hidden = !graphical;
    if (!graphical && selected === 'vnc') select('terminal');
  }

  function close() {
    stop();
    stop = () => {};
    vm = null;
    selected = null;
    section.hidden = true;
    announce('Console closed');
  }

  function select(type) {
    selected = type;
    for (const [other] of TABS) {
      buttons[other].setAttribute('aria-selected', String(other === type));
      buttons[other].setAttribute('tabindex', other === type ? '0' : '-1');
      panels[other].hidden = other !== type;
    }
    stop();
    stop = () => {};
    if (type === 'terminal') openTerminal(vm); else openGraphical(vm);
  }

  function arrows(event, type) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const shown = TABS.map(([name]) => name).filter(name => !buttons[name].hidden);
    const next = shown[(shown.indexOf(type) + (event.key === 'ArrowRight' ? 1 : shown.length - 1)) % shown.length];
    buttons[next].focus();
    select(next);
  }

  async function ticket(name, type) {
    const result = await call(`/api/v1/ranges/${encodeURIComponent(rangeId)}/vms/${encodeURIComponent(name)}`
      + '/console-tickets', { method: 'POST', body: { type } });
    if (!result.ok) {
      setStatus('The console was refused: ' + problemText(result));
      return null;
    }
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + result.body.url;
  }

  async function openTerminal(name) {
    const mine = ++generation;
    const box = h('div.terminal#terminal', { 'aria-label': 'Terminal of VM ' + name });
    panels.terminal.replaceChildren(box);
    setStatus('Connecting to the terminal of ' + name + '…');
    const url = await ticket(name, 'terminal');
    if (!url || mine !== generation) return;
    const term = new globalThis.Terminal({ cursorBlink: true, screenReaderMode: true, fontSize: 14,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' });
    const fit = new globalThis.FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(box);
    fit.fit();
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    const encoder = new TextEncoder();
    let opened = false;
    const send = data => { if (socket.readyState === WebSocket.OPEN) socket.send(data); };
    const resize = () => {
      box.dataset.size = term.rows + ' ' + term.cols; // as `stty size` in the VM says it, for tests and curious users
      send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
    };
    socket.onopen = () => {
      opened = true;
      setStatus('Connected to the terminal of ' + name + '.');
      resize();
      term.focus();
    };
    socket.onmessage = event => {
      if (typeof event.data !== 'string') { term.write(new Uint8Array(event.data)); return; }
      let message = null;
      try { message = JSON.parse(event.data); } catch { /* not for us */ }
      if (message && message.type === 'error') setStatus('The console says: ' + message.message);
    };
    socket.onclose = event => {
      if (mine !== generation) return;
      setStatus(!opened ? 'The terminal could not be opened (the server refused the connection).'
        : 'The terminal closed' + (event.reason ? ': ' + event.reason : '') + ' (code ' + event.code + ').');
      announce(status.textContent);
    };
    const input = term.onData(data => send(encoder.encode(data)));
    const binary = term.onBinary(data => send(Uint8Array.from(data, c => c.charCodeAt(0))));
    const resized = term.onResize(resize);
    const observer = new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden */ } });
    observer.observe(box);
    stop = () => {
      generation++;
      observer.disconnect();
      input.dispose(); binary.dispose(); resized.dispose();
      if (socket.readyState <= WebSocket.OPEN) socket.close(1000, 'closed in the page');
      term.dispose();
    };
  }

  async function openGraphical(name) {
    const mine = ++generation;
    // a remote desktop takes the keys and the pointer itself: an application, named for screen readers
    const screen = h('div.screen#vnc-screen', { role: 'application', 'aria-label': 'Graphical console of VM ' + name });
    panels.vnc.replaceChildren(screen);
    setStatus('Connecting to the graphical console of ' + name + '…');
    const [{ default: RFB }, url] = await Promise.all([import('../vendor/novnc/core/rfb.js'), ticket(name, 'vnc')]);
    if (!url || mine !== generation) return;
    const rfb = new RFB(screen, url);
    rfb.scaleViewport = true;
    rfb.viewOnly = false;
    rfb.addEventListener('connect', () => {
      setStatus('Connected to the graphical console of ' + name + '.');
      rfb.focus();
    });
    rfb.addEventListener('disconnect', event => {
      if (mine !== generation) return;
      setStatus(event.detail.clean ? 'The graphical console closed.'
        : 'The graphical console closed: the connection was refused or lost.');
      announce(status.textContent);
    });
    rfb.addEventListener('securityfailure', event => setStatus('The graphical console refused the session: '
      + (event.detail.reason || 'security failure')));
    rfb.addEventListener('desktopname', event => { screen.setAttribute('aria-label', 'Graphical console of VM '
      + name + ': ' + event.detail.name); });
    stop = () => {
      generation++;
      try { rfb.disconnect(); } catch { /* already closed */ }
    };
  }

  return { element: section, open, update, vm: () => vm };
}
