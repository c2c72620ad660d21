// The rating form, enhanced: one condition open at a time (its row's summary shows the score and
// whether it is complete), a live "n of N complete" count, the "cannot judge" reason shown only when
// chosen, and keys: 1–9 set the score of the condition in focus (when the scale has it), n = cannot
// judge (focus goes to the reason; Enter or Esc comes back), j / k = next / previous condition,
// u = next condition still to do (none left: Submit). Every change of one condition is saved as a
// draft in the background with a visible saved / failed status. Without this script the form still
// works: rows open and close natively, every reason field shows, and Save posts the whole form.
(() => {
  const form = document.querySelector('form[data-rating-form]');
  if (!form) return;
  const sections = [...form.querySelectorAll('[data-condition]')];
  const status = document.querySelector('[data-save-status]');
  const bar = document.querySelector('[data-rating-bar]');
  const progress = bar?.querySelector('[data-progress]');
  const progressText = bar?.querySelector('[data-progress-text]');
  const nextButton = bar?.querySelector('[data-next-unrated]');
  const submitForm = document.querySelector('form.submit-ratings');
  const submitButton = submitForm?.id ? document.querySelector(`button[form="${submitForm.id}"]`) : null;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
  const smooth = window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
  let current = sections[0] || null;

  const show = (text, failed) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('failed', !!failed);
  };

  // ---- Rows: summary, completeness, the reason field, the count --------------------------------

  const detailsOf = (section) => section.querySelector('details');
  const summaryOf = (section) => section.querySelector('summary');
  const scoreOf = (section) => section.querySelector('input[type="radio"]:checked')?.value ?? '';
  /** As the server counts it (ratings.rules.ts isComplete): a score, or cannot judge with a reason. */
  const isComplete = (section) => {
    const score = scoreOf(section);
    return /^\d+$/.test(score) || (score === 'n' && (section.querySelector('[data-reason]')?.value.trim() ?? '') !== '');
  };

  const refresh = (section) => {
    const score = scoreOf(section);
    const complete = isComplete(section);
    const shown = section.querySelector('[data-row-score]');
    if (score) shown.textContent = score === 'n' ? form.dataset.cannotJudge : score;
    else {
      // As the server renders it: a dash, "not rated" for screen readers.
      const dash = Object.assign(document.createElement('span'), { textContent: '–' });
      dash.setAttribute('aria-hidden', 'true');
      shown.replaceChildren(dash, Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: form.dataset.none }));
    }
    section.querySelector('[data-row-mark]').textContent = complete ? form.dataset.complete : form.dataset.incomplete;
    section.classList.toggle('is-complete', complete);
    const reason = section.querySelector('[data-reason-field]');
    if (reason) reason.hidden = score !== 'n';
  };

  const count = () => {
    const done = sections.filter(isComplete).length;
    if (progress) progress.value = done;
    if (progressText) progressText.textContent = progressText.dataset.template.replace('{done}', done).replace('{total}', sections.length);
    return done;
  };

  /** Opens one row and closes the others; moves the focus to its summary unless told not to. */
  const open = (section, focus = true) => {
    if (!section) return;
    for (const other of sections) if (other !== section) detailsOf(other).open = false;
    detailsOf(section).open = true;
    current = section;
    if (focus) summaryOf(section).focus({ preventScroll: true });
    // Its top just below the sticky bar.
    const top = section.getBoundingClientRect().top + window.scrollY - (bar ? bar.offsetHeight + 8 : 0);
    window.scrollTo({ top: Math.max(0, top), behavior: smooth });
  };

  /** The next row still to do after the current one (wrapping round); none left: Submit. */
  const nextToDo = () => {
    const from = sections.indexOf(current);
    const next = [...sections.slice(from + 1), ...sections.slice(0, from + 1)].find((s) => !isComplete(s));
    if (next) return open(next);
    show(status?.dataset.allComplete || '');
    submitButton?.focus();
  };

  for (const section of sections) {
    refresh(section);
    // A row opened by mouse or Enter on its summary closes the others too.
    detailsOf(section).addEventListener('toggle', () => {
      if (!detailsOf(section).open) return;
      current = section;
      for (const other of sections) if (other !== section) detailsOf(other).open = false;
    });
  }

  // One row open at first: the one the address names, else the first the server opened (a problem,
  // or the first still to do). With a problem the error summary takes the focus.
  const named = location.hash && sections.find((s) => `#${s.id}` === location.hash);
  const first = named || sections.find((s) => detailsOf(s).open);
  for (const section of sections) if (section !== first) detailsOf(section).open = false;
  if (first) {
    detailsOf(first).open = true;
    current = first;
  }
  const summary = document.querySelector('[data-error-summary]');
  if (summary && !named) summary.focus();
  else if (named) open(named);

  // The error summary's links and any link to a row open it.
  document.addEventListener('click', (e) => {
    const link = e.target.closest?.('a[href^="#r"]');
    const section = link && sections.find((s) => `#${s.id}` === link.getAttribute('href'));
    if (!section) return;
    e.preventDefault();
    history.replaceState(null, '', link.getAttribute('href'));
    open(section);
  });
  window.addEventListener('hashchange', () => open(sections.find((s) => `#${s.id}` === location.hash)));

  bar?.classList.add('has-script');
  if (nextButton) {
    nextButton.hidden = false;
    nextButton.addEventListener('click', nextToDo);
  }

  // ---- Autosave -------------------------------------------------------------------------------

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
    section.addEventListener('change', () => {
      refresh(section);
      count();
      schedule(section, 150);
    });
    section.addEventListener('input', (e) => {
      if (!e.target.matches('textarea, input[type="text"]')) return;
      refresh(section);
      count();
      schedule(section, 1000);
    });
  }

  // ---- Keys -----------------------------------------------------------------------------------

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || !current) return;
    if (document.querySelector('dialog[open]')) return;
    const target = e.target;
    if (target.closest && target.closest('textarea, input[type="text"], select, [contenteditable]')) {
      // Enter (which would post the whole form) or Esc in the reason, Esc in the rationale: back to
      // the row, where the keys work again.
      const section = target.closest('[data-condition]');
      if (section && (e.key === 'Escape' || (e.key === 'Enter' && target.matches('[data-reason]')))) {
        e.preventDefault();
        summaryOf(section).focus();
      }
      return;
    }
    const key = e.key.toLowerCase();
    if (key === 'j' || key === 'k') {
      e.preventDefault();
      open(sections[sections.indexOf(current) + (key === 'j' ? 1 : -1)]);
      return;
    }
    if (key === 'u') {
      e.preventDefault();
      nextToDo();
      return;
    }
    const value = /^[0-9]$/.test(key) ? key : key === 'n' ? 'n' : null;
    if (value === null) return;
    const radio = [...current.querySelectorAll('input[type="radio"]')].find((r) => r.value === value);
    if (!radio) return;
    e.preventDefault();
    if (!detailsOf(current).open) open(current, false);
    radio.checked = true;
    radio.focus();
    radio.dispatchEvent(new Event('change', { bubbles: true }));
    if (value === 'n') current.querySelector('[data-reason]')?.focus();
  });

  // ---- Submit ---------------------------------------------------------------------------------

  // Submitting posts a separate form: first save what is still waiting (a score or text changed less
  // than a second ago) and wait for saves in flight, or the submit is checked against older drafts
  // and what the rater just entered is lost. A failed save stops the submit; its status says why.
  // This listener runs before kader.js's confirmation (capture), so the question comes after the
  // saves; an incomplete set is posted without the question: the server refuses it with the list.
  let submitting = false;
  submitForm?.addEventListener('submit', (e) => {
    if (pending.size || inflight.size) {
      e.preventDefault();
      e.stopImmediatePropagation();
      if (submitting) return;
      submitting = true;
      const waiting = [...pending.keys()].map((section) => {
        clearTimeout(pending.get(section));
        return save(section);
      });
      Promise.all([...waiting, ...inflight])
        .then((results) => {
          submitting = false;
          if (results.every((ok) => ok !== false)) submitForm.requestSubmit();
        })
        .catch(() => (submitting = false));
      return;
    }
    if (!submitForm.querySelector('input[name="confirmed"]') && count() < sections.length) e.stopImmediatePropagation();
  }, { capture: true });

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
