// Case form: an "Add a row" button for measures (without JavaScript, saving adds a fresh empty row).
document.addEventListener('DOMContentLoaded', () => {
  const button = document.querySelector('button[data-add-measure]');
  const container = document.querySelector('[data-measure-rows]');
  if (!button || !container) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    const rows = container.querySelectorAll('[data-measure-row]');
    const last = rows[rows.length - 1];
    if (!last) return;
    const next = rows.length;
    const copy = last.cloneNode(true);
    // Renumber names, ids and label targets (…_<n>), drop values and error marks.
    for (const el of copy.querySelectorAll('[name], [id], [for], [aria-describedby]')) {
      for (const attr of ['name', 'id', 'for', 'aria-describedby']) {
        const value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/_(\d+)(?=-|$)/g, `_${next}`));
      }
    }
    for (const input of copy.querySelectorAll('input')) input.value = '';
    const number = copy.querySelector('[data-row-number]');
    if (number) number.textContent = String(next + 1);
    copy.classList.add('new');
    last.classList.remove('new');
    for (const error of copy.querySelectorAll('.error')) error.remove();
    for (const el of copy.querySelectorAll('[aria-describedby]')) {
      const ids = el.getAttribute('aria-describedby').split(/\s+/).filter((id) => !id.endsWith('-error'));
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
      else el.removeAttribute('aria-describedby');
    }
    for (const field of copy.querySelectorAll('.has-error')) field.classList.remove('has-error');
    for (const input of copy.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    container.appendChild(copy);
    copy.querySelector('input')?.focus();
  });
});
