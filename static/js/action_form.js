/* A case action page's form (templates/disputes/_action_form.html): one click, one submission. */
(function () {
  "use strict";
  document.querySelectorAll(".action-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      // A second click while the first is on its way does nothing.
      var button = form.querySelector("[data-testid=action-submit]");
      if (!button) return;
      if (button.dataset.sent) { event.preventDefault(); return; }
      button.dataset.sent = "1";
    });
  });
})();
