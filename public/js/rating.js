// The rating form's keyboard and autosave: keys 1–9 set the score of the condition in focus (when
// the scale has it), n = cannot judge, j / k = next / previous condition; every change of one
// condition is saved as a draft in the background with a visible saved / failed status. Without
// this script the form still works through its Save button.
(() => {
  const form = document.querySelector('form[data-rating-form]');
  if (!form) return;
  const sections = [...form.querySelectorAll('[data-condition]')];
  const status = document.querySelector('[data-save-status]');
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
  let current = sections[0] || null;

  const show = (text, failed) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('failed', !!failed);
  };

  /** The fields of one condition, as the form would post them. */
  const fieldsOf = (section) => {
    const body = new URLSearchParams();
    for (const el of section.querySelectorAll('input, textarea')) {
      if (!el.name || ((el.type === 'radio' || el.type === 'checkbox') && !el.checked)) continue;
      body.append(el.name, el.value);
    }
    return body;
  };

  const pending = new Map();
  /** Saves in flight, so that submitting can wait for them. */
  const inflight = new Set();
  const save = (section) => {
    pending.delete(section);
    const saving = post(section);
    inflight.add(saving);
    saving.finally(() => inflight.delete(saving));
    return saving;
  };
  /** Posts one condition; resolves to whether it was saved. */
  const post = async (section) => {
    show(status?.dataset.saving || '…');
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { 'x-csrf-token': csrf, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: fieldsOf(section),
        credentials: 'same-origin',
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok || !data.ok) {
        const message = data.errors ? Object.values(data.errors).join(' ') : data.error || String(res.status);
        show((status?.dataset.failed || '{message}').replace('{message}', message), true);
        section.classList.add('has-error');
        return false;
      }
      section.classList.remove('has-error');
      const time = new Date(data.savedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      show((status?.dataset.saved || '{time}').replace('{time}', time));
      return true;
    } catch (err) {
      show((status?.dataset.failed || '{message}').replace('{message}', err.message), true);
      return false;
    }
  };
  const schedule = (section, delay) => {
    clearTimeout(pending.get(section));
    pending.set(section, setTimeout(() => save(section), delay));
  };

  for (const section of sections) {
    section.addEventListener('focusin', () => (current = section));
    section.addEventListener('change', () => schedule(section, 150));
    section.addEventListener('input', (e) => {
      if (e.target.matches('textarea, input[type="text"]')) schedule(section, 1000);
    });
  }

  const focusSection = (section) => {
    if (!section) return;
    current = section;
    section.focus();
    section.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || !current) return;
    if (e.target.closest && e.target.closest('textarea, input[type="text"], select, [contenteditable]')) return;
    const key = e.key.toLowerCase();
    if (key === 'j' || key === 'k') {
      e.preventDefault();
      focusSection(sections[sections.indexOf(current) + (key === 'j' ? 1 : -1)]);
      return;
    }
    const value = /^[0-9]$/.test(key) ? key : key === 'n' ? 'n' : null;
    if (value === null) return;
    const radio = [...current.querySelectorAll('input[type="radio"]')].find((r) => r.value === value);
    if (!radio) return;
    e.preventDefault();
    radio.checked = true;
    radio.focus();
    radio.dispatchEvent(new Event('change', { bubbles: true }));
    if (value === 'n') current.querySelector('[data-reason]')?.focus();
  });

  // Submitting posts a separate form: first save what is still waiting (a score or text changed less
  // than a second ago) and wait for saves in flight, or the submit is checked against older drafts
  // and what the rater just entered is lost. A failed save stops the submit; its status says why.
  const submitForm = document.querySelector('form.submit-ratings');
  let submitting = false;
  submitForm?.addEventListener('submit', (e) => {
    if (!pending.size && !inflight.size) return;
    e.preventDefault();
    if (submitting) return;
    submitting = true;
    const waiting = [...pending.keys()].map((section) => {
      clearTimeout(pending.get(section));
      return save(section);
    });
    Promise.all([...waiting, ...inflight])
      .then((results) => {
        if (results.every((ok) => ok !== false)) submitForm.submit();
      })
      .finally(() => (submitting = false));
  });

  // Save what is still waiting when the rater leaves the page.
  window.addEventListener('pagehide', () => {
    for (const section of pending.keys()) {
      clearTimeout(pending.get(section));
      fetch(form.action, {
        method: 'POST',
        keepalive: true,
        headers: { 'x-csrf-token': csrf, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: fieldsOf(section),
        credentials: 'same-origin',
      }).catch(() => {});
    }
  });
})();
