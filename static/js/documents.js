/* The document pages: live preview of a draft, the progress of an issue, one click per submission.
   Plain JavaScript, no library. Every page works without it (the preview shows the saved text, the
   progress page can be reloaded by hand). */
(function () {
  "use strict";

  // --- one click, one submission; confirm what cannot be undone ---------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-once], [data-testid=draft-form]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.classList.add("is-sending");
  });

  // --- the preview: an A4 sheet, scaled to the frame's width ------------------------------------
  function fit(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.body) return;
    // Lay the text out on a real A4 width, so lines break as in the PDF, then scale the sheet down.
    doc.body.style.boxSizing = "border-box";
    doc.body.style.width = "210mm";
    doc.body.style.maxWidth = "none";
    doc.documentElement.style.zoom = "";
    var sheet = doc.body.getBoundingClientRect().width + 32;
    var scale = Math.min(1, frame.clientWidth / sheet);
    doc.documentElement.style.zoom = String(Math.floor(scale * 100) / 100);
  }

  document.querySelectorAll("iframe.doc-preview").forEach(function (frame) {
    frame.addEventListener("load", function () { fit(frame); });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") fit(frame);
    window.addEventListener("resize", function () { fit(frame); });
  });

  // --- live preview of the text being typed (nothing is saved until "Save" or "Issue") ----------
  var form = document.querySelector("form[data-preview-url]");
  if (form) {
    var frame = document.querySelector("iframe.doc-preview");
    var state = document.querySelector("[data-preview-state]");
    var timer = null;
    var pending = null;
    var refresh = function () {
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(form.getAttribute("data-preview-url"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
        .then(function (html) {
          frame.srcdoc = html;
          if (state) state.textContent = state.getAttribute("data-unsaved") || "";
        })
        .catch(function () { /* keep the last preview */ });
    };
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  }

  // --- the progress of an issue -----------------------------------------------------------------
  var progress = document.querySelector("[data-status-url]");
  if (progress && progress.getAttribute("data-state") !== "failed") {
    var bar = progress.querySelector(".progress-bar");
    var meter = progress.querySelector("[role=progressbar]");
    var text = progress.querySelector("[data-progress-text]");
    var label = progress.querySelector("[data-progress-state]");
    // The bar's width is set here, not in a style attribute: the Content-Security-Policy allows no
    // inline style (the figure is in aria-valuenow and in the text beside the bar).
    if (bar && meter) bar.style.width = (parseInt(meter.getAttribute("aria-valuenow"), 10) || 0) + "%";
    var poll = function () {
      fetch(progress.getAttribute("data-status-url"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var percent = Math.max(0, Math.min(100, data.render_progress || 0));
          if (bar) bar.style.width = percent + "%";
          if (meter) meter.setAttribute("aria-valuenow", String(percent));
          if (text) text.textContent = percent + "%";
          if (label) label.textContent = data.render_state_label || "";
          if (data.status !== "issuing" || data.render_state === "failed" || data.render_state === "done") {
            window.location.reload();
            return;
          }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
