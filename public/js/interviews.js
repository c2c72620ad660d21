// Keeps what a researcher types in an interview form in this browser until the server has saved it,
// so a dropped connection or a closed tab loses nothing; restores it with a notice and a way to discard.
(() => {
  const storage = (() => {
    try {
      const s = window.localStorage;
      s.setItem('kader:probe', '1');
      s.removeItem('kader:probe');
      return s;
    } catch {
      return null;
    }
  })();
  if (!storage) return;

  // The interview page after a save: the kept copy has done its job.
  const saved = document.querySelector('[data-draft-saved]');
  if (saved) {
    storage.removeItem(saved.dataset.draftSaved);
    if (saved.dataset.draftSavedNew) storage.removeItem(saved.dataset.draftSavedNew);
  }

  const form = document.querySelector('form[data-draft-key]');
  if (!form) return;
  const key = form.dataset.draftKey;
  // The version of the interview the form was opened on; a kept copy remembers it too.
  const version = form.dataset.draftVersion || '';

  const snapshot = () => {
    const fields = {};
    for (const el of form.elements) {
      if (!el.name || el.name === '_csrf' || el.name === 'version') continue;
      if (el.type === 'checkbox') {
        fields[el.name] = fields[el.name] || [];
        if (el.checked) fields[el.name].push(el.value);
      } else fields[el.name] = el.value;
    }
    return fields;
  };

  const apply = (fields) => {
    for (const el of form.elements) {
      if (!el.name || !(el.name in fields)) continue;
      if (el.type === 'checkbox') el.checked = fields[el.name].includes(el.value);
      else el.value = fields[el.name];
    }
    // The condition picker counts what is ticked (condition-picker.js); tell it the ticks changed.
    for (const picker of form.querySelectorAll('[data-condition-picker]')) picker.dispatchEvent(new Event('change'));
  };

  const initial = JSON.stringify(snapshot());
  const kept = (() => {
    try {
      return JSON.parse(storage.getItem(key) || 'null');
    } catch {
      return null;
    }
  })();
  // Restore only what differs from the page: a refused form already shows the user's text.
  if (kept && JSON.stringify(kept.fields) !== initial) {
    const original = snapshot();
    apply(kept.fields);
    const banner = document.querySelector('[data-draft-banner]');
    if (banner) {
      const message = banner.querySelector('[data-draft-message]');
      // Text written on an older version must not replace a newer save unnoticed.
      const template = kept.version !== undefined && kept.version !== version ? message.dataset.templateOlder : message.dataset.template;
      message.textContent = template.replace('{time}', new Date(kept.at).toLocaleString());
      banner.hidden = false;
      banner.querySelector('[data-draft-discard]').addEventListener('click', () => {
        storage.removeItem(key);
        apply(original);
        banner.hidden = true;
      });
    }
  }

  let timer = null;
  const keep = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        storage.setItem(key, JSON.stringify({ at: Date.now(), version, fields: snapshot() }));
      } catch {
        // Storage full or refused: the server copy is all there is.
      }
    }, 300);
  };
  form.addEventListener('input', keep);
  form.addEventListener('change', keep);
  window.addEventListener('pagehide', () => {
    if (JSON.stringify(snapshot()) !== initial) storage.setItem(key, JSON.stringify({ at: Date.now(), version, fields: snapshot() }));
  });
})();

// "Quote the selection": carries the text selected in the notes to the evidence form.
(() => {
  const button = document.querySelector('[data-quote-selection]');
  const link = document.querySelector('[data-quote-link]');
  const notes = document.querySelector('.notes');
  if (!button || !link || !notes) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    const selection = window.getSelection();
    const text = selection && notes.contains(selection.anchorNode) ? selection.toString().trim() : '';
    const url = new URL(link.href, window.location.href);
    if (text) url.searchParams.set('quote', text.slice(0, 4000));
    window.location.href = url.toString();
  });
})();
