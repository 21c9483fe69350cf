// Optional: on the Select Other page, search as you type. The page works without this (the Search button
// submits the form); with it, the same server-side search runs after a short pause in typing and only the
// results table is replaced, read from the page the server renders for that search.
/* global document, window, DOMParser */
(function searchAsYouType() {
  const form = document.querySelector('[data-typeahead]');
  const input = form && form.querySelector('input[name="q"]');
  const results = document.querySelector('[data-typeahead-results]');
  if (!form || !input || !results) return;
  let timer = 0;
  let latest = 0;
  input.setAttribute('autocomplete', 'off');
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const request = ++latest;
      const url = new URL(form.getAttribute('action'), window.location.href);
      for (const field of form.querySelectorAll('input[type="hidden"]')) url.searchParams.set(field.name, field.value);
      url.searchParams.set('q', input.value);
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok || request !== latest) return;
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.querySelector('[data-typeahead-results]');
        if (fresh && request === latest) results.replaceChildren(...fresh.childNodes);
      } catch {
        // The Search button still works.
      }
    }, 250);
  });
})();
