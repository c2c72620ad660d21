// Small progressive enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  // The language selector applies at once; its button stays for use without JavaScript.
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form.requestSubmit());
  }
  // Forms that destroy something ask first.
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // Buttons that destroy something ask first (when the form has several buttons).
  for (const button of document.querySelectorAll('button[data-confirm-button]')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.dataset.confirmButton)) event.preventDefault();
    });
  }
  // Copy buttons for one-time links.
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      await navigator.clipboard.writeText(source.value);
      const label = button.textContent;
      button.textContent = '✓';
      setTimeout(() => { button.textContent = label; }, 1500);
    });
  }
});
