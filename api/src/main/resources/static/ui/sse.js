// Server-Sent Events over fetch(): EventSource cannot send an Authorization header. Parses the text/event-stream
// lines itself and, after a dropped connection, resumes with Last-Event-ID so nothing in between is missed.
import { authHeaders, signOut } from './api.js';

/**
 * Follows the stream at path until signal aborts, calling onEvent({id, event, data}) with data parsed as JSON.
 * onState('open' | 'reconnecting') tells the caller about the connection.
 */
export function follow(path, onEvent, signal, onState = () => {}) {
  let lastEventId = null;
  let delay = 500;
  (async () => {
    while (!signal.aborted) {
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(path, { headers, signal, cache: 'no-store' });
        if (response.status === 401) { signOut('Your session ended. Please sign in again.'); return; }
        if (!response.ok || !response.body) throw new Error('stream answered ' + response.status);
        onState('open');
        delay = 500;
        await read(response.body, message => {
          if (message.id !== undefined) lastEventId = message.id;
          if (message.data === undefined) return;
          let data = message.data;
          try { data = JSON.parse(data); } catch { /* not JSON: pass the text */ }
          onEvent({ id: message.id, event: message.event || 'message', data });
        }, signal);
      } catch (e) {
        if (signal.aborted) return;
      }
      if (signal.aborted) return;
      onState('reconnecting');
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  })();
}

async function read(body, dispatch, signal) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let message = {};
  const abort = () => reader.cancel().catch(() => {});
  signal.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (message.data !== undefined || message.id !== undefined) dispatch(message);
          message = {};
          continue;
        }
        if (line.startsWith(':')) continue; // a comment: the server's keep-alive
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') message.data = message.data === undefined ? value : message.data + '\n' + value;
        else if (field === 'id') message.id = value;
        else if (field === 'event') message.event = value;
      }
    }
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
