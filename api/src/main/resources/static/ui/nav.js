// What every view may call on the shell without importing it (app.js imports the views): announcements for screen
// readers and navigation, which app.js carries out on "hashchange".

/** Says a status change to screen readers (the polite live region). */
export function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  // a new text node after a tick, so that the same sentence twice is announced twice
  setTimeout(() => { region.textContent = text; }, 50);
}

/** Shows the view of a hash route; the same route again is shown afresh. */
export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
