// Small progressive enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  // The language selector applies at once; its button stays for use without JavaScript.
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form.requestSubmit());
  }
  // Irreversible actions ask first, in a native dialog: `data-confirm` on a form (or
  // `data-confirm-button` on one of its buttons) holds the question, `data-confirm-ok` the label of
  // the button that does it. Confirming adds confirmed=yes, so the server's own confirmation page
  // (server/http/confirm.ts, for use without JavaScript) is skipped.
  const template = document.getElementById('confirm-dialog');
  const ask = (question, ok, danger) => new Promise((resolve) => {
    if (!template || typeof HTMLDialogElement === 'undefined') return resolve(window.confirm(question));
    const dialog = template.content.firstElementChild.cloneNode(true);
    dialog.querySelector('#confirm-dialog-text').textContent = question;
    const okButton = dialog.querySelector('.confirm-ok');
    if (ok) okButton.textContent = ok;
    if (danger) okButton.classList.add('danger');
    document.body.append(dialog);
    dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'ok'); dialog.remove(); });
    dialog.showModal();
  });
  const confirmAndSubmit = async (event, form, source, submitter) => {
    if (form.querySelector('input[name="confirmed"]')) return;
    event.preventDefault();
    if (!(await ask(source.dataset.confirm ?? source.dataset.confirmButton, source.dataset.confirmOk, source.classList.contains('danger')))) return;
    const confirmed = document.createElement('input');
    Object.assign(confirmed, { type: 'hidden', name: 'confirmed', value: 'yes' });
    form.append(confirmed);
    form.requestSubmit(submitter ?? undefined);
  };
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => confirmAndSubmit(event, form, form, event.submitter));
  }
  for (const button of document.querySelectorAll('button[data-confirm-button]')) {
    button.addEventListener('click', (event) => confirmAndSubmit(event, button.form, button, button));
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
