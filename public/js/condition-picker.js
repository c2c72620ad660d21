// The condition picker (views/_condition-choices.ejs): a filter box that narrows the groups to the
// conditions whose code or name contains what is typed (accents and case ignored), and counts of what
// is chosen, in all and per group, that follow the ticks. Without JavaScript the groups and the counts
// of the page as sent remain.
(() => {
  const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

  const enhance = (picker) => {
    const groups = [...picker.querySelectorAll('[data-picker-group]')];
    const total = picker.querySelector('[data-picker-count]');
    const filterBox = picker.querySelector('[data-picker-filter]');
    const input = picker.querySelector('[data-picker-filter-input]');
    const none = picker.querySelector('[data-picker-none]');
    const options = groups.flatMap((group) => [...group.querySelectorAll('label.choice')].map((label) => ({ group, label, text: fold(label.textContent) })));

    const count = () => {
      let all = 0;
      for (const group of groups) {
        const n = group.querySelectorAll('input[type="checkbox"]:checked').length;
        all += n;
        const badge = group.querySelector('[data-picker-group-count]');
        badge.textContent = fill(badge.dataset.template, { count: n });
        badge.classList.toggle('has-chosen', n > 0);
      }
      total.textContent = fill(total.dataset.template, { count: all });
    };

    // Which groups were open before filtering, to put back when the filter is cleared.
    let openBefore = null;
    const filter = () => {
      const query = fold(input.value);
      if (query && openBefore === null) openBefore = new Set(groups.filter((g) => g.open));
      let shown = 0;
      for (const o of options) {
        const match = !query || o.text.includes(query);
        o.label.hidden = !match;
        if (match) shown++;
      }
      for (const group of groups) {
        const any = options.some((o) => o.group === group && !o.label.hidden);
        group.hidden = Boolean(query) && !any;
        if (query) group.open = any;
      }
      if (!query && openBefore !== null) {
        for (const group of groups) group.open = openBefore.has(group) || group.querySelector('input:checked') !== null;
        openBefore = null;
      }
      none.hidden = !query || shown > 0;
    };

    filterBox.hidden = false;
    input.addEventListener('input', filter);
    input.addEventListener('keydown', (event) => {
      // Enter in the filter narrows; it must not send the form. Escape clears the filter.
      if (event.key === 'Enter') event.preventDefault();
      if (event.key === 'Escape' && input.value) {
        event.preventDefault();
        input.value = '';
        filter();
      }
    });
    picker.addEventListener('change', count);
    count();
  };

  const start = () => document.querySelectorAll('[data-condition-picker]').forEach(enhance);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
