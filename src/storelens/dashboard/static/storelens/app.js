// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid inline scripts
// (storelens.server.security): a <select data-autosubmit> submits its form when changed (the workspace switcher).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.requestSubmit();
  }
});
