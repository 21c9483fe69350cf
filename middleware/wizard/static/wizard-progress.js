// Optional: while a wizard task runs, keep its progress bar current between the page's own reloads (the
// page refreshes itself with a meta refresh, so everything works without this script), and reload as soon
// as the task is done.
/* global document, window */
(function pollWizardProgress() {
  const card = document.querySelector('[data-wizard-progress]');
  if (!card) return;
  const phase = card.querySelector('[data-progress-phase]');
  const count = card.querySelector('[data-progress-count]');
  const bar = card.querySelector('[data-progress-bar]');
  const tick = async () => {
    try {
      const response = await fetch('/wizard/progress.json', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      const state = response.ok ? await response.json() : { running: true };
      if (!state.running) {
        window.location.reload();
        return;
      }
      if (phase && state.phase) phase.textContent = state.phase;
      if (count && state.total > 0) count.textContent = `${state.done.toLocaleString('en-US')} of ${state.total.toLocaleString('en-US')}`;
      if (bar && typeof state.percent === 'number') bar.value = state.percent;
    } catch {
      // The next tick (or the page's own reload) tries again.
    }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 1000);
})();
