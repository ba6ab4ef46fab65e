/* Behaviour shared by every page, loaded by templates/base.html. Pages carry no inline script (the
   Content-Security-Policy allows scripts from our own static files only): they say what they need
   with data-* attributes. */
(function () {
  "use strict";
  // A read-only address to copy (the calendar feed): one click selects all of it.
  document.addEventListener("click", function (event) {
    var field = event.target.closest("[data-select-on-click]");
    if (field && typeof field.select === "function") field.select();
  });
})();
