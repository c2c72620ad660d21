// The study navigation's menu on a phone is a <details> disclosure that works without JavaScript;
// here it also closes with Escape (focus back on its button) and when a click lands outside it.
document.addEventListener('DOMContentLoaded', () => {
  const menu = document.querySelector('details[data-study-menu]');
  if (!menu) return;
  const summary = menu.querySelector('summary');
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    summary.focus();
  });
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
});
